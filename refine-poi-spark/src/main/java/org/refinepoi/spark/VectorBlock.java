package org.refinepoi.spark;

import java.io.Serial;
import java.io.Serializable;
import org.refinepoi.core.math.FloatMatrix;

/**
 * A block of consecutive rows of one partition: their vectors as one matrix (what the SOM kernels
 * read) and their order keys. A row's key is its order-column value when the data set has one, else
 * its 0-based position in the data set ({@code offsets[partition] + firstIndex + i}, resolved once
 * the partitions' sizes are known). Immutable.
 */
final class VectorBlock implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  private final int partition;
  private final long firstIndex;
  private final long[] orderKeys;
  private final FloatMatrix vectors;

  VectorBlock(int partition, long firstIndex, long[] orderKeys, FloatMatrix vectors) {
    this.partition = partition;
    this.firstIndex = firstIndex;
    this.orderKeys = orderKeys;
    this.vectors = vectors;
  }

  FloatMatrix vectors() {
    return vectors;
  }

  int rows() {
    return vectors.rows();
  }

  int partition() {
    return partition;
  }

  /** The order key of row {@code i}, given each partition's first position. */
  long key(int i, long[] offsets) {
    return orderKeys != null ? orderKeys[i] : offsets[partition] + firstIndex + i;
  }

  /** The same rows with other vectors (the residuals of a RESIDUAL level). */
  VectorBlock withVectors(FloatMatrix other) {
    return new VectorBlock(partition, firstIndex, orderKeys, other);
  }
}
