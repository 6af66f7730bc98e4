package org.refinepoi.som.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.som.quality.IdDistance;
import org.refinepoi.som.quality.SidQuality;
import org.refinepoi.som.quality.SidQualityReport;

/** Residual k-means and random IDs: cluster recovery, determinism, slots, the quality gap. */
class RqKMeansTest {

  /** {@code clusters} tight Gaussian blobs in 6-D, centres 10 apart, 40 points each. */
  private static FloatMatrix blobs(int clusters, int perCluster, long seed, int[] labels) {
    SplittableRandom random = new SplittableRandom(seed);
    int d = 6;
    float[] data = new float[clusters * perCluster * d];
    double[][] centres = new double[clusters][d];
    for (int c = 0; c < clusters; c++) {
      for (int e = 0; e < d; e++) {
        centres[c][e] = 10 * random.nextInt(-3, 4) + (e == c % d ? 10 * (c / d + 1) : 0);
      }
    }
    for (int i = 0; i < clusters * perCluster; i++) {
      int c = i % clusters;
      labels[i] = c;
      for (int e = 0; e < d; e++) {
        data[i * d + e] = (float) (centres[c][e] + 0.3 * random.nextGaussian());
      }
    }
    return FloatMatrix.of(clusters * perCluster, d, data);
  }

  @Test
  void recoversWellSeparatedClustersAtLevelZero() {
    int[] labels = new int[160];
    FloatMatrix x = blobs(4, 40, 3, labels);
    IdSpace space = IdSpace.of(LatticeSpec.rectangular(2, 2), LatticeSpec.rectangular(2, 2));
    RqKMeans.Result result = RqKMeans.builder(space).seed(1).build().fit(x);
    // Level-0 codes are a relabelling of the true clusters: a bijection label <-> code.
    Map<Integer, Integer> codeOfLabel = new HashMap<>();
    Map<Integer, Integer> labelOfCode = new HashMap<>();
    for (int i = 0; i < labels.length; i++) {
      int code = result.ids().get(i).cell(0);
      int label = labels[i];
      assertThat(codeOfLabel.computeIfAbsent(label, l -> code)).as("row %s", i).isEqualTo(code);
      assertThat(labelOfCode.computeIfAbsent(code, c -> label)).as("row %s", i).isEqualTo(label);
    }
    assertThat(codeOfLabel).hasSize(4);
    // The level-0 centroids sit on the cluster means.
    for (int c = 0; c < 4; c++) {
      double[] mean = new double[6];
      int count = 0;
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] == c) {
          count++;
          for (int e = 0; e < 6; e++) {
            mean[e] += x.get(i, e);
          }
        }
      }
      float[] centroid = result.codebooks().get(0).row(codeOfLabel.get(c));
      for (int e = 0; e < 6; e++) {
        assertThat((double) centroid[e]).isCloseTo(mean[e] / count, within(1e-4));
      }
    }
  }

  @Test
  void idsAreUniqueMembersAndSlotsFollowTheLeafDistance() {
    int[] labels = new int[300];
    FloatMatrix x = blobs(6, 50, 8, labels);
    IdSpace space = IdSpace.of(LatticeSpec.rectangular(2, 2), LatticeSpec.rectangular(2, 2));
    RqKMeans.Result result = RqKMeans.builder(space).seed(5).build().fit(x);
    List<SemanticId> ids = result.ids();
    assertThat(new HashSet<>(ids)).hasSize(300);
    ids.forEach(space::checkMember);
    // Within a leaf, slot order = distance to the leaf reconstruction.
    var prototypes = result.prototypes();
    Map<List<Integer>, Map<Integer, Double>> byLeaf = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      SemanticId id = ids.get(i);
      float[] p = prototypes.prototype(1, id);
      double s = 0;
      for (int e = 0; e < 6; e++) {
        s += Math.pow(x.get(i, e) - p[e], 2);
      }
      byLeaf
          .computeIfAbsent(List.of(id.cell(0), id.cell(1)), key -> new HashMap<>())
          .put(id.collisionSlot(), Math.sqrt(s));
    }
    for (Map<Integer, Double> leaf : byLeaf.values()) {
      for (int slot = 1; slot < leaf.size(); slot++) {
        assertThat(leaf.get(slot)).isGreaterThanOrEqualTo(leaf.get(slot - 1) - 1e-5);
      }
      assertThat(leaf.keySet()).isEqualTo(rangeSet(leaf.size()));
    }
  }

  private static Set<Integer> rangeSet(int n) {
    Set<Integer> s = new HashSet<>();
    for (int i = 0; i < n; i++) {
      s.add(i);
    }
    return s;
  }

  @Test
  void sameSeedSameIds() {
    int[] labels = new int[200];
    FloatMatrix x = blobs(5, 40, 2, labels);
    IdSpace space = IdSpace.of(LatticeSpec.rectangular(3, 3), LatticeSpec.rectangular(2, 2));
    RqKMeans a = RqKMeans.builder(space).seed(9).build();
    assertThat(a.fit(x).ids()).isEqualTo(a.fit(x).ids());
    assertThat(a.fit(x).codebooks())
        .isEqualTo(RqKMeans.builder(space).seed(9).build().fit(x).codebooks());
  }

  @Test
  void residualLevelsReduceTheQuantizationError() {
    int[] labels = new int[400];
    FloatMatrix x = blobs(8, 50, 4, labels);
    IdSpace space = IdSpace.of(LatticeSpec.rectangular(2, 4), LatticeSpec.rectangular(4, 4));
    RqKMeans.Result result = RqKMeans.builder(space).build().fit(x);
    SidQualityReport r =
        SidQuality.builder()
            .build()
            .evaluate(x, result.ids(), IdDistance.topologyBlind(), result.prototypes(), List.of());
    assertThat(r.quantizationError().get(1)).isLessThan(r.quantizationError().get(0));
  }

  @Test
  void rejectsMoreCodesThanVectors() {
    FloatMatrix x = FloatMatrix.of(3, 1, new float[] {0, 1, 2});
    assertThatThrownBy(
            () -> RqKMeans.builder(IdSpace.of(LatticeSpec.rectangular(2, 2))).build().fit(x))
        .hasMessageContaining("4 codes but there are only 3 vectors");
  }

  @Test
  void rqKMeansKeepsMoreNeighboursThanRandomIds() {
    int[] labels = new int[400];
    FloatMatrix x = blobs(8, 50, 6, labels);
    IdSpace space = IdSpace.of(LatticeSpec.rectangular(2, 4), LatticeSpec.rectangular(2, 2));
    SidQuality quality = SidQuality.builder().seed(3).build();
    SidQualityReport rq =
        quality.evaluate(
            x, RqKMeans.builder(space).build().fit(x).ids(), IdDistance.topologyBlind());
    SidQualityReport random =
        quality.evaluate(x, RandomIds.assign(400, space, 3), IdDistance.topologyBlind());
    assertThat(rq.trustworthiness()).isGreaterThan(random.trustworthiness() + 0.2);
    assertThat(rq.continuity()).isGreaterThan(random.continuity() + 0.2);
    assertThat(rq.spearman()).isGreaterThan(random.spearman() + 0.2);
    assertThat(rq.quantizationError().get(0)).isLessThan(random.quantizationError().get(0));
  }
}
