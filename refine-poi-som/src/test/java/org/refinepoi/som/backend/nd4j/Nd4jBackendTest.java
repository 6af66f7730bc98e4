package org.refinepoi.som.backend.nd4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.backend.BmuResult;
import org.refinepoi.som.backend.JavaSomBackend;
import org.refinepoi.som.backend.SomBackend;
import org.refinepoi.som.backend.SomBackendProvider;
import org.refinepoi.som.backend.SomBackends;
import org.refinepoi.som.backend.SomSession;
import org.refinepoi.som.train.Initialization;
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
      assertThat(b.bestDistance()).containsExactly(a.bestDistance());
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
    double diff = 0;
    double norm = 0;
    float[] wa = a.codebook().unsafeData();
    float[] wb = b.codebook().unsafeData();
    for (int i = 0; i < wa.length; i++) {
      diff += ((double) wa[i] - wb[i]) * ((double) wa[i] - wb[i]);
      norm += (double) wa[i] * wa[i];
    }
    assertThat(Math.sqrt(diff / norm)).isCloseTo(0, within(1e-4));
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
  void providerIsListedAndJavaWinsAuto() {
    assertThat(SomBackends.providers())
        .extracting(SomBackendProvider::name)
        .containsSubsequence("java", "nd4j");
    assertThat(SomBackends.byName("auto").name()).isEqualTo("java");
  }
}
