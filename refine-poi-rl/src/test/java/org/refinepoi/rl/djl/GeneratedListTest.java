package org.refinepoi.rl.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GeneratedListTest {

  @Test
  void neitherTheCallersArraysNorTheAccessorsResultsReachTheRecord() {
    int[] tokens = {7, 8, 2};
    float[] logProbs = {-0.5f, 0f, -0.25f};
    int[] pois = {3};
    GeneratedList list = new GeneratedList(tokens, logProbs, pois);
    tokens[0] = 99;
    logProbs[0] = -9f;
    pois[0] = 42;
    list.tokens()[1] = 99;
    list.logProbs()[1] = -9f;
    list.pois()[0] = 42;
    assertThat(list.tokens()).containsExactly(7, 8, 2);
    assertThat(list.logProbs()).containsExactly(-0.5f, 0f, -0.25f);
    assertThat(list.pois()).containsExactly(3);
    assertThat(list.length()).isEqualTo(3);
    assertThat(list.totalLogProb()).isCloseTo(-0.75, within(1e-12));
  }

  @Test
  void equalityComparesContents() {
    GeneratedList a = new GeneratedList(new int[] {1, 2}, new float[] {-1f, 0f}, new int[] {5});
    GeneratedList b = new GeneratedList(new int[] {1, 2}, new float[] {-1f, 0f}, new int[] {5});
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a)
        .isNotEqualTo(new GeneratedList(new int[] {1, 2}, new float[] {-1f, 0f}, new int[] {6}));
  }

  @Test
  void refusesMisSizedLogProbabilities() {
    assertThatThrownBy(() -> new GeneratedList(new int[] {1, 2}, new float[] {0f}, new int[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 tokens but 1 log-probabilities");
  }
}
