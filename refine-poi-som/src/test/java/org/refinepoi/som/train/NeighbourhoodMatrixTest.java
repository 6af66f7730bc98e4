package org.refinepoi.som.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.sid.LatticeSpec;

/** The grouped neighbourhood matrix against the neighbourhood evaluated pair by pair. */
class NeighbourhoodMatrixTest {

  @Property(tries = 40)
  void weightsMatchThePairwiseNeighbourhood(
      @ForAll @IntRange(min = 1, max = 8) int rows,
      @ForAll @IntRange(min = 1, max = 9) int cols,
      @ForAll boolean hex,
      @ForAll boolean torus,
      @ForAll Neighbourhood kind,
      @ForAll @DoubleRange(min = 0, max = 6) double radius) {
    LatticeSpec lattice =
        new LatticeSpec(
            hex ? 2 * rows : rows,
            cols,
            hex ? LatticeSpec.Topology.HEXAGONAL : LatticeSpec.Topology.RECTANGULAR,
            torus);
    NeighbourhoodMatrix matrix = new NeighbourhoodMatrix(lattice);
    float[] h = matrix.weights(kind, radius);
    int m = lattice.size();
    assertThat(h).hasSize(m * m);
    for (int j = 0; j < m; j++) {
      for (int k = 0; k < m; k++) {
        // A class keeps the first of distances equal to 1e-9: weights agree to float rounding.
        double expected = kind.weight(lattice.squaredDistance(j, k), radius);
        assertThat((double) h[j * m + k]).isCloseTo(expected, within(1e-6));
      }
    }
    int[] classOfPair = matrix.classOfPair();
    float[] perClass = matrix.classWeights(kind, radius);
    assertThat(perClass).hasSize(matrix.classCount());
    for (int i = 0; i < h.length; i++) {
      assertThat(h[i]).isEqualTo(perClass[classOfPair[i]]);
    }
  }

  @Test
  void classOfPairIsACopyAndBadRadiiAreRefused() {
    NeighbourhoodMatrix matrix = new NeighbourhoodMatrix(LatticeSpec.rectangular(3, 3));
    matrix.classOfPair()[0] = 99;
    assertThat(matrix.classOfPair()[0]).isZero();
    assertThat(matrix.classCount()).isBetween(2, 81);
    assertThatThrownBy(() -> matrix.classWeights(Neighbourhood.GAUSSIAN, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("radius");
  }
}
