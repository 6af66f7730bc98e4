package org.refinepoi.rl.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.rl.policy.Completion;
import org.refinepoi.rl.policy.Continuation;
import org.refinepoi.rl.policy.Policy;
import org.refinepoi.rl.policy.TabularSoftmaxPolicy;
import org.refinepoi.rl.policy.TabularSoftmaxPolicy.Context;
import org.refinepoi.rl.policy.TabularSoftmaxPolicy.Optimizer;
import org.refinepoi.rl.policy.TokenConstraint;
import org.refinepoi.rl.policy.TokenSequence;
import org.refinepoi.rl.reward.CompositeReward;
import org.refinepoi.rl.reward.ParsedAnswer;
import org.refinepoi.rl.reward.RankingRewards;
import org.refinepoi.rl.reward.RewardFunction;
import org.refinepoi.rl.reward.SoftAccuracyReward;

/**
 * GRPO on a small ranking task: each prompt has a ground-truth ID among four; the policy writes a
 * list of two IDs (token i = ID i) then the end token, under a constraint that forbids repeats. The
 * reward is the ranking composite (NDCG + soft accuracy). Everything is seeded.
 */
class GrpoTrainerTest {

  static final int END = 4;
  static final IdSpace SPACE = IdSpace.of(LatticeSpec.rectangular(2, 2));
  static final List<SemanticId> IDS =
      List.of(
          SemanticId.of(new int[] {0}, 0),
          SemanticId.of(new int[] {1}, 0),
          SemanticId.of(new int[] {2}, 0),
          SemanticId.of(new int[] {3}, 0));

  /** Two IDs, no repeat, then the end token. */
  static final TokenConstraint TWO_DISTINCT =
      (prompt, prefix) -> {
        if (prefix.length() == 2) {
          return new int[] {END};
        }
        if (prefix.length() > 2) {
          return new int[0];
        }
        return java.util.stream.IntStream.range(0, 4)
            .filter(t -> prefix.isEmpty() || prefix.get(0) != t)
            .toArray();
      };

  static ParsedAnswer parse(Completion c) {
    List<SemanticId> items = new ArrayList<>();
    for (int t = 0; t < c.length(); t++) {
      if (c.tokens().get(t) != END) {
        items.add(IDS.get(c.tokens().get(t)));
      }
    }
    return ParsedAnswer.of(items);
  }

  static final RewardFunction<SemanticId, Completion> REWARD =
      CompositeReward.<SemanticId, Completion>builder(Optional::of, GrpoTrainerTest::parse)
          .add(RankingRewards.ndcg(2), 1)
          .add(SoftAccuracyReward.builder(SPACE, 2).build(), 1)
          .gateOnFormat(2)
          .build();

  static final List<GrpoPrompt<SemanticId>> PROMPTS =
      List.of(
          new GrpoPrompt<>(TokenSequence.of(0), IDS.get(2)),
          new GrpoPrompt<>(TokenSequence.of(1), IDS.get(0)),
          new GrpoPrompt<>(TokenSequence.of(2), IDS.get(3)));

  /** The exact expected reward of the policy over all prompts (enumerating every list). */
  static double expectedReward(Policy policy) {
    double total = 0;
    for (GrpoPrompt<SemanticId> p : PROMPTS) {
      for (int a = 0; a < 4; a++) {
        for (int b = 0; b < 4; b++) {
          if (a == b) {
            continue;
          }
          TokenSequence tokens = TokenSequence.of(a, b, END);
          double[] lp =
              policy
                  .logProbs(List.of(new Continuation(p.tokens(), tokens)), 1.0, TWO_DISTINCT)
                  .get(0);
          double prob = Math.exp(lp[0] + lp[1] + lp[2]);
          Completion c = Completion.of(p.tokens(), tokens, lp, false);
          double r = REWARD.score(List.of(p.metadata()), List.of(c)).totals()[0];
          total += prob * r;
        }
      }
    }
    return total / PROMPTS.size();
  }

  static GrpoConfig config() {
    return GrpoConfig.builder()
        .groupSize(6)
        .promptsPerBatch(2)
        .learningRate(0.1)
        .updatesPerBatch(2)
        .beta(0.01)
        .clip(0.2, 0.28)
        .sampling(1.0, 1.0, 5)
        .seed(2024)
        .build();
  }

