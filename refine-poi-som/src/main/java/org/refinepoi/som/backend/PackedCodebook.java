package org.refinepoi.som.backend;

import org.refinepoi.core.math.FloatMatrix;

/**
 * A codebook rearranged for the BMU kernels: units in tiles of {@code tile} units, and inside a
 * tile feature-major ({@code packed[t*tile*D + d*tile + u]} is feature d of unit t*tile+u), so the
 * kernel loads {@code tile} units' values of one feature as contiguous vectors. Padding units (past
 * M) hold zeros and an infinite norm, so they never win.
 */
final class PackedCodebook {

  private final int units;
  private final int dims;
  private final int tile;
  private final int tiles;
  private final float[] packed;
  private final float[] norms;

  PackedCodebook(FloatMatrix codebook, int tile) {
    this.units = codebook.rows();
    this.dims = codebook.cols();
    this.tile = tile;
    this.tiles = (units + tile - 1) / tile;
    this.packed = new float[tiles * tile * dims];
    this.norms = new float[tiles * tile];
    float[] w = codebook.unsafeData();
    for (int j = 0; j < units; j++) {
      int t = j / tile;
      int u = j % tile;
      float n = 0f;
      for (int d = 0; d < dims; d++) {
        float v = w[j * dims + d];
        packed[t * tile * dims + d * tile + u] = v;
        n = Math.fma(v, v, n);
      }
      norms[j] = n;
    }
    for (int j = units; j < norms.length; j++) {
      norms[j] = Float.POSITIVE_INFINITY;
    }
  }

  int units() {
    return units;
  }

  int dims() {
    return dims;
  }

  int tile() {
    return tile;
  }

  int tiles() {
    return tiles;
  }

  float[] packed() {
    return packed;
  }

  float[] norms() {
    return norms;
  }
}
