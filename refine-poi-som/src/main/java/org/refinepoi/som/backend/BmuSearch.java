package org.refinepoi.som.backend;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.refinepoi.core.math.FloatMatrix;

/**
 * BMU search for single vectors (assigning new POIs, online training), with exactly the arithmetic
 * of the Java backend's kernels ({@code ||w||^2 - 2 x.w} by fused multiply-adds in feature order,
 * lowest index on ties), so a vector gets the same unit here as in a batch epoch.
 */
public final class BmuSearch {

  private final FloatMatrix codebook;
  private final float[] norms;

  /** Prepares a codebook (M × D) for repeated searches. */
  public BmuSearch(FloatMatrix codebook) {
    this.codebook = checkNotNull(codebook, "codebook");
    int m = codebook.rows();
    int d = codebook.cols();
    float[] w = codebook.unsafeData();
    this.norms = new float[m];
    for (int j = 0; j < m; j++) {
      float n = 0f;
      for (int c = 0; c < d; c++) {
        float v = w[j * d + c];
        n = Math.fma(v, v, n);
      }
      norms[j] = n;
    }
  }

  /**
   * The best-matching unit of {@code x[offset..offset+d)} in a raw row-major codebook of {@code m}
   * units, without preparing a {@link BmuSearch} (for codebooks that change every call, as in the
   * online rule). Same arithmetic and tie rule as the instance method; no validation of {@code x}.
   *
   * @return the unit, or -1 when every score is infinite or NaN
   */
  public static int bmu(float[] w, int m, int d, float[] x, int offset) {
    float best = Float.POSITIVE_INFINITY;
    int arg = -1;
    for (int j = 0; j < m; j++) {
      float norm = 0f;
      float acc = 0f;
      int wb = j * d;
      for (int c = 0; c < d; c++) {
        float v = w[wb + c];
        norm = Math.fma(v, v, norm);
        acc = Math.fma(x[offset + c], v, acc);
      }
      float s = Math.fma(acc, -2f, norm);
      if (s < best) {
        best = s;
        arg = j;
      }
    }
    return arg;
  }

  /** The codebook searched. */
  public FloatMatrix codebook() {
    return codebook;
  }

  /**
   * The best-matching unit of a vector.
   *
   * @throws IllegalArgumentException when the vector's length differs from the codebook's columns
   *     or it holds a non-finite value
   */
  public int bmu(float[] x) {
    return bmu(x, 0);
  }

  /** The best-matching unit of the D values of {@code x} starting at {@code offset}. */
  public int bmu(float[] x, int offset) {
    checkNotNull(x, "x");
    int d = codebook.cols();
    checkArgument(
        offset >= 0 && x.length - offset >= d,
        "vector has %s values from offset %s, the codebook needs %s",
        x.length - offset,
        offset,
        d);
    for (int c = 0; c < d; c++) {
      if (!Float.isFinite(x[offset + c])) {
        throw new IllegalArgumentException("vector value " + c + " is " + x[offset + c]);
      }
    }
    float[] w = codebook.unsafeData();
    float best = Float.POSITIVE_INFINITY;
    int arg = -1;
    for (int j = 0; j < norms.length; j++) {
      float acc = 0f;
      int wb = j * d;
      for (int c = 0; c < d; c++) {
        acc = Math.fma(x[offset + c], w[wb + c], acc);
      }
      float s = Math.fma(acc, -2f, norms[j]);
      if (s < best) {
        best = s;
        arg = j;
      }
    }
    if (arg < 0) {
      throw KernelSupport.overflow(0);
    }
    return arg;
  }
}
