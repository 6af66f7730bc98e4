package org.refinepoi.som.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Serial;
import java.io.Serializable;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.som.backend.FixedPoint;
import org.refinepoi.som.backend.SumFormat;

/**
 * The moments that PCA initialization reads (the column means, then the D × D covariance of the
 * centred samples), summed in 64-bit fixed point so that they do not depend on the order of the
 * samples or on how they are split: the sums of the partitions of a distributed data set, merged in
 * any order, are the sums {@link Initialization#PCA} forms over the whole matrix, so both start
 * from the same codebook bit for bit. Two passes: {@link Sums} for the mean, then {@link
 * Covariance} around it. Both are accumulators: mutable, not thread-safe, serializable (one per
 * task, combined with {@code merge}).
 */
public final class PcaMoments {

  private PcaMoments() {}

  /** The column sums of the samples, for the mean. */
  public static final class Sums implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    private final SumFormat format;
    private final double[] scale;
    private final long[] sums;
    private long count;

    /** Empty sums for samples of a format (which fixes the number of samples and the bits). */
    public Sums(SumFormat format) {
      this.format = checkNotNull(format, "format");
      int d = format.dims();
      this.scale = new double[d];
      for (int c = 0; c < d; c++) {
        scale[c] = Math.scalb(1.0, format.bits(c));
      }
      this.sums = new long[d];
    }

    /** Adds the sample {@code x[offset..offset+D)}. */
    public void add(float[] x, int offset) {
      for (int c = 0; c < sums.length; c++) {
        sums[c] += (long) Math.rint(x[offset + c] * scale[c]);
      }
      count++;
    }

    /** Adds every row of a matrix. */
    public Sums addAll(FloatMatrix rows) {
      checkNotNull(rows, "rows");
      checkArgument(
          rows.cols() == sums.length,
          "rows have %s columns, expected %s",
          rows.cols(),
          sums.length);
      float[] x = rows.unsafeData();
      for (int i = 0; i < rows.rows(); i++) {
        add(x, i * sums.length);
      }
      return this;
    }

    /**
     * Adds another part's sums into this one.
     *
     * @return this
     * @throws IllegalArgumentException when the formats differ
     */
    public Sums merge(Sums other) {
      checkArgument(other.format.equals(format), "sums in different formats");
      for (int c = 0; c < sums.length; c++) {
        sums[c] = Math.addExact(sums[c], other.sums[c]);
      }
      count += other.count;
      return this;
    }

    /**
     * The column means.
     *
     * @throws IllegalStateException when the number of samples added differs from the format's
     */
    public double[] mean() {
      checkState();
      double[] mean = new double[sums.length];
      for (int c = 0; c < sums.length; c++) {
        mean[c] = FixedPoint.toDouble(sums[c], format.bits(c)) / count;
      }
      return mean;
    }

    private void checkState() {
      if (count != format.samples()) {
        throw new IllegalStateException(
            "summed " + count + " samples, the format is for " + format.samples());
      }
    }
  }

  /** The upper triangle of the scatter matrix of the samples around a given mean. */
  public static final class Covariance implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    private final SumFormat format;
    private final double[] mean;
    private final double[] scale;
    private final long[] sums;
    private long count;
    private transient double[] row;

    /**
     * Empty sums around a mean (from {@link Sums#mean()} of the same samples).
     *
     * @throws IllegalArgumentException when the mean's length differs from the format's width
     */
    public Covariance(SumFormat format, double[] mean) {
      this.format = checkNotNull(format, "format");
      checkNotNull(mean, "mean");
      int d = format.dims();
      checkArgument(mean.length == d, "mean has %s values for %s columns", mean.length, d);
      this.mean = mean.clone();
      float[] maxAbs = format.columnMaxAbs();
      this.scale = new double[d * d];
      for (int a = 0; a < d; a++) {
        for (int b = a; b < d; b++) {
          // |x - mean| <= 2 maxAbs per column, so a product is at most 4 maxAbs_a maxAbs_b.
          double bound = 4.0 * maxAbs[a] * maxAbs[b];
          scale[a * d + b] = Math.scalb(1.0, FixedPoint.bits(format.samples(), bound));
        }
      }
      this.sums = new long[d * d];
    }

    /** Adds the sample {@code x[offset..offset+D)}. */
    public void add(float[] x, int offset) {
      int d = mean.length;
      if (row == null) {
        row = new double[d];
      }
      for (int c = 0; c < d; c++) {
        row[c] = x[offset + c] - mean[c];
      }
      for (int a = 0; a < d; a++) {
        double ra = row[a];
        if (ra == 0) {
          continue;
        }
        int base = a * d;
        for (int b = a; b < d; b++) {
          sums[base + b] += (long) Math.rint(ra * row[b] * scale[base + b]);
        }
      }
      count++;
    }

    /** Adds every row of a matrix. */
    public Covariance addAll(FloatMatrix rows) {
      checkNotNull(rows, "rows");
      int d = mean.length;
      checkArgument(rows.cols() == d, "rows have %s columns, expected %s", rows.cols(), d);
      float[] x = rows.unsafeData();
      for (int i = 0; i < rows.rows(); i++) {
        add(x, i * d);
      }
      return this;
    }

    /**
     * Adds another part's sums into this one.
     *
     * @return this
     * @throws IllegalArgumentException when the formats or means differ
     */
    public Covariance merge(Covariance other) {
      checkArgument(
          other.format.equals(format) && java.util.Arrays.equals(other.mean, mean),
          "covariance sums around different means or formats");
      for (int i = 0; i < sums.length; i++) {
        sums[i] = Math.addExact(sums[i], other.sums[i]);
      }
      count += other.count;
      return this;
    }

    /**
     * The D × D sample covariance (divided by {@code max(1, n - 1)}), row-major and symmetric.
     *
     * @throws IllegalStateException when the number of samples added differs from the format's
     */
    public double[] matrix() {
      if (count != format.samples()) {
        throw new IllegalStateException(
            "summed " + count + " samples, the format is for " + format.samples());
      }
      int d = mean.length;
      double[] cov = new double[d * d];
      long n = format.samples();
      for (int a = 0; a < d; a++) {
        for (int b = a; b < d; b++) {
          int bits = Math.getExponent(scale[a * d + b]);
          cov[a * d + b] = FixedPoint.toDouble(sums[a * d + b], bits) / Math.max(1, n - 1);
          cov[b * d + a] = cov[a * d + b];
        }
      }
      return cov;
    }
  }
}
