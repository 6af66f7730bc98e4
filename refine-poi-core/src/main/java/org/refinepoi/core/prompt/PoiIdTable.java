package org.refinepoi.core.prompt;

import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.sid.SemanticIdIndex;

/**
 * The semantic ID of every dense POI index of a dataset, looked up once from an ID index (which is
 * keyed by the POIs' source ids). POIs the index does not know have no ID. Immutable.
 */
public final class PoiIdTable implements IntFunction<SemanticId> {

  private final SemanticId[] ids;
  private final int missing;

  private PoiIdTable(SemanticId[] ids) {
    this.ids = ids;
    int n = 0;
    for (SemanticId id : ids) {
      n += id == null ? 1 : 0;
    }
    this.missing = n;
  }

  /** The IDs of a dataset's POIs under an index. */
  public static PoiIdTable of(CheckInDataset dataset, SemanticIdIndex index) {
    checkNotNull(dataset, "dataset");
    checkNotNull(index, "index");
    SemanticId[] ids = new SemanticId[dataset.poiCount()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = index.findId(dataset.poi(i).id()).orElse(null);
    }
    return new PoiIdTable(ids);
  }

  /**
   * The IDs of an index's own catalogue: POI {@code i} is the index's {@link
   * SemanticIdIndex#poiId(int) poiId(i)}, with its ID (every POI has one).
   */
  public static PoiIdTable of(SemanticIdIndex index) {
    checkNotNull(index, "index");
    return of(index.idsByPoi());
  }

  /** A table from IDs listed by dense POI index ({@code null} for a POI without an ID). */
  public static PoiIdTable of(List<SemanticId> idsByPoi) {
    checkNotNull(idsByPoi, "idsByPoi");
    return new PoiIdTable(idsByPoi.toArray(new SemanticId[0]));
  }

  /** The ID of a POI, or {@code null} when it has none. */
  @Override
  public SemanticId apply(int poi) {
    checkElementIndex(poi, ids.length, "POI");
    return ids[poi];
  }

  /** Number of POIs (with or without an ID). */
  public int poiCount() {
    return ids.length;
  }

  /** Number of POIs without an ID. */
  public int missingCount() {
    return missing;
  }

  /** The IDs by dense POI index, {@code null} where a POI has none; unmodifiable. */
  public List<SemanticId> asList() {
    return Collections.unmodifiableList(Arrays.asList(ids.clone()));
  }
}
