package org.refinepoi.rl.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.refinepoi.rl.policy.PlackettLuce;
import org.refinepoi.rl.policy.Rankings;
import org.refinepoi.rl.reward.RewardFunction;

/** List GRPO on a tiny problem whose expected NDCG is computed exactly by enumeration. */
class ListGrpoTrainerTest {

  static final int PROMPTS = 4;
  static final int ITEMS = 5;
  static final int K = 3;

  /** Prompt p's relevant item. */
  static int target(int p) {
    return (2 * p + 1) % ITEMS;
  }

  static double ndcg(int[] list, int target) {
    for (int i = 0; i < list.length; i++) {
      if (list[i] == target) {
        return 1 / (Math.log(i + 2) / Math.log(2));
      }
    }
    return 0;
  }

  static RewardFunction<Integer, int[]> reward() {
    return RewardFunction.perSample("ndcg", (p, list) -> OptionalDouble.of(ndcg(list, target(p))));
  }

  /** E[NDCG@k] of the policy's Plackett-Luce lists, averaged over prompts, by enumeration. */
  static double expectedNdcg(TabularListPolicy policy, double temperature) {
    double total = 0;
    for (int p = 0; p < PROMPTS; p++) {
      for (int[] r : Rankings.all(ITEMS, K)) {
        total +=
            Math.exp(PlackettLuce.logProb(policy.theta[p], r, temperature)) * ndcg(r, target(p));
      }
    }
    return total / PROMPTS;
  }

  static List<Integer> prompts() {
    List<Integer> out = new ArrayList<>();
    for (int p = 0; p < PROMPTS; p++) {
      out.add(p);
    }
    return out;
  }

  static GrpoConfig config(double beta) {
    return GrpoConfig.builder()
        .groupSize(16)
        .promptsPerBatch(PROMPTS)
        .clip(0.2, 0.28)
        .beta(beta)
        .learningRate(0.5)
        .sampling(1.0, 1.0, K)
        .seed(7)
        .build();
  }

  @Test
  void grpoRaisesTheExpectedNdcgOfTheListPolicy() {
    TabularListPolicy policy = new TabularListPolicy(PROMPTS, ITEMS);
    double before = expectedNdcg(policy, 1.0);
    ListGrpoTrainer<Integer> trainer =
        ListGrpoTrainer.builder(policy, reward(), prompts())
            .config(config(0))
            .listLength(K)
            .build();
    List<StepMetrics> steps = trainer.train(100);
    double after = expectedNdcg(policy, 1.0);
    // uniform scores give E[NDCG@3] = (1 + 0.63 + 0.5) / 5 = 0.43; training should approach 1
    assertThat(before).isBetween(0.42, 0.44);
    assertThat(after).isGreaterThan(0.9);
    assertThat(steps).hasSize(100);
    assertThat(steps.getLast().completionLength()).isEqualTo(K);
    // the most likely ranking now puts each prompt's target first
    for (int p = 0; p < PROMPTS; p++) {
      assertThat(policy.score(List.of(p)).getFirst().ranked()[0]).isEqualTo(target(p));
    }
  }

  @Test
  void withKlToTheStartingPolicyEveryStepStaysFinite() {
    TabularListPolicy policy = new TabularListPolicy(PROMPTS, ITEMS);
    ListGrpoTrainer<Integer> trainer =
        ListGrpoTrainer.builder(policy, reward(), prompts())
            .config(config(0.02))
            .listLength(K)
            .build();
    for (StepMetrics m : trainer.train(200)) {
      assertThat(m.kl()).isFinite().isNotNegative();
      assertThat(m.loss()).isFinite();
      assertThat(m.gradNorm()).isFinite();
    }
    assertThat(expectedNdcg(policy, 1.0)).isGreaterThan(0.8);
  }

  @Test
  void validatedTrainingKeepsTheBestStateAndNeverEndsBelowTheStart() {
    TabularListPolicy policy = new TabularListPolicy(PROMPTS, ITEMS);
    ListGrpoTrainer<Integer> trainer =
        ListGrpoTrainer.builder(policy, reward(), prompts())
            .config(config(0))
            .listLength(K)
            .build();
    // a validation score that prefers the untrained policy: the start must be kept
    ListGrpoTrainer.ValidatedRun run =
        trainer.train(20, 5, p -> -expectedNdcg((TabularListPolicy) p, 1.0));
    assertThat(run.validationSteps()).containsExactly(0L, 5L, 10L, 15L, 20L);
    assertThat(run.bestStep()).isZero();
    assertThat(expectedNdcg(policy, 1.0)).isBetween(0.42, 0.44);
    // and one that prefers training: the last (best) state stays
    ListGrpoTrainer.ValidatedRun up =
        trainer.train(20, 5, p -> expectedNdcg((TabularListPolicy) p, 1.0));
    assertThat(up.bestStep()).isPositive();
    assertThat(expectedNdcg(policy, 1.0)).isEqualTo(up.bestScore());
  }

  @Test
  void aFrozenPolicyOrNoPromptsAreRefused() {
    TabularListPolicy policy = new TabularListPolicy(PROMPTS, ITEMS);
    assertThatThrownBy(() -> ListGrpoTrainer.builder(policy.snapshot(), reward(), prompts()))
        .hasMessageContaining("frozen");
    assertThatThrownBy(() -> ListGrpoTrainer.builder(policy, reward(), List.of()))
        .hasMessageContaining("no training prompts");
  }
}
