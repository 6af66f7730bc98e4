package org.refinepoi.rl.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class RewardFunctionTest {

  static final RewardFunction<Integer, String> LENGTH_MATCH =
      RewardFunction.perSample(
          "length_match",
          (Integer want, String text) ->
              want < 0
                  ? OptionalDouble.empty()
                  : OptionalDouble.of(text.length() == want ? 1.0 : 0.0));

  @Test
  void perSampleScoresEachSampleAndMarksNotApplicable() {
    RewardScores s = LENGTH_MATCH.score(List.of(2, 3, -1), List.of("ab", "ab", "x"));
    assertThat(s.totals()[0]).isEqualTo(1.0);
    assertThat(s.totals()[1]).isZero();
    assertThat(s.total(2)).isEmpty();
    assertThat(s.terms()).containsOnlyKeys("length_match");
  }

  @Test
  void mapCompletionsConvertsFirst() {
    RewardFunction<Integer, Integer> onInts = LENGTH_MATCH.mapCompletions(n -> "x".repeat(n));
    assertThat(onInts.name()).isEqualTo("length_match");
    assertThat(onInts.score(List.of(4, 4), List.of(4, 5)).totals()).containsExactly(1.0, 0.0);
  }

  @Test
  void rejectsMisSizedBatches() {
    assertThatThrownBy(() -> LENGTH_MATCH.score(List.of(1), List.of("a", "b")))
        .hasMessageContaining("batch of 1 prompts, 2 completions");
    assertThatThrownBy(() -> LENGTH_MATCH.score(List.of(1), List.of("a"), new int[2]))
        .hasMessageContaining("2 group ids");
  }

  @Test
  void scoresRefuseMisSizedMissingOrInfiniteValuesByName() {
    assertThatThrownBy(
            () -> new RewardScores(new double[2], Map.of("ndcg", new double[3]), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("term ndcg has 3 values for 2 samples");
    Map<String, double[]> missing = new HashMap<>();
    missing.put("list_length", null);
    assertThatThrownBy(() -> new RewardScores(new double[2], Map.of(), missing))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("diagnostic list_length has no values");
    assertThatThrownBy(() -> RewardScores.single("r", new double[] {0, Double.POSITIVE_INFINITY}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("finite or NaN");
  }
}
