package org.refinepoi.som.backend;

/**
 * The plain-Java kernel, used when the Vector API module is not enabled. Register-blocked like the
 * vector kernel (four samples × four units: sixteen independent fused-multiply-add chains per
 * feature, which keeps both FMA pipes busy), with the same scores (each unit's dot product
 * accumulated by {@link Math#fma} in feature order), so the same BMUs.
 */
final class ScalarBmuKernel implements BmuKernel {

  /** Units per tile (a multiple of the 4-unit block). */
  static final int TILE = 64;

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
    float[] w = cb.packed();
    float[] norms = cb.norms();
    float[] b1 = new float[4];
    float[] b2 = new float[4];
    int[] i1 = new int[4];
    int[] i2 = new int[4];
    float[] tail = new float[4 * dims];
    float[] s = new float[16];
    for (int g = from; g < to; g += 4) {
      int live = Math.min(4, to - g);
      float[] xs = x;
      int r0 = g * dims;
      if (live < 4) {
        java.util.Arrays.fill(tail, 0f);
        System.arraycopy(x, g * dims, tail, 0, live * dims);
        xs = tail;
        r0 = 0;
      }
      java.util.Arrays.fill(b1, Float.POSITIVE_INFINITY);
      java.util.Arrays.fill(b2, Float.POSITIVE_INFINITY);
      java.util.Arrays.fill(i1, Integer.MAX_VALUE);
      java.util.Arrays.fill(i2, Integer.MAX_VALUE);
      for (int t = 0; t < cb.tiles(); t++) {
        int base = t * TILE * dims;
        for (int u = 0; u < TILE; u += 4) {
          block(xs, r0, dims, w, base + u, s);
          int j0 = t * TILE + u;
          for (int q = 0; q < live; q++) {
            for (int k = 0; k < 4; k++) {
              int j = j0 + k;
              float v = Math.fma(s[q * 4 + k], -2f, norms[j]);
              if (v < b1[q]) {
                b2[q] = b1[q];
                i2[q] = i1[q];
                b1[q] = v;
                i1[q] = j;
              } else if (v < b2[q]) {
                b2[q] = v;
                i2[q] = j;
              }
            }
          }
        }
      }
      for (int q = 0; q < live; q++) {
        if (i1[q] == Integer.MAX_VALUE) {
          throw KernelSupport.overflow(g + q);
        }
        best[g + q] = i1[q];
        if (bestScore != null) {
          bestScore[g + q] = b1[q];
        }
        if (second != null) {
          second[g + q] = i2[q];
        }
      }
    }
  }

  /** Dot products of four samples with four consecutive units of a tile, into {@code out}. */
  private static void block(float[] xs, int r0, int dims, float[] w, int wo, float[] out) {
    float a00 = 0f;
    float a01 = 0f;
    float a02 = 0f;
    float a03 = 0f;
    float a10 = 0f;
    float a11 = 0f;
    float a12 = 0f;
    float a13 = 0f;
    float a20 = 0f;
    float a21 = 0f;
    float a22 = 0f;
    float a23 = 0f;
    float a30 = 0f;
    float a31 = 0f;
    float a32 = 0f;
    float a33 = 0f;
    int r1 = r0 + dims;
    int r2 = r1 + dims;
    int r3 = r2 + dims;
    for (int d = 0, o = wo; d < dims; d++, o += TILE) {
      float w0 = w[o];
      float w1 = w[o + 1];
      float w2 = w[o + 2];
      float w3 = w[o + 3];
      float x0 = xs[r0 + d];
      float x1 = xs[r1 + d];
      float x2 = xs[r2 + d];
      float x3 = xs[r3 + d];
      a00 = Math.fma(x0, w0, a00);
      a01 = Math.fma(x0, w1, a01);
      a02 = Math.fma(x0, w2, a02);
      a03 = Math.fma(x0, w3, a03);
      a10 = Math.fma(x1, w0, a10);
      a11 = Math.fma(x1, w1, a11);
      a12 = Math.fma(x1, w2, a12);
      a13 = Math.fma(x1, w3, a13);
      a20 = Math.fma(x2, w0, a20);
      a21 = Math.fma(x2, w1, a21);
      a22 = Math.fma(x2, w2, a22);
      a23 = Math.fma(x2, w3, a23);
      a30 = Math.fma(x3, w0, a30);
      a31 = Math.fma(x3, w1, a31);
      a32 = Math.fma(x3, w2, a32);
      a33 = Math.fma(x3, w3, a33);
    }
    out[0] = a00;
    out[1] = a01;
    out[2] = a02;
    out[3] = a03;
    out[4] = a10;
    out[5] = a11;
    out[6] = a12;
    out[7] = a13;
    out[8] = a20;
    out[9] = a21;
    out[10] = a22;
    out[11] = a23;
    out[12] = a30;
    out[13] = a31;
    out[14] = a32;
    out[15] = a33;
  }
}
