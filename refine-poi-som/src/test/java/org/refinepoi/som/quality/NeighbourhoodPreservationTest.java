package org.refinepoi.som.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;

/** Trustworthiness and continuity against hand-computed and independently computed values. */
class NeighbourhoodPreservationTest {

  private static final double TOL = 1e-12;

  /**
   * Five points on a line at 0, 1, 3, 6, 10; the output space swaps the last two (positions 0, 1,
   * 3, 10, 6). With k = 1, only p3 and p4 change nearest neighbour: p3's output neighbour p4 is its
   * 2nd input neighbour, p4's output neighbour p2 its 2nd; symmetrically for continuity. Each sum
   * is 2 and the normalization 2 / (5 * 1 * (10 - 3 - 1)) = 1/15, so T = C = 13/15.
   */
  @Test
  void handComputedSwapOfTwoPoints() {
    double[] in = {0, 1, 3, 6, 10};
    double[] out = {0, 1, 3, 10, 6};
    NeighbourhoodPreservation.Result r =
        NeighbourhoodPreservation.compute(
            5, (i, j) -> Math.abs(in[i] - in[j]), (i, j) -> Math.abs(out[i] - out[j]), 1, 0, 1);
    assertThat(r.trustworthiness()).isCloseTo(13.0 / 15, within(TOL));
    assertThat(r.continuity()).isCloseTo(13.0 / 15, within(TOL));
    assertThat(r.queries()).isEqualTo(5);
  }

  // Eight 2-D points; the output places them on a Golomb ruler (all pairwise differences distinct,
  // so no ties in either space). Reference values from a direct NumPy implementation of the
  // Venna-Kaski definitions (full rank matrices, set differences).
  private static final double[][] POINTS = {
    {0.31, 1.7},
    {2.9, 0.43},
    {1.1, 3.8},
    {4.6, 2.27},
    {0.7, 0.1},
    {3.3, 4.9},
    {5.8, 0.6},
    {2.05, 2.1}
  };
  private static final int[] POSITIONS = {9, 0, 22, 1, 34, 4, 32, 15};

  private static double euclid(int i, int j) {
    double dx = POINTS[i][0] - POINTS[j][0];
    double dy = POINTS[i][1] - POINTS[j][1];
    return Math.sqrt(dx * dx + dy * dy);
  }

  @Test
  void matchesAnIndependentImplementation() {
    double[][] expected = {
      {0.625, 0.45833333333333337},
      {0.5138888888888888, 0.4444444444444444},
      {0.5138888888888888, 0.5138888888888888}
    };
    for (int k = 1; k <= 3; k++) {
      NeighbourhoodPreservation.Result r =
          NeighbourhoodPreservation.compute(
              8,
              NeighbourhoodPreservationTest::euclid,
              (i, j) -> Math.abs(POSITIONS[i] - POSITIONS[j]),
              k,
              0,
              99);
      assertThat(r.trustworthiness()).as("T(%s)", k).isCloseTo(expected[k - 1][0], within(TOL));
      assertThat(r.continuity()).as("C(%s)", k).isCloseTo(expected[k - 1][1], within(TOL));
    }
  }

