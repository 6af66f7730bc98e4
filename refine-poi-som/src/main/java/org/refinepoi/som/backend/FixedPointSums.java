package org.refinepoi.som.backend;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import org.refinepoi.core.math.FloatMatrix;

/**
 * The per-unit reduction of a batch-map epoch in 64-bit fixed point ({@link SumFormat}): per unit
 * the sum of the samples it won and their count, plus the total squared quantization error.
 * Addition ({@link #plus}) is exact integer addition, so the sums of any split of the samples
 * (threads, partitions of a Spark job, machines), reduced in any order, have the same bits as the
 * sums over all samples at once. {@link #toUnitSums()} gives the double-precision view the
 * neighbourhood smoothing reads. Immutable and serializable; build one with an {@link Accumulator}.
 */
public final class FixedPointSums implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  private final SumFormat format;
  private final int units;
  private final int errorBits;
  private final long[] sums;
  private final long[] counts;
  private final long squaredError;

  private FixedPointSums(
      SumFormat format, int units, int errorBits, long[] sums, long[] counts, long squaredError) {
    this.format = format;
    this.units = units;
    this.errorBits = errorBits;
    this.sums = sums;
    this.counts = counts;
    this.squaredError = squaredError;
  }

  /**
   * An empty accumulator for one epoch against a codebook (M × D, D = {@code format.dims()}).
   *
   * @throws IllegalArgumentException when the codebook's width differs from the format's
   */
  public static Accumulator accumulator(SumFormat format, FloatMatrix codebook) {
    checkNotNull(format, "format");
    checkNotNull(codebook, "codebook");
    checkArgument(
        codebook.cols() == format.dims(),
        "codebook has %s columns, the data has %s",
        codebook.cols(),
        format.dims());
    return new Accumulator(format, codebook.rows(), format.errorBits(codebook));
  }

  /** Number of units M. */
  public int units() {
    return units;
  }

  /** Number of features D. */
  public int dims() {
    return format.dims();
  }

  /** The format the sums are in. */
  public SumFormat format() {
    return format;
  }

  /** The number of samples a unit won. */
  public long count(int unit) {
    return counts[unit];
  }

  /** The total number of samples summed. */
  public long samples() {
    long s = 0;
    for (long c : counts) {
      s += c;
    }
    return s;
  }

  /**
   * The sums of two disjoint parts of the same epoch's samples (same format, same codebook size):
   * exact, associative and commutative.
   *
   * @throws IllegalArgumentException when the formats or shapes differ
   * @throws ArithmeticException when a sum overflows (only possible when the parts hold more
   *     samples, or larger values, than the format was made for)
   */
  public FixedPointSums plus(FixedPointSums other) {
    checkNotNull(other, "other");
    checkArgument(
        other.units == units && other.format.equals(format) && other.errorBits == errorBits,
        "cannot add sums of %s units in %s to sums of %s units in %s",
        other.units,
        other.format,
        units,
        format);
    long[] s = new long[sums.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = Math.addExact(sums[i], other.sums[i]);
    }
    long[] c = new long[counts.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = counts[i] + other.counts[i];
    }
    return new FixedPointSums(
        format, units, errorBits, s, c, Math.addExact(squaredError, other.squaredError));
  }

  /** The sums as doubles ({@code fixed * 2^-bits}), for the neighbourhood smoothing. */
  public UnitSums toUnitSums() {
    int d = format.dims();
    double[] s = new double[sums.length];
    for (int j = 0; j < units; j++) {
      for (int c = 0; c < d; c++) {
        s[j * d + c] = FixedPoint.toDouble(sums[j * d + c], format.bits(c));
      }
    }
    return new UnitSums(units, d, s, counts.clone(), FixedPoint.toDouble(squaredError, errorBits));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FixedPointSums f
        && units == f.units
        && errorBits == f.errorBits
        && squaredError == f.squaredError
        && format.equals(f.format)
        && Arrays.equals(sums, f.sums)
        && Arrays.equals(counts, f.counts);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(sums) + Arrays.hashCode(counts))
        + Long.hashCode(squaredError);
  }

  @Override
  public String toString() {
    return "FixedPointSums[units=" + units + ", samples=" + samples() + ", " + format + "]";
  }

  /**
   * Adds samples one at a time into fixed-point sums. Not thread-safe: one accumulator per thread
   * or task, combined with {@link FixedPointSums#plus}.
   */
  public static final class Accumulator {
    private final SumFormat format;
    private final int units;
    private final int dims;
    private final int errorBits;
    private final double[] scale;
    private final double errorScale;
    private final long[] sums;
    private final long[] counts;
    private long squaredError;

    private Accumulator(SumFormat format, int units, int errorBits) {
      this.format = format;
      this.units = units;
      this.dims = format.dims();
      this.errorBits = errorBits;
      this.scale = new double[dims];
      for (int c = 0; c < dims; c++) {
        scale[c] = Math.scalb(1.0, format.bits(c));
      }
      this.errorScale = Math.scalb(1.0, errorBits);
      this.sums = new long[Math.multiplyExact(units, dims)];
      this.counts = new long[units];
    }

    /**
     * Adds one sample to a unit.
     *
     * @param x row-major samples
     * @param offset where the sample's D values start in {@code x}
     * @param unit the unit it goes to, in {@code [0, M)}
     * @param squaredDistance its squared distance to the unit (for the error total), >= 0
     */
    public void add(float[] x, int offset, int unit, double squaredDistance) {
      counts[unit]++;
      int base = unit * dims;
      for (int c = 0; c < dims; c++) {
        // x * 2^bits is exact in double: only the rounding to an integer loses anything.
        sums[base + c] += (long) Math.rint(x[offset + c] * scale[c]);
      }
      squaredError += (long) Math.rint(squaredDistance * errorScale);
    }

    /** The sums so far, as an immutable value (the accumulator can go on adding). */
    public FixedPointSums build() {
      return new FixedPointSums(
          format, units, errorBits, sums.clone(), counts.clone(), squaredError);
    }
  }
}
