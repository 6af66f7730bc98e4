package org.refinepoi.examples.report;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * One line of a training-curve chart. NaN values are gaps (a metric a step did not report) and are
 * left out of the drawing; infinite values are refused.
 *
 * @param name the legend label
 * @param x the x value of each point (for example the step)
 * @param y the y value of each point
 */
public record Curve(String name, double[] x, double[] y) {

  /** Copies the arrays and checks they are equally long and hold no infinity. */
  public Curve {
    checkNotNull(name, "name");
    checkNotNull(x, "x");
    checkNotNull(y, "y");
    checkArgument(!name.isBlank(), "a curve needs a name");
    checkArgument(
        x.length == y.length, "curve %s: %s x values but %s y values", name, x.length, y.length);
    for (int i = 0; i < x.length; i++) {
      checkArgument(
          !Double.isInfinite(x[i]) && !Double.isInfinite(y[i]),
          "curve %s: point %s is infinite",
          name,
          i);
    }
    x = x.clone();
    y = y.clone();
  }

  /** The x values (a copy). */
  @Override
  public double[] x() {
    return x.clone();
  }

  /** The y values (a copy). */
  @Override
  public double[] y() {
    return y.clone();
  }

  /** A curve over steps 0, 1, 2, ... */
  public static Curve ofSteps(String name, double[] y) {
    checkNotNull(y, "y");
    double[] x = new double[y.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    return new Curve(name, x, y);
  }

  /** Number of points whose x and y are both numbers (not NaN). */
  public int finitePoints() {
    int n = 0;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
        n++;
      }
    }
    return n;
  }

  /** The x values of the points that are numbers. */
  double[] finiteX() {
    return finite(true);
  }

  /** The y values of the points that are numbers. */
  double[] finiteY() {
    return finite(false);
  }

  private double[] finite(boolean wantX) {
    double[] out = new double[finitePoints()];
    int k = 0;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
        out[k++] = wantX ? x[i] : y[i];
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Curve c
        && name.equals(c.name)
        && java.util.Arrays.equals(x, c.x)
        && java.util.Arrays.equals(y, c.y);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + 17 * java.util.Arrays.hashCode(x) + java.util.Arrays.hashCode(y);
  }

  @Override
  public String toString() {
    return "Curve[" + name + ", " + x.length + " points]";
  }
}