  @Test
  void sidQualityRanksIdsByTheGivenIdDistance() {
    // The same example through SidQuality: one-level IDs on a 1 x 35 lattice.
    float[] data = new float[16];
    List<SemanticId> ids = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      data[2 * i] = (float) POINTS[i][0];
      data[2 * i + 1] = (float) POINTS[i][1];
      ids.add(SemanticId.of(new int[] {POSITIONS[i]}, 0));
    }
    IdSpace space = IdSpace.of(LatticeSpec.rectangular(1, 35));
    SidQualityReport r =
        SidQuality.builder()
            .k(2)
            .build()
            .evaluate(FloatMatrix.of(8, 2, data), ids, IdDistance.lattice(space));
    assertThat(r.trustworthiness()).isCloseTo(0.5138888888888888, within(1e-9));
    assertThat(r.continuity()).isCloseTo(0.4444444444444444, within(1e-9));
  }

  @Property(tries = 50)
  void identityMappingScoresOne(
      @ForAll @IntRange(min = 5, max = 60) int n,
      @ForAll @IntRange(min = 1, max = 10) int k,
      @ForAll long seed) {
    if (2 * k >= n) {
      k = (n - 1) / 2;
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[][] p = new double[n][3];
    for (double[] row : p) {
      for (int e = 0; e < 3; e++) {
        row[e] = random.nextInt(5); // a coarse grid: many ties, broken the same way in both spaces
      }
    }
    NeighbourhoodPreservation.PairDistance d =
        (i, j) ->
            Math.abs(p[i][0] - p[j][0]) + Math.abs(p[i][1] - p[j][1]) + Math.abs(p[i][2] - p[j][2]);
    NeighbourhoodPreservation.Result r = NeighbourhoodPreservation.compute(n, d, d, k, 0, seed);
    assertThat(r.trustworthiness()).isEqualTo(1.0);
    assertThat(r.continuity()).isEqualTo(1.0);
  }

  @Property(tries = 50)
  void valuesStayInTheUnitInterval(@ForAll @IntRange(min = 5, max = 50) int n, @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] a = random.doubles(n).toArray();
    double[] b = random.doubles(n).toArray();
    int k = Math.max(1, (n - 1) / 4);
    NeighbourhoodPreservation.Result r =
        NeighbourhoodPreservation.compute(
            n, (i, j) -> Math.abs(a[i] - a[j]), (i, j) -> Math.abs(b[i] - b[j]), k, 0, seed);
    assertThat(r.trustworthiness()).isBetween(0.0, 1.0);
    assertThat(r.continuity()).isBetween(0.0, 1.0);
  }

  @Test
  void identityOnSemanticIdsAlongALine() {
    // POI i at x = i and on lattice cell i of a 1 x 40 lattice: the lattice distance equals the
    // embedding distance, ties (left and right neighbours) included.
    int n = 40;
    float[] data = new float[n];
    List<SemanticId> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      data[i] = i;
      ids.add(SemanticId.of(new int[] {i}, 0));
    }
    SidQualityReport r =
        SidQuality.builder()
            .build()
            .evaluate(
                FloatMatrix.of(n, 1, data),
                ids,
                IdDistance.lattice(IdSpace.of(LatticeSpec.rectangular(1, n))));
    assertThat(r.trustworthiness()).isEqualTo(1.0);
    assertThat(r.continuity()).isEqualTo(1.0);
    assertThat(r.spearman()).isCloseTo(1.0, within(TOL));
  }

  @Test
  void sampledQueriesEstimateTheFullMeasure() {
    SplittableRandom random = new SplittableRandom(5);
    int n = 400;
    double[] a = random.doubles(n).toArray();
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      b[i] = a[i] + 0.05 * random.nextGaussian();
    }
    NeighbourhoodPreservation.PairDistance da = (i, j) -> Math.abs(a[i] - a[j]);
    NeighbourhoodPreservation.PairDistance db = (i, j) -> Math.abs(b[i] - b[j]);
    var full = NeighbourhoodPreservation.compute(n, da, db, 10, 0, 1);
    var sampled = NeighbourhoodPreservation.compute(n, da, db, 10, 200, 1);
    assertThat(sampled.queries()).isEqualTo(200);
    assertThat(sampled.trustworthiness()).isCloseTo(full.trustworthiness(), within(0.02));
    assertThat(sampled.continuity()).isCloseTo(full.continuity(), within(0.02));
  }

  @Test
  void rejectsTooLargeK() {
    assertThatThrownBy(
            () -> NeighbourhoodPreservation.compute(6, (i, j) -> 0, (i, j) -> 0, 3, 0, 1))
        .hasMessageContaining("k < n / 2");
  }

  @Test
  void cachedAndOnDemandEmbeddingDistancesGiveTheSameReport() {
    SplittableRandom random = new SplittableRandom(21);
    int n = 120;
    float[] data = new float[n * 7];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) random.nextGaussian();
    }
    FloatMatrix x = FloatMatrix.of(n, 7, data);
    List<SemanticId> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(SemanticId.of(new int[] {random.nextInt(9), random.nextInt(4)}, i));
    }
    IdSpace space = IdSpace.of(LatticeSpec.rectangular(3, 3), LatticeSpec.hexagonal(2, 2));
    EmbeddingSpace cached = EmbeddingSpace.of(x);
    EmbeddingSpace onDemand = EmbeddingSpace.of(x, 0);
    assertThat(cached.cached()).isTrue();
    assertThat(onDemand.cached()).isFalse();
    for (int i = 0; i < n; i += 17) {
      for (int j = 0; j < n; j += 13) {
        assertThat(cached.squaredDistance(i, j)).isEqualTo(onDemand.squaredDistance(i, j));
      }
    }
    SidQuality q = SidQuality.builder().spearmanPairs(500).build();
    assertThat(q.evaluate(cached, ids, IdDistance.lattice(space)))
        .isEqualTo(q.evaluate(onDemand, ids, IdDistance.lattice(space)))
        .isEqualTo(q.evaluate(x, ids, IdDistance.lattice(space)));
  }
}
