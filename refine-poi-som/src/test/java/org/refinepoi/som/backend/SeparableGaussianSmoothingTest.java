package org.refinepoi.som.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.train.Neighbourhood;
import org.refinepoi.som.train.NeighbourhoodMatrix;

/**
 * The separable Gaussian update against the dense M × M path ({@link UnitSums#smooth} with {@link
 * NeighbourhoodMatrix} weights). Outputs are weighted means of per-winner means in [-1, 1]; the
 * dense path rounds each weight to float (relative 6e-8), so the two agree to {@link #TOLERANCE}
 * absolute; units whose weights are all far below float's normal range must match bit for bit.
 */
class SeparableGaussianSmoothingTest {

  /** Absolute tolerance on outputs in [-1, 1]: ~15 float ulps of 1. */
  private static final double TOLERANCE = 2e-6;

  /** Random sums: each unit wins with probability {@code density}, its samples' mean in [-1,1]. */
  static UnitSums randomSums(int m, int d, double density, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] sums = new double[m * d];
    long[] counts = new long[m];
    for (int k = 0; k < m; k++) {
      if (r.nextDouble() < density) {
        counts[k] = 1 + r.nextInt(50);
        for (int c = 0; c < d; c++) {
          sums[k * d + c] = counts[k] * (r.nextDouble() * 2 - 1);
        }
      }
    }
    return new UnitSums(m, d, sums, counts, 0);
  }

  static FloatMatrix dense(UnitSums sums, FloatMatrix codebook, LatticeSpec lattice, double r) {
    return UnitSums.smooth(
        sums, codebook, new NeighbourhoodMatrix(lattice).weights(Neighbourhood.GAUSSIAN, r));
  }

  @Provide
  Arbitrary<Double> radii() {
    return Arbitraries.oneOf(
        Arbitraries.just(0.0),
        Arbitraries.doubles().between(1e-4, 0.3).ofScale(6),
        Arbitraries.doubles().between(0.3, 3).ofScale(6),
        Arbitraries.doubles().between(3, 200).ofScale(6));
  }

  @Property(tries = 300)
  void separableMatchesDense(
      @ForAll @IntRange(min = 1, max = 14) int rows,
      @ForAll @IntRange(min = 1, max = 14) int cols,
      @ForAll boolean toroidal,
      @ForAll("radii") double radius,
      @ForAll @IntRange(min = 1, max = 9) int d,
      @ForAll @IntRange(min = 0, max = 4) int sparsity,
      @ForAll long seed) {
    LatticeSpec lattice = new LatticeSpec(rows, cols, LatticeSpec.Topology.RECTANGULAR, toroidal);
    int m = lattice.size();
    // Density 1, 1/2, 1/5, 1/17, 1/65: sparse maps leave units far from every winner.
    double density = new double[] {1, 0.5, 0.2, 1.0 / 17, 1.0 / 65}[sparsity];
    UnitSums sums = randomSums(m, d, density, seed);
    FloatMatrix codebook = JavaBackendTest.gaussian(m, d, seed ^ 0x5eed);

    float[] expected = dense(sums, codebook, lattice, radius).unsafeData();
    float[] actual =
        SeparableGaussianSmoothing.smooth(sums, codebook, lattice, radius).unsafeData();

    for (int i = 0; i < expected.length; i++) {
      assertThat((double) actual[i])
          .as("unit %s channel %s, %s, radius %s", i / d, i % d, lattice, radius)
          .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(TOLERANCE));
    }
  }

  @Property(tries = 100)
  void unitsFarFromEveryWinnerMatchTheDensePathExactly(
      @ForAll @IntRange(min = 1, max = 16) int rows,
      @ForAll @IntRange(min = 1, max = 16) int cols,
      @ForAll boolean toroidal,
      @ForAll("radii") double radius,
      @ForAll long seed) {
    LatticeSpec lattice = new LatticeSpec(rows, cols, LatticeSpec.Topology.RECTANGULAR, toroidal);
    int m = lattice.size();
    int d = 3;
    UnitSums sums = randomSums(m, d, 0.1, seed);
    FloatMatrix codebook = JavaBackendTest.gaussian(m, d, seed + 1);
    float[] expected = dense(sums, codebook, lattice, radius).unsafeData();
    float[] actual =
        SeparableGaussianSmoothing.smooth(sums, codebook, lattice, radius).unsafeData();
    boolean[] winner = new boolean[m];
    for (int k = 0; k < m; k++) {
      winner[k] = sums.counts()[k] > 0;
    }
    long[] nearest =
        SeparableGaussianSmoothing.nearestWinnerSquaredDistance(winner, rows, cols, toroidal);
    for (int j = 0; j < m; j++) {
      boolean far =
          radius == 0
              ? nearest[j] > 0
              : nearest[j] / (2 * radius * radius) > SeparableGaussianSmoothing.FAR_EXPONENT;
      if (far) {
        for (int c = 0; c < d; c++) {
          assertThat(actual[j * d + c]).isEqualTo(expected[j * d + c]);
        }
      }
    }
  }

  @Property(tries = 100)
  void axisMatricesFactorTheDenseWeights(
      @ForAll @IntRange(min = 1, max = 9) int rows,
      @ForAll @IntRange(min = 1, max = 9) int cols,
      @ForAll boolean torus,
      @ForAll @IntRange(min = 0, max = 40) int tenthsOfRadius) {
    double radius = tenthsOfRadius / 10.0;
    LatticeSpec lattice = new LatticeSpec(rows, cols, LatticeSpec.Topology.RECTANGULAR, torus);
    double[] gy = SeparableGaussianSmoothing.axisMatrix(rows, torus, radius);
    double[] gx = SeparableGaussianSmoothing.axisMatrix(cols, torus, radius);
    float[] dense = new NeighbourhoodMatrix(lattice).weights(Neighbourhood.GAUSSIAN, radius);
    int m = rows * cols;
    for (int j = 0; j < m; j++) {
      for (int k = 0; k < m; k++) {
        double product = gy[(j / cols) * rows + k / cols] * gx[(j % cols) * cols + k % cols];
        // The dense weights are the same exponentials rounded to float (tolerance: float rounding,
        // or float underflow below 1e-37).
        assertThat(Math.abs(product - dense[j * m + k]))
            .isLessThanOrEqualTo(1e-7 * product + 1e-37);
      }
    }
  }

  @Test
  void axisMatrixRejectsBadArguments() {
    assertThatThrownBy(() -> SeparableGaussianSmoothing.axisMatrix(0, false, 1))
        .hasMessageContaining("length");
    assertThatThrownBy(() -> SeparableGaussianSmoothing.axisMatrix(3, false, Double.NaN))
        .hasMessageContaining("radius");
  }

  @Property(tries = 100)
  void nearestWinnerDistanceIsTheBruteForceMinimum(
      @ForAll @IntRange(min = 1, max = 12) int rows,
      @ForAll @IntRange(min = 1, max = 12) int cols,
      @ForAll boolean toroidal,
      @ForAll long seed) {
    LatticeSpec lattice = new LatticeSpec(rows, cols, LatticeSpec.Topology.RECTANGULAR, toroidal);
    int m = lattice.size();
    SplittableRandom r = new SplittableRandom(seed);
    boolean[] winner = new boolean[m];
    for (int k = 0; k < m; k++) {
      winner[k] = r.nextInt(6) == 0;
    }
    long[] nearest =
        SeparableGaussianSmoothing.nearestWinnerSquaredDistance(winner, rows, cols, toroidal);
    for (int j = 0; j < m; j++) {
      double best = Double.POSITIVE_INFINITY;
      for (int k = 0; k < m; k++) {
        if (winner[k]) {
          best = Math.min(best, lattice.squaredDistance(j, k));
        }
      }
      assertThat((double) nearest[j])
          .isEqualTo(Double.isInfinite(best) ? (double) Long.MAX_VALUE : best);
    }
  }

  @Test
  void zeroRadiusIsALloydStepAndLosersKeepTheirPrototype() {
    LatticeSpec lattice = new LatticeSpec(5, 7, LatticeSpec.Topology.RECTANGULAR, true);
    UnitSums sums = randomSums(35, 4, 0.4, 3);
    FloatMatrix codebook = JavaBackendTest.gaussian(35, 4, 4);
    float[] out = SeparableGaussianSmoothing.smooth(sums, codebook, lattice, 0).unsafeData();
    for (int k = 0; k < 35; k++) {
      for (int c = 0; c < 4; c++) {
        float expected =
            sums.counts()[k] > 0
                ? (float) (sums.sums()[k * 4 + c] / sums.counts()[k])
                : codebook.get(k, c);
        assertThat(out[k * 4 + c]).isEqualTo(expected);
      }
    }
  }

  @Test
  void radiusWhoseSquareUnderflowsIsStillALloydStep() {
    // 2 r^2 is 0 in double here: the winner's own weight must stay 1, not 0 / 0.
    LatticeSpec lattice = new LatticeSpec(4, 5, LatticeSpec.Topology.RECTANGULAR, false);
    UnitSums sums = randomSums(20, 3, 0.5, 8);
    FloatMatrix codebook = JavaBackendTest.gaussian(20, 3, 9);
    float[] lloyd = SeparableGaussianSmoothing.smooth(sums, codebook, lattice, 0).unsafeData();
    assertThat(SeparableGaussianSmoothing.smooth(sums, codebook, lattice, 1e-200).unsafeData())
        .containsExactly(lloyd);
    assertThat(dense(sums, codebook, lattice, 1e-200).unsafeData()).containsExactly(lloyd);
  }

  @Test
  void noWinnersKeepsTheWholeCodebook() {
    LatticeSpec lattice = LatticeSpec.rectangular(4, 6);
    UnitSums sums = new UnitSums(24, 2, new double[48], new long[24], 0);
    FloatMatrix codebook = JavaBackendTest.gaussian(24, 2, 9);
    assertThat(SeparableGaussianSmoothing.smooth(sums, codebook, lattice, 2.5).unsafeData())
        .containsExactly(codebook.unsafeData());
  }

  @Test
  void samplesAllAtOneGiveExactlyOneOnBothPaths() {
    // With every sum equal to its count (all samples at 1) the numerator and denominator channels
    // are the same sums, so each path must return exactly 1 (or the old prototype where the dense
    // weights are all 0): any channel mix-up or mismatched truncation shows as an inexact value.
    LatticeSpec lattice = new LatticeSpec(9, 11, LatticeSpec.Topology.RECTANGULAR, false);
    int m = lattice.size();
    UnitSums random = randomSums(m, 1, 0.3, 17);
    double[] s = new double[m];
    for (int k = 0; k < m; k++) {
      s[k] = random.counts()[k];
    }
    UnitSums ones = new UnitSums(m, 1, s, random.counts(), 0);
    FloatMatrix codebook = JavaBackendTest.gaussian(m, 1, 5);
    for (double radius : new double[] {0, 0.05, 0.4, 1, 3.3, 50}) {
      float[] sep = SeparableGaussianSmoothing.smooth(ones, codebook, lattice, radius).unsafeData();
      float[] den = dense(ones, codebook, lattice, radius).unsafeData();
      assertThat(sep).as("radius %s", radius).containsExactly(den);
    }
  }

  @Test
  void onlyGaussianOnRectangularLatticesApplies() {
    assertThat(
            SeparableGaussianSmoothing.applies(
                LatticeSpec.rectangular(3, 3), Neighbourhood.GAUSSIAN))
        .isTrue();
    assertThat(
            SeparableGaussianSmoothing.applies(
                new LatticeSpec(3, 3, LatticeSpec.Topology.RECTANGULAR, true),
                Neighbourhood.GAUSSIAN))
        .isTrue();
    assertThat(
            SeparableGaussianSmoothing.applies(LatticeSpec.hexagonal(3, 3), Neighbourhood.GAUSSIAN))
        .isFalse();
    for (Neighbourhood n :
        new Neighbourhood[] {
          Neighbourhood.BUBBLE, Neighbourhood.TRIANGLE, Neighbourhood.MEXICAN_HAT
        }) {
      assertThat(SeparableGaussianSmoothing.applies(LatticeSpec.rectangular(3, 3), n)).isFalse();
    }
  }

  @Test
  void refusesBadArguments() {
    LatticeSpec lattice = LatticeSpec.rectangular(2, 3);
    UnitSums sums = randomSums(6, 2, 1, 1);
    FloatMatrix codebook = JavaBackendTest.gaussian(6, 2, 1);
    assertThatThrownBy(() -> SeparableGaussianSmoothing.smooth(sums, codebook, lattice, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("radius");
    assertThatThrownBy(() -> SeparableGaussianSmoothing.smooth(sums, codebook, lattice, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> SeparableGaussianSmoothing.smooth(sums, codebook, LatticeSpec.hexagonal(2, 3), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rectangular");
    assertThatThrownBy(
            () ->
                SeparableGaussianSmoothing.smooth(sums, codebook, LatticeSpec.rectangular(3, 3), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cells");
  }

  @Property(tries = 20)
  void sessionEpochMatchesTheDenseEpochAndIgnoresThreadCount(
      @ForAll @IntRange(min = 1, max = 9) int rows,
      @ForAll @IntRange(min = 1, max = 9) int cols,
      @ForAll boolean toroidal,
      @ForAll("radii") double radius,
      @ForAll long seed) {
    LatticeSpec lattice = new LatticeSpec(rows, cols, LatticeSpec.Topology.RECTANGULAR, toroidal);
    int m = lattice.size();
    FloatMatrix data = JavaBackendTest.gaussian(5000, 6, seed);
    FloatMatrix codebook = JavaBackendTest.gaussian(m, 6, seed + 1);
    float[] one;
    float[] dense;
    try (SomSession s = new JavaSomBackend(1).open(data)) {
      one = s.batchEpoch(codebook, lattice, Neighbourhood.GAUSSIAN, radius).unsafeData();
      dense =
          s.batchEpoch(
                  codebook,
                  new NeighbourhoodMatrix(lattice).weights(Neighbourhood.GAUSSIAN, radius))
              .unsafeData();
    }
    float[] four;
    try (SomSession s = new JavaSomBackend(4).open(data)) {
      four = s.batchEpoch(codebook, lattice, Neighbourhood.GAUSSIAN, radius).unsafeData();
    }
    assertThat(four).containsExactly(one);
    for (int i = 0; i < one.length; i++) {
      // Outputs are means of samples in [-1, 1].
      assertThat((double) one[i])
          .isCloseTo(dense[i], org.assertj.core.data.Offset.offset(TOLERANCE));
    }
  }

  @Test
  void otherNeighbourhoodsAndHexagonalLatticesKeepTheDensePath() {
    FloatMatrix data = JavaBackendTest.gaussian(3000, 5, 11);
    try (SomSession s = new JavaSomBackend(2).open(data)) {
      for (LatticeSpec lattice :
          new LatticeSpec[] {LatticeSpec.rectangular(4, 5), LatticeSpec.hexagonal(4, 5)}) {
        for (Neighbourhood n : Neighbourhood.values()) {
          if (SeparableGaussianSmoothing.applies(lattice, n)) {
            continue;
          }
          FloatMatrix codebook = JavaBackendTest.gaussian(20, 5, 12);
          float[] viaLattice = s.batchEpoch(codebook, lattice, n, 1.6).unsafeData();
          float[] viaMatrix =
              s.batchEpoch(codebook, new NeighbourhoodMatrix(lattice).weights(n, 1.6)).unsafeData();
          assertThat(viaLattice).as("%s %s", lattice, n).containsExactly(viaMatrix);
        }
      }
    }
  }
}
