package org.refinepoi.som.backend;

/**
 * The plain-Java kernel, used when the Vector API module is not enabled. Same scores as the vector
 * kernel (fused multiply-adds in feature order), so the same BMUs.
 */
final class ScalarBmuKernel implements BmuKernel {

  /** Units per tile: small enough that a tile's column block stays in L1 for typical D. */
  static final int TILE = 16;

  @Override
  public int tile() {
    return TILE;
  }

  @Override
  public String description() {
    return "scalar";
  }

  @Override
  public void bmu(
      float[] x, int from, int to, PackedCodebook cb, int[] best, float[] bestScore, int[] second) {
    int dims = cb.dims();
    int tile = cb.tile();
    float[] w = cb.packed();
    float[] norms = cb.norms();
    float[] acc = new float[tile];
    for (int i = from; i < to; i++) {
      int xb = i * dims;
      float b1 = Float.POSITIVE_INFINITY;
      float b2 = Float.POSITIVE_INFINITY;
      int i1 = Integer.MAX_VALUE;
      int i2 = Integer.MAX_VALUE;
      for (int t = 0; t < cb.tiles(); t++) {
        java.util.Arrays.fill(acc, 0f);
        int base = t * tile * dims;
        for (int d = 0; d < dims; d++) {
          float xv = x[xb + d];
          int off = base + d * tile;
          for (int u = 0; u < tile; u++) {
            acc[u] = Math.fma(xv, w[off + u], acc[u]);
          }
        }
        for (int u = 0; u < tile; u++) {
          int j = t * tile + u;
          float s = Math.fma(acc[u], -2f, norms[j]);
          if (s < b1) {
            b2 = b1;
            i2 = i1;
            b1 = s;
            i1 = j;
          } else if (s < b2) {
            b2 = s;
            i2 = j;
          }
        }
      }
      if (i1 == Integer.MAX_VALUE) {
        throw KernelSupport.overflow(i);
      }
      best[i] = i1;
      if (bestScore != null) {
        bestScore[i] = b1;
      }
      if (second != null) {
        second[i] = i2;
      }
    }
  }
}
