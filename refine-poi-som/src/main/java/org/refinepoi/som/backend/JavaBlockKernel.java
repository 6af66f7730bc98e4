package org.refinepoi.som.backend;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.refinepoi.core.math.FloatMatrix;

/**
 * The pure-Java backend's work on one block of samples at a time: the map side of a batch map whose
 * samples never sit in one heap (the partitions of a Spark data set, streamed block by block). It
 * runs the same kernel and arithmetic as a {@link JavaSomBackend} session, so a sample gets the
 * same BMU, the same distance and the same fixed-point contribution whichever way the data is
 * split; the sums of all blocks ({@link FixedPointSums#plus}) equal the session's {@link
 * SomSession#accumulate} bit for bit. Single-threaded; thread-safe (no mutable state).
 */
public final class JavaBlockKernel {

  private static volatile BmuKernel shared;

  private final BmuKernel kernel;

  private JavaBlockKernel(BmuKernel kernel) {
    this.kernel = kernel;
  }

  /**
   * The fastest kernel this JVM can run (the Vector API one with {@code --add-modules
   * jdk.incubator.vector}, else the scalar one with the same results), chosen once per JVM.
   */
  public static JavaBlockKernel create() {
    BmuKernel k = shared;
    if (k == null) {
      synchronized (JavaBlockKernel.class) {
        if (shared == null) {
          shared = KernelSupport.best();
        }
        k = shared;
      }
    }
    return new JavaBlockKernel(k);
  }

  /** Which kernel runs: {@code vector(512-bit, 16 lanes)} or {@code scalar}. */
  public String description() {
    return kernel.description();
  }

  /**
   * A codebook packed for this kernel, to reuse across the blocks of one epoch.
   *
   * @param codebook M × D prototypes, M >= 1
   */
  public PreparedCodebook prepare(FloatMatrix codebook) {
    checkNotNull(codebook, "codebook");
    return new PreparedCodebook(codebook, new PackedCodebook(codebook, kernel.tile()));
  }

  /**
   * Adds a block's samples to an epoch's sums: each sample's BMU against the prepared codebook, its
   * values and its squared error, exactly as {@link SomSession#accumulate} adds it.
   *
   * @throws IllegalArgumentException when the block's width differs from the codebook's, or a
   *     sample's distances overflow float32
   */
  public void accumulate(
      FloatMatrix block, PreparedCodebook codebook, FixedPointSums.Accumulator into) {
    checkNotNull(block, "block");
    checkNotNull(codebook, "codebook");
    checkNotNull(into, "into");
    SomSession.checkCodebook(codebook.codebook, block.cols(), false);
    int n = block.rows();
    int[] best = new int[n];
    float[] score = new float[n];
    float[] x = block.unsafeData();
    kernel.bmu(x, 0, n, codebook.packed, best, score, null);
    addRows(x, 0, n, block.cols(), best, score, squaredNorms(x, 0, n, block.cols()), 0, into);
  }

  /**
   * The BMUs of a block (and its second-best units when asked), with the same distances as {@link
   * SomSession#bmu}.
   *
   * @throws IllegalArgumentException when the widths differ, a second unit is asked of a one-unit
   *     codebook, or a sample's distances overflow float32
   */
  public BmuResult bmu(FloatMatrix block, PreparedCodebook codebook, boolean withSecond) {
    checkNotNull(block, "block");
    checkNotNull(codebook, "codebook");
    SomSession.checkCodebook(codebook.codebook, block.cols(), withSecond);
    int n = block.rows();
    int[] best = new int[n];
    int[] second = withSecond ? new int[n] : null;
    float[] dist = new float[n];
    float[] x = block.unsafeData();
    kernel.bmu(x, 0, n, codebook.packed, best, null, second);
    distances(x, 0, n, codebook.codebook, best, dist);
    return new BmuResult(best, dist, second);
  }

  /**
   * Adds rows {@code from..to-1} of {@code x} with their BMUs and winning scores.
   *
   * @param norms the rows' squared norms, indexed from {@code normsFrom} for row {@code from}
   */
  static void addRows(
      float[] x,
      int from,
      int to,
      int d,
      int[] best,
      float[] score,
      float[] norms,
      int normsFrom,
      FixedPointSums.Accumulator into) {
    for (int i = from; i < to; i++) {
      into.add(x, i * d, best[i], Math.max(0.0, (double) score[i] + norms[normsFrom + i - from]));
    }
  }

  /** Squared norms of rows {@code from..to-1}, by fused multiply-adds in feature order. */
  static float[] squaredNorms(float[] x, int from, int to, int d) {
    float[] out = new float[to - from];
    for (int i = from; i < to; i++) {
      float s = 0f;
      for (int c = 0; c < d; c++) {
        s = Math.fma(x[i * d + c], x[i * d + c], s);
      }
      out[i - from] = s;
    }
    return out;
  }

  /** The exact Euclidean distance (double differences) of rows {@code from..to-1} to their BMU. */
  static void distances(
      float[] x, int from, int to, FloatMatrix codebook, int[] best, float[] out) {
    int d = codebook.cols();
    float[] w = codebook.unsafeData();
    for (int i = from; i < to; i++) {
      out[i] = (float) Math.sqrt(squaredDistance(x, i * d, w, best[i] * d, d));
    }
  }

  /** The squared Euclidean distance of two D-vectors, from double differences. */
  static double squaredDistance(float[] a, int ao, float[] b, int bo, int d) {
    double s = 0;
    for (int c = 0; c < d; c++) {
      double diff = (double) a[ao + c] - b[bo + c];
      s += diff * diff;
    }
    return s;
  }

  /** A codebook packed for {@link JavaBlockKernel}; immutable. */
  public static final class PreparedCodebook {
    private final FloatMatrix codebook;
    private final PackedCodebook packed;

    private PreparedCodebook(FloatMatrix codebook, PackedCodebook packed) {
      checkArgument(codebook.rows() >= 1, "codebook needs a unit");
      this.codebook = codebook;
      this.packed = packed;
    }

    /** The codebook, M × D. */
    public FloatMatrix codebook() {
      return codebook;
    }
  }
}
