package org.refinepoi.spark;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.som.HierarchicalSomModel;

/**
 * The semantic IDs of a catalogue as a Spark data set ({@link SparkSemanticIds#SCHEMA}), with ways
 * to keep them: Parquet for any size, a {@link SemanticIdIndex} (and its file) when the catalogue
 * fits on the driver. Close it to release the cached placements.
 */
public final class SemanticIdAssignment implements AutoCloseable {

  /** Default bound on {@link #toIndex()}: the POIs one driver heap comfortably holds. */
  public static final long DEFAULT_MAX_INDEX_POIS = 20_000_000L;

  private final HierarchicalSomModel model;
  private final Dataset<Row> ids;
  private final long count;
  private final Runnable release;

  SemanticIdAssignment(HierarchicalSomModel model, Dataset<Row> ids, long count, Runnable release) {
    this.model = model;
    this.ids = ids;
    this.count = count;
    this.release = release;
  }

  /** One row per POI: {@code poi_id, sid, cells, slot, leaf_distance}. */
  public Dataset<Row> ids() {
    return ids;
  }

  /** Number of POIs. */
  public long count() {
    return count;
  }

  /**
   * Writes the IDs as Parquet.
   *
   * @param path a directory that must not exist yet (any file system Spark can write)
   */
  public void writeParquet(String path) {
    checkNotNull(path, "path");
    SparkErrors.run(
        () -> {
          ids.write().parquet(path);
          return null;
        },
        null);
  }

  /** The IDs as an in-memory index, at most {@link #DEFAULT_MAX_INDEX_POIS} POIs. */
  public SemanticIdIndex toIndex() {
    return toIndex(DEFAULT_MAX_INDEX_POIS);
  }

  /**
   * The IDs as an in-memory index over the model's ID space (equal to {@link
   * HierarchicalSomModel#index} on the same catalogue); save it with {@link SemanticIdIndex#save}.
   *
   * @param maxPois refuse catalogues larger than this (the index lives on the driver)
   * @throws IllegalStateException when the catalogue has more POIs than {@code maxPois}
   * @throws IllegalArgumentException when a POI id repeats
   */
  public SemanticIdIndex toIndex(long maxPois) {
    checkArgument(maxPois >= 1, "maxPois must be >= 1, got %s", maxPois);
    if (count > maxPois) {
      throw new IllegalStateException(
          count
              + " POIs do not fit an in-memory index bounded at "
              + maxPois
              + "; keep them as Parquet (writeParquet)");
    }
    SemanticIdIndex.Builder b = SemanticIdIndex.builder(model.idSpace());
    Iterator<Row> it =
        SparkErrors.run(() -> ids.select("poi_id", "cells", "slot").toLocalIterator(), null);
    while (it.hasNext()) {
      Row r = it.next();
      List<Integer> cells = r.getList(1);
      int[] c = new int[cells.size()];
      for (int i = 0; i < c.length; i++) {
        c[i] = cells.get(i);
      }
      b.add(r.getString(0), SemanticId.of(c, r.getInt(2)));
    }
    return b.build();
  }

  /** Releases the cached placements. */
  @Override
  public void close() {
    release.run();
  }
}
