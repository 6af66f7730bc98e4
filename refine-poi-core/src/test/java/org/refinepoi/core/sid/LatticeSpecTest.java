package org.refinepoi.core.sid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple3;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.sid.LatticeSpec.Topology;

/**
 * The lattice geometry against hand-computed positions, distances, neighbour sets and diameters
 * (rectangular and hexagonal odd-r, planar and toroidal), and its metric properties on random
 * lattices.
 */
class LatticeSpecTest {

  private static final double H = Math.sqrt(3) / 2;
  private static final double TOL = 1e-12;

  private static Set<Integer> neighbours(LatticeSpec l, int row, int col) {
    Set<Integer> out = new HashSet<>();
    int a = l.cell(row, col);
    for (int b = 0; b < l.size(); b++) {
      if (l.adjacent(a, b)) {
        out.add(b);
      }
    }
    return out;
  }

  private static Set<Integer> cells(LatticeSpec l, int[][] rowCols) {
    Set<Integer> out = new HashSet<>();
    for (int[] rc : rowCols) {
      out.add(l.cell(rc[0], rc[1]));
    }
    return out;
  }

  @Test
  void rectangularPlanarDistancesAndDiameter() {
    LatticeSpec l = LatticeSpec.rectangular(3, 4);
    assertThat(l.distance(l.cell(0, 0), l.cell(2, 3))).isCloseTo(Math.sqrt(13), within(TOL));
    assertThat(l.distance(l.cell(1, 1), l.cell(1, 2))).isCloseTo(1, within(TOL));
    assertThat(l.diameter()).isCloseTo(Math.sqrt(13), within(TOL));
    assertThat(neighbours(l, 0, 0)).isEqualTo(cells(l, new int[][] {{0, 1}, {1, 0}, {1, 1}}));
    assertThat(neighbours(l, 1, 1)).hasSize(8);
  }

  @Test
  void rectangularTorusWrapsBothWays() {
    LatticeSpec l = new LatticeSpec(4, 6, Topology.RECTANGULAR, true);
    // (0,0) to (3,5): one row and one column apart the short way round.
    assertThat(l.distance(l.cell(0, 0), l.cell(3, 5))).isCloseTo(Math.sqrt(2), within(TOL));
    assertThat(l.distance(l.cell(0, 0), l.cell(2, 3))).isCloseTo(Math.sqrt(13), within(TOL));
    assertThat(l.distance(l.cell(0, 1), l.cell(0, 5))).isCloseTo(2, within(TOL));
    assertThat(l.diameter()).isCloseTo(Math.sqrt(13), within(TOL));
    assertThat(neighbours(l, 0, 0))
        .isEqualTo(
            cells(l, new int[][] {{0, 1}, {0, 5}, {1, 0}, {3, 0}, {1, 1}, {1, 5}, {3, 1}, {3, 5}}));
  }

  @Test
  void hexagonalPlanarOddRowsShiftRight() {
    LatticeSpec l = LatticeSpec.hexagonal(5, 5);
    assertThat(l.x(l.cell(1, 0))).isEqualTo(0.5);
    assertThat(l.y(l.cell(1, 0))).isCloseTo(H, within(TOL));
    assertThat(l.distance(l.cell(0, 0), l.cell(1, 0))).isCloseTo(1, within(TOL));
    assertThat(l.distance(l.cell(0, 0), l.cell(2, 0))).isCloseTo(Math.sqrt(3), within(TOL));
    assertThat(l.distance(l.cell(0, 0), l.cell(1, 1))).isCloseTo(Math.sqrt(3), within(TOL));
    // Even row 2: neighbours in rows 1 and 3 at columns c-1 and c.
    assertThat(neighbours(l, 2, 2))
        .isEqualTo(cells(l, new int[][] {{2, 1}, {2, 3}, {1, 1}, {1, 2}, {3, 1}, {3, 2}}));
    // Odd row 1: neighbours in rows 0 and 2 at columns c and c+1.
    assertThat(neighbours(l, 1, 2))
        .isEqualTo(cells(l, new int[][] {{1, 1}, {1, 3}, {0, 2}, {0, 3}, {2, 2}, {2, 3}}));
    assertThat(neighbours(l, 0, 0)).isEqualTo(cells(l, new int[][] {{0, 1}, {1, 0}}));
    // 2x2: the farthest pair is (0,0)-(1,1): dx 1.5, dy sqrt(3)/2.
    assertThat(LatticeSpec.hexagonal(2, 2).diameter()).isCloseTo(Math.sqrt(3), within(TOL));
  }

