package org.refinepoi.core.features;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Optional;
import org.refinepoi.core.math.FloatMatrix;

/**
 * POI feature vectors: one row per POI of the data set, in the data set's POI index order, made of
 * the blocks listed by {@link #blocks()}, as {@link PoiFeatureBuilder} fitted them. Immutable.
 */
public final class PoiFeatures {

  private final FloatMatrix matrix;
  private final ImmutableList<FeatureBlock> blocks;
  private final int trainingCheckIns;

  /**
   * Wraps a matrix and its block layout.
   *
   * @throws IllegalArgumentException when the blocks do not tile the columns exactly, in order
   */
  public PoiFeatures(FloatMatrix matrix, List<FeatureBlock> blocks, int trainingCheckIns) {
    this.matrix = checkNotNull(matrix, "matrix");
    this.blocks = ImmutableList.copyOf(blocks);
    checkArgument(!this.blocks.isEmpty(), "features need at least one block");
    int next = 0;
    for (FeatureBlock b : this.blocks) {
      checkArgument(
          b.offset() == next, "block %s starts at %s, expected %s", b.name(), b.offset(), next);
      next = b.end();
    }
    checkArgument(
        next == matrix.cols(), "blocks cover %s columns, the matrix has %s", next, matrix.cols());
    checkArgument(trainingCheckIns >= 0, "trainingCheckIns must be >= 0");
    this.trainingCheckIns = trainingCheckIns;
  }

  /** The feature matrix: POIs x total width. */
  public FloatMatrix matrix() {
    return matrix;
  }

  /** The block layout, in column order. */
  public ImmutableList<FeatureBlock> blocks() {
    return blocks;
  }

  /** The block with the given name, if present (a zero-weight block is absent). */
  public Optional<FeatureBlock> block(String name) {
    return blocks.stream().filter(b -> b.name().equals(name)).findFirst();
  }

  /** Number of POIs (rows). */
  public int poiCount() {
    return matrix.rows();
  }

  /** Total width (columns). */
  public int dimension() {
    return matrix.cols();
  }

  /** The number of training check-ins the behavioural blocks were fitted on. */
  public int trainingCheckIns() {
    return trainingCheckIns;
  }

  /** A multi-line, human-readable listing of the blocks. */
  public String describe() {
    StringBuilder sb =
        new StringBuilder(
            "POI features: %d POIs x %d dimensions, fitted on %d training check-ins%n"
                .formatted(matrix.rows(), matrix.cols(), trainingCheckIns));
    for (FeatureBlock b : blocks) {
      sb.append(
          "  %-13s columns [%4d, %4d)  width %3d  weight %.3f  %s%n"
              .formatted(b.name(), b.offset(), b.end(), b.width(), b.weight(), b.detail()));
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "PoiFeatures[%dx%d, %d blocks]".formatted(matrix.rows(), matrix.cols(), blocks.size());
  }
}
