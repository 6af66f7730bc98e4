package org.refinepoi.som.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;

/** The individual measures of SidQuality against hand-computed values. */
class SidQualityTest {

  private static SemanticId id(int c0, int c1, int slot) {
    return SemanticId.of(new int[] {c0, c1}, slot);
  }

  @Test
  void perplexity() {
    assertThat(SidQuality.perplexity(new int[] {5, 5, 5, 5})).isCloseTo(4, within(1e-12));
    assertThat(SidQuality.perplexity(new int[] {3, 0, 3, 3, 0})).isCloseTo(3, within(1e-12));
    assertThat(SidQuality.perplexity(new int[] {7})).isCloseTo(1, within(1e-12));
    // p = (1/2, 1/4, 1/4): H = 1.5 ln 2, perplexity 2^1.5.
    assertThat(SidQuality.perplexity(new int[] {2, 1, 1}))
        .isCloseTo(Math.pow(2, 1.5), within(1e-12));
    assertThatThrownBy(() -> SidQuality.perplexity(new int[] {0, 0})).hasMessageContaining("empty");
  }

  @Test
  void collisionRateCountsEveryPoiOfASharedLeaf() {
    List<SemanticId> ids = List.of(id(0, 0, 0), id(0, 0, 1), id(0, 0, 2), id(0, 1, 0), id(1, 1, 0));
    assertThat(SidQuality.collisionRate(ids)).isCloseTo(3.0 / 5, within(1e-12));
    assertThat(SidQuality.collisionRate(List.of(id(0, 0, 0), id(0, 1, 0)))).isZero();
  }

  @Test
  void blindDistanceCountsLevelsFromTheFirstDifference() {
    IdDistance blind = IdDistance.topologyBlind();
    assertThat(blind.distance(id(3, 1, 0), id(3, 1, 0))).isZero();
    assertThat(blind.distance(id(3, 1, 0), id(3, 1, 4))).isEqualTo(1);
    assertThat(blind.distance(id(3, 1, 0), id(3, 2, 0))).isEqualTo(2);
    assertThat(blind.distance(id(3, 1, 0), id(4, 1, 0))).isEqualTo(3);
    assertThat(blind.distance(id(3, 1, 0), id(200, 2, 9))).isEqualTo(3);
    IdSpace space = IdSpace.of(LatticeSpec.rectangular(4, 4), LatticeSpec.rectangular(2, 2));
    assertThat(IdDistance.lattice(space).distance(id(0, 0, 0), id(5, 0, 0)))
        .isEqualTo(space.distance(id(0, 0, 0), id(5, 0, 0)));
  }

  @Test
  void quantizationErrorWithCentroidsAndResidualCodebooks() {
    // 1-D: rows 0, 2 share level-0 cell 0 (centroid 1); rows 10, 14 share cell 1 (centroid 12).
    FloatMatrix x = FloatMatrix.of(4, 1, new float[] {0, 2, 10, 14});
    List<SemanticId> ids = List.of(id(0, 0, 0), id(0, 1, 0), id(1, 0, 0), id(1, 0, 1));
    PrototypeLookup centroids = PrototypeLookup.prefixCentroids(x, ids);
    assertThat(centroids.prototype(0, ids.get(0))).containsExactly(1f);
    assertThat(centroids.prototype(1, ids.get(1))).containsExactly(2f);
    SidQualityReport r =
        SidQuality.builder()
            .k(1)
            .build()
            .evaluate(x, ids, IdDistance.topologyBlind(), centroids, List.of());
    // Level 0: |0-1|, |2-1|, |10-12|, |14-12| -> 1.5. Level 1: rows 0 and 1 alone (0), rows 2, 3
    // share (0, 0) at level 1 with centroid 12 -> (0 + 0 + 2 + 2) / 4 = 1.
    assertThat(r.quantizationError()).containsExactly(1.5, 1.0);
    assertThat(r.topographicError())
        .containsExactly(OptionalDouble.empty(), OptionalDouble.empty());
    assertThat(r.collisionRate()).isEqualTo(0.5);
    assertThat(r.level1CellsUsed()).isEqualTo(2);
    assertThat(r.level1Perplexity()).isCloseTo(2, within(1e-12));
    assertThat(r.spearmanPairs()).isEqualTo(6);
    // Residual codebooks: level 0 centres {1, 12}, level 1 offsets {0, 1}.
    PrototypeLookup residual =
        PrototypeLookup.residual(
            List.of(
                FloatMatrix.of(2, 1, new float[] {1, 12}),
                FloatMatrix.of(2, 1, new float[] {0, 1})));
    assertThat(residual.prototype(1, id(1, 1, 0))).containsExactly(13f);
    assertThat(residual.prototype(0, id(1, 1, 0))).containsExactly(12f);
    // A tree: root map {1, 12}; under cell 0 a child map {0, 2}, under cell 1 {10, 14}.
    PrototypeLookup tree =
        PrototypeLookup.tree(
            parent ->
                switch (parent.size()) {
                  case 0 -> FloatMatrix.of(2, 1, new float[] {1, 12});
                  default ->
                      parent.get(0) == 0
                          ? FloatMatrix.of(2, 1, new float[] {0, 2})
                          : FloatMatrix.of(2, 1, new float[] {10, 14});
                });
    assertThat(tree.prototype(0, id(1, 1, 0))).containsExactly(12f);
    assertThat(tree.prototype(1, id(1, 1, 0))).containsExactly(14f);
    assertThat(tree.prototype(1, id(0, 1, 0))).containsExactly(2f);
    SidQualityReport exact =
        SidQuality.builder()
            .k(1)
            .build()
            .evaluate(x, ids, IdDistance.topologyBlind(), tree, List.of());
    // Level 1 rows: 0 -> 0, 2 -> 2, 10 -> 10, 14 -> 10 (cell 0 under parent 1): mean 1.
    assertThat(exact.quantizationError()).containsExactly(1.5, 1.0);
  }

