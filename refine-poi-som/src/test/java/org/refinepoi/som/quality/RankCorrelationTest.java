package org.refinepoi.som.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Spearman's rho against hand-computed values. */
class RankCorrelationTest {

  @Test
  void noTies() {
    // d = (-1, 1, -1, 1, 0): rho = 1 - 6 * 4 / (5 * 24) = 0.8.
    assertThat(RankCorrelation.spearman(new double[] {1, 2, 3, 4, 5}, new double[] {2, 1, 4, 3, 5}))
        .isCloseTo(0.8, within(1e-12));
    assertThat(RankCorrelation.spearman(new double[] {1, 2, 3}, new double[] {30, 20, 10}))
        .isCloseTo(-1, within(1e-12));
  }

  @Test
  void tiesShareTheMeanRank() {
    assertThat(RankCorrelation.averageRanks(new double[] {10, 20, 20, 30}))
        .containsExactly(1, 2.5, 2.5, 4);
    // Ranks x = (1, 2.5, 2.5, 4), y = (1, 3, 2, 4): cov 4.5, var 4.5 and 5, rho = sqrt(0.9).
    assertThat(RankCorrelation.spearman(new double[] {1, 2, 2, 3}, new double[] {1, 3, 2, 4}))
        .isCloseTo(Math.sqrt(0.9), within(1e-12));
  }

  @Test
  void constantSampleIsUndefined() {
    assertThat(RankCorrelation.spearman(new double[] {1, 1, 1}, new double[] {1, 2, 3})).isNaN();
  }

  @Test
  void badInput() {
    assertThatThrownBy(() -> RankCorrelation.spearman(new double[] {1}, new double[] {1}))
        .hasMessageContaining("at least 2");
    assertThatThrownBy(() -> RankCorrelation.spearman(new double[] {1, 2}, new double[] {1}))
        .hasMessageContaining("length");
    assertThatThrownBy(
            () -> RankCorrelation.spearman(new double[] {1, Double.NaN}, new double[] {1, 2}))
        .hasMessageContaining("NaN");
  }
}
