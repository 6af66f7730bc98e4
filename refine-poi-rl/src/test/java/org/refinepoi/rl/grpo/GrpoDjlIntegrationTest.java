package org.refinepoi.rl.grpo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.prompt.PromptVocabulary;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.rl.djl.DjlTransformerPolicy;
import org.refinepoi.rl.djl.IdTrie;
import org.refinepoi.rl.djl.TransformerConfig;
import org.refinepoi.rl.djl.TransformerPolicyModel;
import org.refinepoi.rl.djl.TrieConstraint;
import org.refinepoi.rl.policy.Completion;
import org.refinepoi.rl.policy.SamplingConfig;
import org.refinepoi.rl.policy.TokenSequence;
import org.refinepoi.rl.reward.CompositeReward;
import org.refinepoi.rl.reward.ParsedAnswer;
import org.refinepoi.rl.reward.RankingRewards;
import org.refinepoi.rl.reward.RewardFunction;
import org.refinepoi.rl.reward.SoftAccuracyReward;

/**
 * The GRPO trainer driving the built-in DJL Transformer through the {@code Policy} seam: sampled
 * top-3 lists under the ID trie, the ranking composite as reward, KL to a frozen reference.
 */
class GrpoDjlIntegrationTest {

  static final IdSpace SPACE =
      IdSpace.of(LatticeSpec.rectangular(3, 3), LatticeSpec.rectangular(2, 2));
  static final PromptVocabulary VOCAB = PromptVocabulary.of(SPACE, 1, 0);
  static final int K = 3;

  static List<SemanticId> catalogue() {
    List<SemanticId> ids = new ArrayList<>();
    for (int c1 = 0; c1 < 9; c1 += 2) {
      for (int c2 = 0; c2 < 4; c2 += 3) {
        ids.add(SemanticId.of(new int[] {c1, c2}, 0));
      }
    }
    return ids; // 10 POIs
  }

  static ParsedAnswer parse(Completion c) {
    int[] tokens = c.tokens().toArray();
    List<SemanticId> items = new ArrayList<>();
    for (int from = 0; from + VOCAB.idLength() <= tokens.length; from += VOCAB.idLength()) {
      if (!VOCAB.isIdToken(tokens[from])) {
        break;
      }
      items.add(VOCAB.decodeId(tokens, from));
    }
    return ParsedAnswer.of(items);
  }

  static final RewardFunction<SemanticId, Completion> REWARD =
      CompositeReward.<SemanticId, Completion>builder(Optional::of, GrpoDjlIntegrationTest::parse)
          .add(RankingRewards.ndcg(K), 1)
          .add(SoftAccuracyReward.builder(SPACE, K).build(), 1)
          .gateOnFormat(K)
          .build();

  static double meanReward(
      DjlTransformerPolicy policy, List<GrpoPrompt<SemanticId>> prompts, TrieConstraint trie) {
    List<List<Completion>> groups =
        policy.sample(
            prompts.stream().map(GrpoPrompt::tokens).toList(),
            16,
            SamplingConfig.of(K * VOCAB.idLength() + 1, 99),
            trie);
    double sum = 0;
    int n = 0;
    for (int p = 0; p < prompts.size(); p++) {
      List<Completion> group = groups.get(p);
      List<SemanticId> truths =
          java.util.Collections.nCopies(group.size(), prompts.get(p).metadata());
      for (double r : REWARD.score(truths, group).totals()) {
        sum += r;
        n++;
      }
    }
    return sum / n;
  }

  @Test
  void grpoRaisesTheRankingRewardOfTheTransformer() {
    List<SemanticId> catalogue = catalogue();
    List<GrpoPrompt<SemanticId>> prompts =
        List.of(
            new GrpoPrompt<>(
                TokenSequence.of(PromptVocabulary.BOS, VOCAB.hourToken(8), PromptVocabulary.ANSWER),
                catalogue.get(1)),
            new GrpoPrompt<>(
                TokenSequence.of(
                    PromptVocabulary.BOS, VOCAB.hourToken(20), PromptVocabulary.ANSWER),
                catalogue.get(8)));
    TransformerPolicyModel model =
        TransformerPolicyModel.create(
            TransformerConfig.builder(VOCAB.size(), 32)
                .dModel(16)
                .layers(1)
                .heads(2)
                .seed(3)
                .build());
    try (DjlTransformerPolicy policy =
        DjlTransformerPolicy.of(model, IdTrie.of(VOCAB, catalogue))) {
      TrieConstraint trie = policy.listConstraint(K);
      double before = meanReward(policy, prompts, trie);
      List<StepMetrics> metrics = new ArrayList<>();
      GrpoTrainer<SemanticId> trainer =
          GrpoTrainer.builder(policy, REWARD, prompts)
              .config(
                  GrpoConfig.builder()
                      .groupSize(8)
                      .promptsPerBatch(2)
                      .beta(0.01)
                      .learningRate(2e-2)
                      .sampling(1.0, 1.0, K * VOCAB.idLength() + 1)
                      .seed(5)
                      .build())
              .constraint(trie)
              .listener(metrics::add)
              .build();
      trainer.train(12);
      double after = meanReward(policy, prompts, trie);
      assertThat(metrics)
          .allSatisfy(
              m -> {
                assertThat(m.listLength()).isEqualTo(K);
                assertThat(m.truncatedFraction()).isZero();
                assertThat(m.entropy()).isFinite();
                assertThat(m.kl()).isFinite().isGreaterThanOrEqualTo(0);
              });
      org.slf4j.LoggerFactory.getLogger(GrpoDjlIntegrationTest.class)
          .info("mean reward before {} after {}", before, after);
      assertThat(after).isGreaterThan(before + 0.2);
    }
  }
}