  @Test
  void spearmanOverAllPairsWhenFew() {
    // Four POIs on a line, IDs one cell each on a 1 x 4 lattice in the same order: rho = 1.
    FloatMatrix x = FloatMatrix.of(4, 1, new float[] {0, 1, 2, 3});
    List<SemanticId> ids =
        List.of(
            SemanticId.of(new int[] {0}, 0),
            SemanticId.of(new int[] {1}, 0),
            SemanticId.of(new int[] {2}, 0),
            SemanticId.of(new int[] {3}, 0));
    SidQualityReport r =
        SidQuality.builder()
            .k(1)
            .build()
            .evaluate(x, ids, IdDistance.lattice(IdSpace.of(LatticeSpec.rectangular(1, 4))));
    assertThat(r.spearman()).isCloseTo(1, within(1e-12));
    assertThat(r.spearmanPairs()).isEqualTo(6);
  }

  @Test
  void topographicErrorOnHandBuiltMaps() {
    // 1 x 3 line, units at 0, 2, 1: a sample at 0.1 has BMU 0 and second unit 2 (not adjacent);
    // a sample at 1.9 has BMU 1 and second 2 (adjacent).
    LatticeSpec line = LatticeSpec.rectangular(1, 3);
    FloatMatrix codebook = FloatMatrix.of(3, 1, new float[] {0, 2, 1});
    FloatMatrix data = FloatMatrix.of(2, 1, new float[] {0.1f, 1.9f});
    assertThat(TopographicError.of(data, codebook, line)).isEqualTo(0.5);
    // On a 1 x 3 torus units 0 and 2 are neighbours: no error.
    assertThat(
            TopographicError.of(
                data, codebook, new LatticeSpec(1, 3, LatticeSpec.Topology.RECTANGULAR, true)))
        .isZero();
    // Hex 2 x 2: cells 0 (0,0) and 3 (1,1) are sqrt(3) apart, cells 0 and 2 (1,0) adjacent.
    LatticeSpec hex = LatticeSpec.hexagonal(2, 2);
    assertThat(TopographicError.of(new int[] {0, 0}, new int[] {3, 2}, hex)).isEqualTo(0.5);
    // Rectangular 2 x 2: diagonal cells 0 and 3 are neighbours (8-neighbourhood).
    assertThat(TopographicError.of(new int[] {0}, new int[] {3}, LatticeSpec.rectangular(2, 2)))
        .isZero();
    // Ties: a sample equally close to units 1 and 2 takes 1 as BMU and 2 as second.
    FloatMatrix tie = FloatMatrix.of(1, 1, new float[] {1.5f});
    assertThat(
            TopographicError.of(
                tie, FloatMatrix.of(4, 1, new float[] {9, 1, 2, 9}), LatticeSpec.rectangular(1, 4)))
        .isZero();
    assertThat(
            TopographicError.of(
                tie, FloatMatrix.of(4, 1, new float[] {9, 1, 9, 2}), LatticeSpec.rectangular(1, 4)))
        .isEqualTo(1);
  }

  @Test
  void evaluateRejectsMisalignedInput() {
    FloatMatrix x = FloatMatrix.of(3, 1, new float[] {0, 1, 2});
    SidQuality q = SidQuality.builder().k(1).build();
    assertThatThrownBy(() -> q.evaluate(x, List.of(id(0, 0, 0)), IdDistance.topologyBlind()))
        .hasMessageContaining("3 vectors but 1 IDs");
    assertThatThrownBy(
            () ->
                q.evaluate(
                    x,
                    List.of(id(0, 0, 0), id(0, 1, 0), SemanticId.of(new int[] {1}, 0)),
                    IdDistance.topologyBlind()))
        .hasMessageContaining("has 1 levels");
    assertThatThrownBy(
            () ->
                SidQuality.builder()
                    .build()
                    .evaluate(
                        x,
                        List.of(id(0, 0, 0), id(0, 1, 0), id(1, 0, 0)),
                        IdDistance.topologyBlind()))
        .hasMessageContaining("k = 10 needs more than 20 POIs");
    assertThatThrownBy(() -> SidQuality.builder().k(0)).hasMessageContaining("k must be >= 1");
  }
}
