package org.refinepoi.som;

import org.refinepoi.core.math.FloatMatrix;

/** Comparisons of matrices the SOM tests share. */
public final class SomTestMatrices {

  private SomTestMatrices() {}

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