  @Test
  void hexagonalTorusHasSixNeighboursEverywhere() {
    LatticeSpec l = new LatticeSpec(4, 5, Topology.HEXAGONAL, true);
    assertThat(neighbours(l, 0, 0))
        .isEqualTo(cells(l, new int[][] {{0, 1}, {0, 4}, {1, 4}, {1, 0}, {3, 4}, {3, 0}}));
    assertThat(neighbours(l, 3, 4))
        .isEqualTo(cells(l, new int[][] {{3, 3}, {3, 0}, {2, 4}, {2, 0}, {0, 4}, {0, 0}}));
    for (int c = 0; c < l.size(); c++) {
      assertThat(neighbours(l, l.row(c), l.col(c))).as("cell %s", c).hasSize(6);
    }
    assertThat(l.distance(l.cell(0, 0), l.cell(3, 0))).isCloseTo(1, within(TOL));
    assertThat(l.distance(l.cell(0, 0), l.cell(2, 0))).isCloseTo(Math.sqrt(3), within(TOL));
    // 4x4 hex torus: two rows apart (dy = sqrt 3) and two columns apart (dx = 2): sqrt 7.
    assertThat(new LatticeSpec(4, 4, Topology.HEXAGONAL, true).diameter())
        .isCloseTo(Math.sqrt(7), within(TOL));
  }

  @Test
  void hexagonalTorusNeedsEvenRows() {
    assertThatThrownBy(() -> new LatticeSpec(3, 4, Topology.HEXAGONAL, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("even number of rows");
  }

  @Test
  void interiorNeighbourCounts() {
    assertThat(neighbours(new LatticeSpec(5, 5, Topology.RECTANGULAR, true), 0, 0)).hasSize(8);
    assertThat(neighbours(LatticeSpec.hexagonal(6, 6), 3, 3)).hasSize(6);
  }

  @Provide
  Arbitrary<Tuple3<LatticeSpec, Integer, Integer>> cellPairs() {
    return SidArbitraries.lattices(8)
        .flatMap(
            l ->
                Combinators.combine(
                        Arbitraries.integers().between(0, l.size() - 1),
                        Arbitraries.integers().between(0, l.size() - 1))
                    .as((a, b) -> Tuple.of(l, a, b)));
  }

  @Property
  void latticeDistanceIsSymmetricAndZeroOnlyOnTheDiagonal(
      @ForAll("cellPairs") Tuple3<LatticeSpec, Integer, Integer> t) {
    LatticeSpec l = t.get1();
    int a = t.get2();
    int b = t.get3();
    assertThat(l.distance(a, b)).isEqualTo(l.distance(b, a));
    assertThat(l.adjacent(a, b)).isEqualTo(l.adjacent(b, a));
    if (a == b) {
      assertThat(l.distance(a, b)).isZero();
    } else {
      // Distinct cells are at least half a unit apart (a hexagonal torus one column wide).
      assertThat(l.distance(a, b)).isGreaterThanOrEqualTo(0.5 - TOL);
    }
    assertThat(l.distance(a, b)).isLessThanOrEqualTo(l.diameter() + TOL);
  }

  @Property(tries = 200)
  void diameterIsTheLargestPairwiseDistance(@ForAll("lattices") LatticeSpec l) {
    double best = 0;
    for (int a = 0; a < l.size(); a++) {
      for (int b = 0; b < l.size(); b++) {
        best = Math.max(best, l.distance(a, b));
      }
    }
    assertThat(l.diameter()).isCloseTo(best, within(1e-9));
  }

  @Property(tries = 200)
  void triangleInequalityOnEveryTriple(@ForAll("lattices") LatticeSpec l) {
    int n = Math.min(l.size(), 20);
    for (int a = 0; a < n; a++) {
      for (int b = 0; b < n; b++) {
        for (int c = 0; c < n; c++) {
          assertThat(l.distance(a, c))
              .isLessThanOrEqualTo(l.distance(a, b) + l.distance(b, c) + 1e-9);
        }
      }
    }
  }

  @Provide
  Arbitrary<LatticeSpec> lattices() {
    return SidArbitraries.lattices(9);
  }
}
