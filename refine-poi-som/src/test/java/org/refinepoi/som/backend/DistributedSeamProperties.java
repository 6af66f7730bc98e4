package org.refinepoi.som.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.train.Initialization;
import org.refinepoi.som.train.PcaMoments;

/**
 * The seam a distributed trainer stands on: sums over any split of the samples, merged in any
 * order, equal the single-session sums bit for bit; so do the PCA moments.
 */
class DistributedSeamProperties {

  /** Random contiguous blocks of the rows, in a shuffled order. */
  private static List<FloatMatrix> split(FloatMatrix x, int pieces, long seed) {
    Random r = new Random(seed);
    List<Integer> cuts = new ArrayList<>();
    for (int i = 0; i < pieces - 1; i++) {
      cuts.add(1 + r.nextInt(x.rows() - 1));
    }
    cuts.add(0);
    cuts.add(x.rows());
    Collections.sort(cuts);
    List<FloatMatrix> out = new ArrayList<>();
    for (int i = 0; i + 1 < cuts.size(); i++) {
      int from = cuts.get(i);
      int to = cuts.get(i + 1);
      if (to > from) {
        int[] rows = new int[to - from];
        for (int k = 0; k < rows.length; k++) {
          rows[k] = from + k;
        }
        out.add(x.selectRows(rows));
      }
    }
    Collections.shuffle(out, r);
    return out;
  }

  @Property(tries = 30)
  void blockSumsEqualTheSessionsBitForBit(
      @ForAll @IntRange(min = 1, max = 9) int pieces,
      @ForAll @IntRange(min = 0, max = 999) int seed) {
    FloatMatrix x = JavaBackendTest.gaussian(1500, 12, seed);
    FloatMatrix w = JavaBackendTest.gaussian(25, 12, seed + 1000);
    UnitSums whole;
    try (SomSession s = new JavaSomBackend(2).open(x)) {
      whole = s.accumulate(w);
    }
    SumFormat format = SumFormat.of(x);
    JavaBlockKernel kernel = JavaBlockKernel.create();
    JavaBlockKernel.PreparedCodebook cb = kernel.prepare(w);
    FixedPointSums total = null;
    for (FloatMatrix block : split(x, pieces, seed)) {
      FixedPointSums.Accumulator acc = FixedPointSums.accumulator(format, w);
      kernel.accumulate(block, cb, acc);
      total = total == null ? acc.build() : acc.build().plus(total);
    }
    UnitSums merged = total.toUnitSums();
    assertThat(merged.sums()).containsExactly(whole.sums());
    assertThat(merged.counts()).containsExactly(whole.counts());
    assertThat(merged.squaredError()).isEqualTo(whole.squaredError());
    assertThat(total.samples()).isEqualTo(1500);
  }

  @Property(tries = 15)
  void pcaMomentsDoNotDependOnTheSplit(
      @ForAll @IntRange(min = 1, max = 7) int pieces,
      @ForAll @IntRange(min = 0, max = 999) int seed) {
    FloatMatrix x = JavaBackendTest.gaussian(800, 10, seed);
    SumFormat format = SumFormat.of(x);
    double[] mean = new PcaMoments.Sums(format).addAll(x).mean();
    double[] cov = new PcaMoments.Covariance(format, mean).addAll(x).matrix();
    List<FloatMatrix> parts = split(x, pieces, seed);
    PcaMoments.Sums sums = new PcaMoments.Sums(format);
    for (FloatMatrix p : parts) {
      sums.merge(new PcaMoments.Sums(format).addAll(p));
    }
    assertThat(sums.mean()).containsExactly(mean);
    PcaMoments.Covariance c = new PcaMoments.Covariance(format, mean);
    for (FloatMatrix p : parts) {
      c.merge(new PcaMoments.Covariance(format, mean).addAll(p));
    }
    assertThat(c.matrix()).containsExactly(cov);
    LatticeSpec lattice = LatticeSpec.rectangular(4, 5);
    assertThat(Initialization.pcaFromMoments(mean, cov, lattice, 3))
        .isEqualTo(Initialization.PCA.initialize(x, lattice, 3));
  }

  @Property(tries = 50)
  void sparseFisherYatesPicksTheDenseShufflesRows(
      @ForAll @IntRange(min = 1, max = 300) int n,
      @ForAll @IntRange(min = 1, max = 64) int m,
      @ForAll long seed) {
    // The dense partial Fisher-Yates the matrix path always used.
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
    long[] expected = new long[m];
    if (n >= m) {
      int[] perm = new int[n];
      for (int i = 0; i < n; i++) {
        perm[i] = i;
      }
      for (int i = 0; i < m; i++) {
        int j = i + rnd.nextInt(n - i);
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
        expected[i] = perm[i];
      }
    } else {
      for (int i = 0; i < m; i++) {
        expected[i] = rnd.nextInt(n);
      }
    }
    assertThat(Initialization.randomSampleRows(n, m, seed)).containsExactly(expected);
  }

  @Test
  void sumsOfDifferentFormatsOrShapesDoNotAdd() {
    FloatMatrix x = JavaBackendTest.gaussian(100, 4, 1);
    FloatMatrix w = JavaBackendTest.gaussian(5, 4, 2);
    FixedPointSums a = FixedPointSums.accumulator(SumFormat.of(x), w).build();
    FixedPointSums b =
        FixedPointSums.accumulator(SumFormat.of(x.selectRows(new int[] {0, 1})), w).build();
    assertThatThrownBy(() -> a.plus(b)).hasMessageContaining("cannot add");
    assertThatThrownBy(
            () -> FixedPointSums.accumulator(SumFormat.of(x), JavaBackendTest.gaussian(5, 3, 2)))
        .hasMessageContaining("columns");
    assertThatThrownBy(() -> SumFormat.of(0, new float[] {1})).hasMessageContaining("samples");
    assertThatThrownBy(() -> SumFormat.of(10, new float[] {Float.NaN}))
        .hasMessageContaining("finite");
  }

  @Test
  void fixedPointIsFinerThanFloatAndExactlyAdditive() {
    // 40 fractional bits for unit-scale data: every float in [-1, 1] above 2^-40 keeps its bits.
    assertThat(FixedPoint.bits(1000, 1.0)).isEqualTo(FixedPoint.MAX_BITS);
    float v = 0.1f;
    assertThat(FixedPoint.toDouble(FixedPoint.toFixed(v, 40), 40)).isEqualTo((double) v);
    assertThat(FixedPoint.toFixed(2.5 / (1L << 40), 40)).isEqualTo(2); // ties to even
    assertThat(FixedPoint.columnMaxAbs(new float[] {1, -3, -2, 2}, 2)).containsExactly(2, 3);
  }
}
