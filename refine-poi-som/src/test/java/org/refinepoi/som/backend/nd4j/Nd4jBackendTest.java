package org.refinepoi.som.backend.nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.SomTestMatrices;
import org.refinepoi.som.backend.BmuResult;
import org.refinepoi.som.backend.JavaSomBackend;
import org.refinepoi.som.backend.SomBackend;
import org.refinepoi.som.backend.SomBackendProvider;
import org.refinepoi.som.backend.SomBackends;
import org.refinepoi.som.backend.SomSession;
import org.refinepoi.som.backend.UnitSums;
import org.refinepoi.som.train.Initialization;
import org.refinepoi.som.train.Neighbourhood;
import org.refinepoi.som.train.NeighbourhoodMatrix;
import org.refinepoi.som.train.SomConfig;
import org.refinepoi.som.train.SomMap;
import org.refinepoi.som.train.SomTrainer;

class Nd4jBackendTest {

  private static SomBackend nd4j;

  @BeforeAll
  static void load() {
    SomBackendProvider.Availability a = new Nd4jSomBackendProvider().availability();
    // nd4j-native is a declared dependency of this module, so it must load here.
    assertThat(a.available()).as(a.reason()).isTrue();
    nd4j = SomBackends.byName("nd4j");
  }

  /** Well-separated units: each sample sits near one unit, so there are no near-ties. */
  static FloatMatrix[] separated(int n, int m, int d, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] w = new float[m * d];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (r.nextDouble() * 20 - 10);
    }
    float[] x = new float[n * d];
    for (int i = 0; i < n; i++) {
      int j = r.nextInt(m);
      for (int c = 0; c < d; c++) {
        x[i * d + c] = w[j * d + c] + (float) (r.nextGaussian() * 0.3);
      }
    }
    return new FloatMatrix[] {FloatMatrix.wrap(n, d, x), FloatMatrix.wrap(m, d, w)};
  }

  @Test
  void sameBmusAsTheJavaBackendWithoutNearTies() {
    FloatMatrix[] xw = separated(20_000, 100, 32, 1);
    try (SomSession j = new JavaSomBackend(2).open(xw[0]);
        SomSession n = nd4j.open(xw[0])) {
      BmuResult a = j.bmu(xw[1], true);
      BmuResult b = n.bmu(xw[1], true);
      assertThat(b.best()).containsExactly(a.best());
      // Both sum (x - w)^2 in double, in different orders: equal to float rounding.
      for (int i = 0; i < a.size(); i++) {
        assertThat(b.bestDistance()[i])
            .isCloseTo(a.bestDistance()[i], within(1e-6f * a.bestDistance()[i]));
      }
      // Second-best units can be near-tied among the far units; most must agree.
      int same = 0;
      for (int i = 0; i < a.size(); i++) {
        same += a.second()[i] == b.second()[i] ? 1 : 0;
      }
      assertThat(same).isGreaterThan(a.size() * 99 / 100);
    }
  }

  @Test
  void trainedCodebooksAgreeWithinTolerance() {
    FloatMatrix[] xw = separated(5_000, 40, 16, 2);
    SomConfig config =
        SomConfig.builder(LatticeSpec.rectangular(6, 6))
            .epochs(8)
            .initialization(Initialization.PCA)
            .build();
    SomMap a = new SomTrainer(config).train(xw[0], new JavaSomBackend(2));
    SomMap b = new SomTrainer(config).train(xw[0], nd4j);
    // Stated tolerance: relative Frobenius difference below 1e-4 (float32 rounding in the
    // products; a single flipped near-tie BMU would show up as ~1e-3).
    assertThat(SomTestMatrices.relativeError(b.codebook(), a.codebook())).isLessThan(1e-4);
  }

  @Test
  void exactTiesGoToTheLowestIndex() {
    // Units 1, 3 and 4 are identical (and 200 copies of one unit across chunks of the argmin).
    FloatMatrix w = FloatMatrix.ofRows(new float[][] {{5, 5}, {1, 1}, {-3, 2}, {1, 1}, {1, 1}});
    FloatMatrix x = FloatMatrix.ofRows(new float[][] {{1, 1}, {1.1f, 0.9f}, {5, 5}});
    try (SomSession s = nd4j.open(x)) {
      assertThat(s.bmu(w, false).best()).containsExactly(1, 1, 0);
      BmuResult two = s.bmu(w, true);
      assertThat(two.best()).containsExactly(1, 1, 0);
      assertThat(two.second()).containsExactly(3, 3, 1);
    }
    float[] same = new float[200 * 3];
    java.util.Arrays.fill(same, 0.25f);
    try (SomSession s = nd4j.open(separated(50, 4, 3, 3)[0])) {
      for (int b : s.bmu(FloatMatrix.wrap(200, 3, same), false).best()) {
        assertThat(b).isZero();
      }
    }
  }

  @Test
  void sumsAndCountsEqualTheJavaBackendsForTheSameBmus() {
    // 9000 rows: several chunks and a short last one.
    FloatMatrix[] xw = separated(9_000, 70, 12, 4);
    try (SomSession j = new JavaSomBackend(2).open(xw[0]);
        SomSession n = nd4j.open(xw[0])) {
      UnitSums a = j.accumulate(xw[1]);
      UnitSums b = n.accumulate(xw[1]);
      assertThat(b.counts()).containsExactly(a.counts());
      // Stated tolerance: float partial sums per chunk (<= 8192 samples), added in double.
      for (int i = 0; i < a.sums().length; i++) {
        assertThat(b.sums()[i]).isCloseTo(a.sums()[i], within(1e-5 * (1 + Math.abs(a.sums()[i]))));
      }
      assertThat(b.squaredError()).isCloseTo(a.squaredError(), within(1e-4 * a.squaredError()));
      // Deterministic on the CPU backend: the same bits twice.
      assertThat(n.accumulate(xw[1]).sums()).containsExactly(b.sums());
    }
  }

  static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> regimes() {
    return java.util.stream.Stream.of(
        org.junit.jupiter.params.provider.Arguments.of(
            LatticeSpec.rectangular(7, 9), Neighbourhood.GAUSSIAN),
        org.junit.jupiter.params.provider.Arguments.of(
            new LatticeSpec(6, 5, LatticeSpec.Topology.RECTANGULAR, true), Neighbourhood.GAUSSIAN),
        org.junit.jupiter.params.provider.Arguments.of(
            LatticeSpec.hexagonal(6, 6), Neighbourhood.GAUSSIAN),
        org.junit.jupiter.params.provider.Arguments.of(
            LatticeSpec.rectangular(6, 6), Neighbourhood.BUBBLE));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("regimes")
  void latticeFormEpochsTrackTheJavaBackend(LatticeSpec lattice, Neighbourhood neighbourhood) {
    FloatMatrix[] xw = separated(6_000, 30, 10, 5);
    FloatMatrix w0 = Initialization.PCA.initialize(xw[0], lattice, 1);
    FloatMatrix a = w0;
    FloatMatrix b = w0;
    try (SomSession j = new JavaSomBackend(2).open(xw[0]);
        SomSession n = nd4j.open(xw[0])) {
      for (int e = 0; e < 6; e++) {
        double radius = 3.0 - 0.4 * e;
        a = j.batchEpoch(a, lattice, neighbourhood, radius);
        b = n.batchEpoch(b, lattice, neighbourhood, radius);
      }
      // Stated tolerance: relative Frobenius difference below 1e-4 (float rounding in the
      // products; one flipped BMU would show as ~1e-3).
      assertThat(SomTestMatrices.relativeError(b, a)).isLessThan(1e-4);
      assertThat(n.bmu(b, false).quantizationError())
          .isCloseTo(j.bmu(a, false).quantizationError(), within(1e-4));
      // The host-matrix form gives the same epoch as the lattice form.
      float[] h = NeighbourhoodMatrix.cached(lattice).weights(neighbourhood, 1.0);
      FloatMatrix viaMatrix = n.batchEpoch(b, h);
      FloatMatrix viaLattice = n.batchEpoch(b, lattice, neighbourhood, 1.0);
      assertThat(SomTestMatrices.relativeError(viaMatrix, viaLattice)).isLessThan(1e-6);
    }
  }

  @Test
  void unitsWithoutWeightKeepTheirPrototype() {
    // Radius 0 is a Lloyd step: units that win no sample keep their prototype exactly.
    FloatMatrix x = FloatMatrix.ofRows(new float[][] {{0, 0}, {0.2f, 0}, {10, 10}});
    FloatMatrix w = FloatMatrix.ofRows(new float[][] {{0, 0}, {50, 50}, {10, 9}, {-40, 3}});
    try (SomSession n = nd4j.open(x)) {
      FloatMatrix next = n.batchEpoch(w, LatticeSpec.rectangular(2, 2), Neighbourhood.GAUSSIAN, 0);
      assertThat(next.row(0)).containsExactly(0.1f, 0f);
      assertThat(next.row(1)).containsExactly(50f, 50f);
      assertThat(next.row(2)).containsExactly(10f, 10f);
      assertThat(next.row(3)).containsExactly(-40f, 3f);
    }
  }

  @Test
  void duplicatedPrototypesAcrossChunksFollowTheLowestIndexRule() {
    // Units 3, 700 and 1023 are copies of unit 1: the group's BMU is 1 and its second is 3.
    FloatMatrix[] xw = separated(9_000, 1024, 8, 6);
    float[] w = xw[1].toArray();
    for (int dup : new int[] {3, 700, 1023}) {
      System.arraycopy(w, 8, w, dup * 8, 8);
    }
    FloatMatrix cb = FloatMatrix.wrap(1024, 8, w);
    try (SomSession j = new JavaSomBackend(2).open(xw[0]);
        SomSession n = nd4j.open(xw[0])) {
      BmuResult a = j.bmu(cb, true);
      BmuResult b = n.bmu(cb, true);
      int wins = 0;
      for (int i = 0; i < a.size(); i++) {
        assertThat(b.best()[i]).isNotIn(3, 700, 1023);
        if (b.best()[i] == 1) {
          wins++;
          assertThat(b.second()[i]).isEqualTo(3);
          assertThat(a.second()[i]).isEqualTo(3);
        }
      }
      assertThat(wins).isPositive();
      assertThat(b.best()).containsExactly(a.best());
      assertThat(n.accumulate(cb).counts()).containsExactly(j.accumulate(cb).counts());
    }
  }

  @Test
  void providerIsListedAndJavaWinsAuto() {
    assertThat(SomBackends.providers())
        .extracting(SomBackendProvider::name)
        .containsSubsequence("java", "nd4j");
    assertThat(SomBackends.byName("auto").name()).isEqualTo("java");
  }
}
