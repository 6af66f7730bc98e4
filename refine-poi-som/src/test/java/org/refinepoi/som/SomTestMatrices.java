package org.refinepoi.som;

import org.refinepoi.core.math.FloatMatrix;

/** Test matrices and comparisons the SOM tests (and the Spark module's) share. */
public final class SomTestMatrices {

  private SomTestMatrices() {}

  /** Points around 12 cluster centres in 8-D, so several POIs share leaves. */
  public static FloatMatrix clustered(int n, long seed) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    int d = 8;
    float[][] centres = new float[12][d];
    for (float[] c : centres) {
      for (int k = 0; k < d; k++) {
        c[k] = (float) (r.nextDouble() * 10);
      }
    }
    float[] v = new float[n * d];
    for (int i = 0; i < n; i++) {
      float[] c = centres[r.nextInt(centres.length)];
      for (int k = 0; k < d; k++) {
        v[i * d + k] = c[k] + (float) (r.nextGaussian() * 0.5);
      }
    }
    return FloatMatrix.wrap(n, d, v);
  }

  /** {@code ||a - b|| / ||b||} in double (Frobenius norms). */
  public static double relativeError(FloatMatrix a, FloatMatrix b) {
    double num = 0;
    double den = 0;
    float[] x = a.unsafeData();
    float[] y = b.unsafeData();
    for (int i = 0; i < x.length; i++) {
      num += ((double) x[i] - y[i]) * ((double) x[i] - y[i]);
      den += (double) y[i] * y[i];
    }
    return Math.sqrt(num / den);
  }
}