  static TabularSoftmaxPolicy newPolicy() {
    return new TabularSoftmaxPolicy(5, END, Context.POSITION, Optimizer.ADAM);
  }

  static GrpoTrainer<SemanticId> trainer(Policy policy, List<StepMetrics> sink) {
    return GrpoTrainer.builder(policy, REWARD, PROMPTS)
        .config(config())
        .constraint(TWO_DISTINCT)
        .listener(sink::add)
        .build();
  }

  @Test
  void trainingRaisesTheExpectedReward() {
    TabularSoftmaxPolicy policy = newPolicy();
    double before = expectedReward(policy);
    List<StepMetrics> metrics = new ArrayList<>();
    GrpoTrainer<SemanticId> trainer = trainer(policy, metrics);
    trainer.train(30);
    double after = expectedReward(policy);
    // uniform start, by hand over the 12 ordered pairs: NDCG = 1/4 + d/4 with d = 1/log2(3);
    // soft accuracy: the truth first (3 pairs) 1; a lattice neighbour first (sim 0.5, 2 x 3
    // pairs) max(0.5, d * sim(second)); the opposite cell first (sim 0) d * sim(second)
    double d = Math.log(2) / Math.log(3);
    double ndcg = 0.25 + 0.25 * d;
    double soft = (3 + 2 * (d + 0.5 + 0.5) + (d + 0.5 * d + 0.5 * d)) / 12;
    assertThat(before).isCloseTo((ndcg + soft) / 2, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(after).isGreaterThan(before + 0.3);
    assertThat(metrics).hasSize(30);
    StepMetrics first = metrics.getFirst();
    assertThat(first.termMeans()).containsOnlyKeys("ndcg", "soft_accuracy");
    assertThat(first.completionLength()).isEqualTo(3.0);
    assertThat(first.listLength()).isEqualTo(2.0);
    assertThat(first.truncatedFraction()).isZero();
    assertThat(first.applicableFraction()).isEqualTo(1.0);
    assertThat(first.kl()).isZero(); // the reference is the starting policy
    assertThat(first.entropy()).isGreaterThan(0);
    assertThat(metrics.getLast().rewardMean()).isGreaterThan(first.rewardMean());
    assertThat(metrics.getLast().kl()).isGreaterThan(0);
    assertThat(trainer.stepsDone()).isEqualTo(30);
  }

  @Test
  void resumingFromACheckpointGivesTheSameTrajectory(@TempDir Path dir) throws IOException {
    List<StepMetrics> straight = new ArrayList<>();
    TabularSoftmaxPolicy a = newPolicy();
    trainer(a, straight).train(8);

    List<StepMetrics> resumed = new ArrayList<>();
    TabularSoftmaxPolicy b = newPolicy();
    GrpoTrainer<SemanticId> first = trainer(b, resumed);
    first.train(4);
    Path file = dir.resolve("grpo.ckpt");
    first.saveCheckpoint(file);

    TabularSoftmaxPolicy c = newPolicy();
    GrpoTrainer<SemanticId> second = trainer(c, resumed);
    second.restoreCheckpoint(file);
    assertThat(second.stepsDone()).isEqualTo(4);
    second.train(4);
    assertThat(resumed).isEqualTo(straight);
    for (int ctx = 0; ctx < 3; ctx++) {
      assertThat(c.logits(TokenSequence.of(0), ctx))
          .containsExactly(a.logits(TokenSequence.of(0), ctx));
    }
    try (var files = Files.list(dir)) {
      assertThat(files.toList()).containsExactly(file); // no temp file left behind
    }
  }

  @Test
  void refusesCorruptForeignOrMismatchedCheckpoints(@TempDir Path dir) throws IOException {
    GrpoTrainer<SemanticId> t = trainer(newPolicy(), new ArrayList<>());
    t.train(1);
    Path file = dir.resolve("grpo.ckpt");
    t.saveCheckpoint(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x01;
    Path corrupt = dir.resolve("corrupt.ckpt");
    Files.write(corrupt, bytes);
    assertThatThrownBy(() -> trainer(newPolicy(), new ArrayList<>()).restoreCheckpoint(corrupt))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("CRC32");
    Path foreign = dir.resolve("foreign.ckpt");
    Files.writeString(foreign, "not a checkpoint at all");
    assertThatThrownBy(() -> trainer(newPolicy(), new ArrayList<>()).restoreCheckpoint(foreign))
        .hasMessageContaining("magic");
    GrpoTrainer<SemanticId> other =
        GrpoTrainer.builder(newPolicy(), REWARD, PROMPTS)
            .config(config().toBuilder().seed(1).build())
            .constraint(TWO_DISTINCT)
            .build();
    assertThatThrownBy(() -> other.restoreCheckpoint(file)).hasMessageContaining("seed");
  }

  @Test
  void emptyCompletionsAndNotApplicableRewardsCarryNoGradient() {
    // prompt 0's constraint allows nothing (empty completions); prompt 1 has no ground truth
    TokenConstraint stopAtPromptZero =
        (prompt, prefix) ->
            prompt.get(0) == 0 ? new int[0] : TWO_DISTINCT.allowedNext(prompt, prefix);
    RewardFunction<SemanticId, Completion> reward =
        CompositeReward.<SemanticId, Completion>builder(
                truth -> truth.cell(0) == 0 ? Optional.empty() : Optional.of(truth),
                GrpoTrainerTest::parse)
            .add(RankingRewards.ndcg(2), 1)
            .build();
    TabularSoftmaxPolicy policy = newPolicy();
    List<StepMetrics> metrics = new ArrayList<>();
    GrpoTrainer<SemanticId> trainer =
        GrpoTrainer.builder(
                policy,
                reward,
                List.of(
                    new GrpoPrompt<>(TokenSequence.of(0), IDS.get(2)),
                    new GrpoPrompt<>(TokenSequence.of(1), IDS.get(0))))
            .config(config().toBuilder().beta(0).updatesPerBatch(1).build())
            .constraint(stopAtPromptZero)
            .listener(metrics::add)
            .build();
    trainer.train(3);
    StepMetrics m = metrics.getFirst();
    assertThat(m.completionLength()).isEqualTo(1.5); // half the completions are empty
    assertThat(m.applicableFraction()).isEqualTo(0.5); // prompt 1's samples have no truth
    assertThat(m.kl()).isNaN(); // beta = 0: no reference
    // prompt 1's samples had advantage 0; Adam's first step moves only rows with a gradient
    assertThat(policy.logits(TokenSequence.of(1), 0)).containsOnly(0.0);
    assertThat(policy.logits(TokenSequence.of(0), 0)).containsOnly(0.0);
  }

  @Test
  void maskedTruncatedCompletionsDoNotTrain() {
    // maxTokens 2 cuts every list before its end token: with masking nothing is trained
    TabularSoftmaxPolicy policy = newPolicy();
    GrpoTrainer<SemanticId> trainer =
        GrpoTrainer.builder(policy, REWARD, PROMPTS)
            .config(config().toBuilder().sampling(1.0, 1.0, 2).maskTruncated(true).build())
            .constraint(TWO_DISTINCT)
            .build();
    StepMetrics m = trainer.step();
    assertThat(m.truncatedFraction()).isEqualTo(1.0);
    assertThat(m.rewardStd()).isGreaterThan(0);
    assertThat(policy.updates()).isZero();
    assertThat(policy.logits(TokenSequence.of(0), 0)).containsOnly(0.0);
  }

  @Test
  void rejectsBadSetups() {
    TabularSoftmaxPolicy p = newPolicy();
    assertThatThrownBy(() -> GrpoTrainer.builder(p.snapshot(), REWARD, PROMPTS))
        .hasMessageContaining("frozen");
    assertThatThrownBy(() -> GrpoTrainer.builder(p, REWARD, List.of()))
        .hasMessageContaining("prompt");
    assertThatThrownBy(
            () ->
                GrpoTrainer.builder(
                        p, REWARD, List.of(new GrpoPrompt<>(TokenSequence.of(9), IDS.get(0))))
                    .build())
        .hasMessageContaining("vocabulary");
  }
}
