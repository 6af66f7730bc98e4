package org.refinepoi.core.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CoVisitCountsTest {

  @Test
  void pairsInEitherOrderAndRepeatsAreSummed() {
    CoVisitCounts c =
        CoVisitCounts.of(
            4, new int[] {0, 2, 1, 3, 0}, new int[] {1, 0, 0, 2, 2}, new long[] {2, 1, 3, 5, 4});
    assertThat(c.pois()).isEqualTo(4);
    assertThat(c.pairs()).isEqualTo(3);
    assertThat(c.count(0, 1)).isEqualTo(5);
    assertThat(c.count(1, 0)).isEqualTo(5);
    assertThat(c.count(0, 2)).isEqualTo(5);
    assertThat(c.count(2, 3)).isEqualTo(5);
    assertThat(c.count(1, 3)).isZero();
    assertThat(c.count(2, 2)).isZero();
    // The symmetric matrix stores each pair twice, rows sorted by column.
    double[][] dense = c.symmetric().toDense();
    assertThat(dense[0]).containsExactly(0, 5, 5, 0);
    assertThat(dense[1]).containsExactly(5, 0, 0, 0);
    assertThat(dense[2]).containsExactly(5, 0, 0, 5);
    assertThat(dense[3]).containsExactly(0, 0, 5, 0);
    assertThat(c).hasToString("CoVisitCounts[4 POIs, 3 pairs]");
  }

  @Test
  void noPairsIsAnEmptyMatrix() {
    CoVisitCounts c = CoVisitCounts.of(3, new int[0], new int[0], new long[0]);
    assertThat(c.pairs()).isZero();
    assertThat(c.symmetric().nonZeros()).isZero();
  }

  @Test
  void badEntriesAreRefusedWithTheirIndex() {
    assertThatThrownBy(() -> CoVisitCounts.of(3, new int[] {0, 1}, new int[] {1}, new long[] {1}))
        .hasMessageContaining("differ in length");
    assertThatThrownBy(
            () -> CoVisitCounts.of(3, new int[] {0, 1}, new int[] {1, 3}, new long[] {1, 1}))
        .hasMessageContaining("pair 1 (1, 3)")
        .hasMessageContaining("outside [0, 3)");
    assertThatThrownBy(() -> CoVisitCounts.of(3, new int[] {2}, new int[] {2}, new long[] {1}))
        .hasMessageContaining("pair 0 pairs POI 2 with itself");
    assertThatThrownBy(() -> CoVisitCounts.of(3, new int[] {0}, new int[] {1}, new long[] {0}))
        .hasMessageContaining("count 0 < 1");
    assertThatThrownBy(() -> CoVisitCounts.of(0, new int[0], new int[0], new long[0]))
        .hasMessageContaining("pois must be >= 1");
  }
}
