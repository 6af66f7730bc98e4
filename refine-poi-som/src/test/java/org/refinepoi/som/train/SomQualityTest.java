package org.refinepoi.som.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.backend.BmuResult;
import org.refinepoi.som.backend.JavaSomBackend;
import org.refinepoi.som.backend.SomSession;

class SomQualityTest {

  private static BmuResult bmus(float[][] samples, float[][] units) {
    try (SomSession s = new JavaSomBackend(1).open(FloatMatrix.ofRows(samples))) {
      return s.bmu(FloatMatrix.ofRows(units), true);
    }
  }

  @Test
  void quantizationAndTopographicErrorOnALine() {
    // 1x4 line of units at 0, 1, 2, 10. Samples: 0.2 (best 0, second 1: neighbours),
    // 1.4 (1, 2: neighbours), 7 (3, then 2: neighbours), 0.5 +- (0 and 1 tie broken... avoided),
    // -4 (0, then 1), 5.8 (3 at 4.2? no: |5.8-2|=3.8 < |5.8-10|=4.2, so best 2, second 3).
    float[][] units = {{0}, {1}, {2}, {10}};
    float[][] samples = {{0.2f}, {1.4f}, {7f}, {5.8f}};
    BmuResult r = bmus(samples, units);
    assertThat(r.best()).containsExactly(0, 1, 3, 2);
    assertThat(r.second()).containsExactly(1, 2, 2, 3);
    assertThat(SomQuality.quantizationError(r)).isCloseTo((0.2 + 0.4 + 3 + 3.8) / 4, within(1e-6));
    LatticeSpec line = LatticeSpec.rectangular(1, 4);
    assertThat(SomQuality.topographicError(r, line)).isEqualTo(0);
    // Same codebook on a line whose order is scrambled: units 0 and 1 swapped in the lattice
    // would be another map; instead put sample -4 whose best is 0 and second 1: still 0 error.
    // A sample at 6 has best 2 (dist 4) and second 3 (dist 4): equal, lowest index first.
    BmuResult tie = bmus(new float[][] {{6f}}, units);
    assertThat(tie.best()).containsExactly(2);
    assertThat(tie.second()).containsExactly(3);
  }

  @Test
  void topographicErrorOnATorusCountsWrapAroundNeighbours() {
    // Units 0..3 on a 1x4 line at 0, 1, 2, 3; a sample at -0.4 has best 0 and second... 1 (1.4)
    // versus 3 (3.4): use positions where the wrap matters: units at 0, 5, 6, 1.
    float[][] units = {{0}, {5}, {6}, {1}};
    float[][] samples = {{0.45f}}; // best 0 (0.45), second 3 (0.55)
    BmuResult r = bmus(samples, units);
    assertThat(r.best()).containsExactly(0);
    assertThat(r.second()).containsExactly(3);
    assertThat(SomQuality.topographicError(r, LatticeSpec.rectangular(1, 4))).isEqualTo(1);
    assertThat(
            SomQuality.topographicError(
                r, new LatticeSpec(1, 4, LatticeSpec.Topology.RECTANGULAR, true)))
        .isEqualTo(0);
  }

  @Test
  void topographicErrorOnAHexLatticeUsesSixNeighbours() {
    // 2x2 lattice: cells 0=(0,0), 1=(0,1), 2=(1,0), 3=(1,1). Hex (odd rows shifted right):
    // 0-3 are not neighbours (distance sqrt(3)), 1-2 are (distance 1). Rectangular: both are.
    float[][] units = {{0, 0}, {10, 0}, {0, 10}, {1, 1}};
    float[][] samples = {{0.4f, 0.4f}, {5, 5.2f}};
    BmuResult r = bmus(samples, units);
    assertThat(r.best()).containsExactly(0, 3);
    assertThat(r.second()).containsExactly(3, 2);
    assertThat(SomQuality.topographicError(r, LatticeSpec.hexagonal(2, 2))).isEqualTo(0.5);
    assertThat(SomQuality.topographicError(r, LatticeSpec.rectangular(2, 2))).isEqualTo(0);
  }

  @Test
  void uMatrixIsTheMeanDistanceToLatticeNeighbours() {
    FloatMatrix w = FloatMatrix.ofRows(new float[][] {{0}, {1}, {3}});
    assertThat(SomQuality.uMatrix(LatticeSpec.rectangular(1, 3), w)).containsExactly(1, 1.5, 2);
    assertThat(SomQuality.uMatrix(new LatticeSpec(1, 3, LatticeSpec.Topology.RECTANGULAR, true), w))
        .containsExactly(2, 1.5, 2.5);
    assertThat(
            SomQuality.uMatrix(
                LatticeSpec.rectangular(1, 1), FloatMatrix.ofRows(new float[][] {{4}})))
        .containsExactly(0);
    // 2x2 rectangular: every cell neighbours the other three.
    FloatMatrix sq = FloatMatrix.ofRows(new float[][] {{0, 0}, {3, 0}, {0, 4}, {3, 4}});
    assertThat(SomQuality.uMatrix(LatticeSpec.rectangular(2, 2), sq)[0])
        .isCloseTo((3 + 4 + 5) / 3.0, within(1e-9));
  }
}
