package org.refinepoi.som.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.math.FloatMatrix;

class JavaBackendTest {

  static FloatMatrix gaussian(int rows, int cols, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return FloatMatrix.wrap(rows, cols, v);
  }

  /** Brute force in double with exact differences; lowest index on ties. */
  static int[] bruteForce(FloatMatrix x, FloatMatrix w, boolean second) {
    int n = x.rows();
    int m = w.rows();
    int d = x.cols();
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      double b1 = Double.MAX_VALUE;
      double b2 = Double.MAX_VALUE;
      int j1 = -1;
      int j2 = -1;
      for (int j = 0; j < m; j++) {
        double s = JavaBlockKernel.squaredDistance(x.unsafeData(), i * d, w.unsafeData(), j * d, d);
        if (s < b1) {
          b2 = b1;
          j2 = j1;
          b1 = s;
          j1 = j;
        } else if (s < b2) {
          b2 = s;
          j2 = j;
        }
      }
      out[i] = second ? j2 : j1;
    }
    return out;
  }

  /** Smallest relative gap between the best and second-best distance over all samples. */
  static double minRelativeGap(FloatMatrix x, FloatMatrix w) {
    int d = x.cols();
    double gap = Double.MAX_VALUE;
    for (int i = 0; i < x.rows(); i++) {
      double b1 = Double.MAX_VALUE;
      double b2 = Double.MAX_VALUE;
      for (int j = 0; j < w.rows(); j++) {
        double s = JavaBlockKernel.squaredDistance(x.unsafeData(), i * d, w.unsafeData(), j * d, d);
        if (s < b1) {
          b2 = b1;
          b1 = s;
        } else if (s < b2) {
          b2 = s;
        }
      }
      gap = Math.min(gap, (b2 - b1) / (b2 + 1e-30));
    }
    return gap;
  }

  @Property(tries = 60)
  void bmuIsTheArgminOfExactDistances(
      @ForAll @IntRange(min = 1, max = 150) int n,
      @ForAll @IntRange(min = 2, max = 140) int m,
      @ForAll @IntRange(min = 1, max = 70) int d,
      @ForAll long seed) {
    FloatMatrix x = gaussian(n, d, seed);
    FloatMatrix w = gaussian(m, d, seed + 1);
    // float32 expanded-form scores order two units correctly when their squared distances differ
    // by more than ~1e-5 relative at these magnitudes; skip rare near-ties.
    if (minRelativeGap(x, w) < 1e-4) {
      return;
    }
    int[] exact = bruteForce(x, w, false);
    int[] exactSecond = bruteForce(x, w, true);
    BmuSearch search = new BmuSearch(w);
    for (int i = 0; i < n; i++) {
      assertThat(search.bmu(x.row(i))).isEqualTo(exact[i]);
      assertThat(BmuSearch.bmu(w.unsafeData(), m, d, x.unsafeData(), i * d)).isEqualTo(exact[i]);
    }
    for (int threads : new int[] {1, 2}) {
      try (SomSession s = new JavaSomBackend(threads).open(x)) {
        BmuResult r = s.bmu(w, true);
        assertThat(r.best()).containsExactly(exact);
        assertThat(r.second()).containsExactly(exactSecond);
        for (int i = 0; i < n; i++) {
          double ref =
              Math.sqrt(
                  JavaBlockKernel.squaredDistance(
                      x.unsafeData(), i * d, w.unsafeData(), exact[i] * d, d));
          assertThat((double) r.bestDistance()[i]).isCloseTo(ref, within(ref));
        }
      }
    }
  }

  private static org.assertj.core.data.Offset<Double> within(double ref) {
    return org.assertj.core.data.Offset.offset(1e-6 * Math.max(1, ref));
  }

  @Test
  void exactTiesGoToTheLowestIndex() {
    // Units 1, 3 and 4 are identical; a sample nearest to them must pick unit 1, second unit 3.
    float[][] units = {{5, 5}, {1, 1}, {-3, 2}, {1, 1}, {1, 1}};
    FloatMatrix w = FloatMatrix.ofRows(units);
    FloatMatrix x = FloatMatrix.ofRows(new float[][] {{1, 1}, {1.1f, 0.9f}, {5, 5}});
    try (SomSession s = new JavaSomBackend(1).open(x)) {
      BmuResult r = s.bmu(w, true);
      assertThat(r.best()).containsExactly(1, 1, 0);
      assertThat(r.second()).containsExactly(3, 3, 1);
    }
  }

  @Test
  void manyIdenticalUnitsAcrossTilesPickTheLowest() {
    // 200 identical units span several kernel tiles and lanes: the winner must be unit 0.
    float[] w = new float[200 * 3];
    java.util.Arrays.fill(w, 0.5f);
    FloatMatrix x = gaussian(37, 3, 3);
    try (SomSession s = new JavaSomBackend(2).open(x)) {
      BmuResult r = s.bmu(FloatMatrix.wrap(200, 3, w), true);
      for (int i = 0; i < 37; i++) {
        assertThat(r.best()[i]).isZero();
        assertThat(r.second()[i]).isEqualTo(1);
      }
    }
  }

  @Property(tries = 20)
  void scalarAndVectorKernelsAgreeBitForBit(
      @ForAll @IntRange(min = 1, max = 300) int n,
      @ForAll @IntRange(min = 1, max = 200) int m,
      @ForAll @IntRange(min = 1, max = 80) int d,
      @ForAll long seed) {
    FloatMatrix x = gaussian(n, d, seed);
    FloatMatrix w = gaussian(m, d, seed + 7);
    BmuKernel vector = KernelSupport.best();
    assertThat(vector.description()).startsWith("vector");
    BmuKernel scalar = new ScalarBmuKernel();
    int[] bv = new int[n];
    int[] bs = new int[n];
    float[] scoreV = new float[n];
    float[] scoreS = new float[n];
    int[] sv = m >= 2 ? new int[n] : null;
    int[] ss = m >= 2 ? new int[n] : null;
    vector.bmu(x.unsafeData(), 0, n, new PackedCodebook(w, vector.tile()), bv, scoreV, sv);
    scalar.bmu(x.unsafeData(), 0, n, new PackedCodebook(w, scalar.tile()), bs, scoreS, ss);
    assertThat(bv).containsExactly(bs);
    assertThat(scoreV).containsExactly(scoreS);
    if (m >= 2) {
      assertThat(sv).containsExactly(ss);
    }
  }

  @Test
  void accumulateIsIndependentOfThreadCount() {
    FloatMatrix x = gaussian(9000, 16, 11);
    FloatMatrix w = gaussian(64, 16, 12);
    UnitSums one;
    try (SomSession s = new JavaSomBackend(1).open(x)) {
      one = s.accumulate(w);
    }
    for (int threads : new int[] {2, 3, 8}) {
      try (SomSession s = new JavaSomBackend(threads).open(x)) {
        UnitSums u = s.accumulate(w);
        assertThat(u.sums()).containsExactly(one.sums());
        assertThat(u.counts()).containsExactly(one.counts());
        assertThat(u.squaredError()).isEqualTo(one.squaredError());
      }
    }
    long total = 0;
    for (long c : one.counts()) {
      total += c;
    }
    assertThat(total).isEqualTo(9000);
  }

  @Test
  void partitionSumsAddUpToTheWholeEpoch() {
    FloatMatrix x = gaussian(3000, 8, 21);
    FloatMatrix w = gaussian(30, 8, 22);
    int[] first = new int[1000];
    int[] rest = new int[2000];
    for (int i = 0; i < 3000; i++) {
      if (i < 1000) {
        first[i] = i;
      } else {
        rest[i - 1000] = i;
      }
    }
    UnitSums whole;
    UnitSums a;
    UnitSums b;
    JavaSomBackend be = new JavaSomBackend(2);
    try (SomSession s = be.open(x)) {
      whole = s.accumulate(w);
    }
    try (SomSession s = be.open(x.selectRows(first))) {
      a = s.accumulate(w);
    }
    try (SomSession s = be.open(x.selectRows(rest))) {
      b = s.accumulate(w);
    }
    UnitSums merged = a.plus(b);
    assertThat(merged.counts()).containsExactly(whole.counts());
    for (int i = 0; i < merged.sums().length; i++) {
      assertThat(merged.sums()[i]).isCloseTo(whole.sums()[i], within(1e-9 * 3000));
    }
    assertThatThrownBy(() -> a.plus(new UnitSums(2, 8, new double[16], new long[2], 0)))
        .hasMessageContaining("cannot add");
  }

  @Test
  void rejectsMismatchedCodebookAndClosedSession() {
    FloatMatrix x = gaussian(10, 4, 1);
    SomSession s = new JavaSomBackend(1).open(x);
    assertThatThrownBy(() -> s.bmu(gaussian(3, 5, 2), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5 columns");
    assertThatThrownBy(() -> s.bmu(gaussian(1, 4, 2), true))
        .hasMessageContaining("at least 2 units");
    s.close();
    assertThatThrownBy(() -> s.bmu(gaussian(3, 4, 2), false))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void overflowingDistancesAreReportedNotMisassigned() {
    FloatMatrix x = FloatMatrix.ofRows(new float[][] {{3e19f, 3e19f}});
    FloatMatrix w = FloatMatrix.ofRows(new float[][] {{-3e19f, -3e19f}, {-3e19f, 3e19f}});
    try (SomSession s = new JavaSomBackend(1).open(x)) {
      assertThatThrownBy(() -> s.bmu(w, false)).hasMessageContaining("scale the data");
    }
  }

  @Test
  void backendsAreFoundByNameAndAuto() {
    assertThat(SomBackends.byName("java").name()).isEqualTo("java");
    assertThat(SomBackends.byName("auto")).isNotNull();
    assertThatThrownBy(() -> SomBackends.byName("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java");
  }
}
