package org.refinepoi.rl.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.prompt.PromptVocabulary;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.rl.policy.Completion;
import org.refinepoi.rl.policy.Continuation;
import org.refinepoi.rl.policy.LossEvaluation;
import org.refinepoi.rl.policy.SamplingConfig;
import org.refinepoi.rl.policy.SequenceLoss;
import org.refinepoi.rl.policy.TokenConstraint;
import org.refinepoi.rl.policy.TokenSequence;
import org.refinepoi.rl.policy.UpdateRequest;
import org.refinepoi.rl.policy.UpdateResult;

class DjlTransformerPolicyTest {

  static {
    DjlTestThreads.pin();
  }

  static DjlTransformerPolicy tinyPolicy(long seed) {
    PromptVocabulary v = ConstrainedDecoderTest.vocabulary();
    List<SemanticId> catalogue = ConstrainedDecoderTest.randomCatalogue(12, seed);
    IdTrie trie = IdTrie.of(v, catalogue);
    return DjlTransformerPolicy.of(ConstrainedDecoderTest.tinyModel(v, seed), trie);
  }

  static List<TokenSequence> prompts() {
    PromptVocabulary v = ConstrainedDecoderTest.vocabulary();
    return List.of(
        TokenSequence.of(ConstrainedDecoderTest.prompt(v, 1)),
        TokenSequence.of(PromptVocabulary.BOS, v.hourToken(3), PromptVocabulary.ANSWER));
  }

  /** Mean negative log-likelihood over all tokens: the SFT loss. */
  static final SequenceLoss NLL =
      logProbs -> {
        int n = 0;
        double sum = 0;
        for (double[] row : logProbs) {
          for (double lp : row) {
            sum -= lp;
            n++;
          }
        }
        List<double[]> grad = new ArrayList<>();
        for (double[] row : logProbs) {
          double[] g = new double[row.length];
          java.util.Arrays.fill(g, -1.0 / n);
          grad.add(g);
        }
        return new LossEvaluation(sum / n, grad, Map.of());
      };

  @Test
  void sampledLogProbsMatchScoringAndTheGenericConstraintPath() {
    try (DjlTransformerPolicy policy = tinyPolicy(4)) {
      TrieConstraint trie = policy.listConstraint(3);
      TokenConstraint generic = trie::allowedNext;
      SamplingConfig config = new SamplingConfig(1.2, 0.95, 20, 11);
      List<List<Completion>> fast = policy.sample(prompts(), 4, config, trie);
      List<List<Completion>> slow = policy.sample(prompts(), 4, config, generic);
      assertThat(slow).isEqualTo(fast);
      List<Continuation> batch = new ArrayList<>();
      List<double[]> sampled = new ArrayList<>();
      for (List<Completion> group : fast) {
        assertThat(group).hasSize(4);
        for (Completion c : group) {
          assertThat(c.truncated()).isFalse();
          assertThat(c.tokens().last()).isEqualTo(PromptVocabulary.EOS);
          assertThat(c.length()).isEqualTo(3 * 3 + 1);
          assertThat(c.entropies()).isPresent();
          batch.add(c.continuation());
          sampled.add(c.logProbs());
        }
      }
      List<double[]> scored = policy.logProbs(batch, 1.2, trie);
      for (int i = 0; i < batch.size(); i++) {
        for (int t = 0; t < sampled.get(i).length; t++) {
          assertThat(scored.get(i)[t]).isCloseTo(sampled.get(i)[t], within(1e-4));
        }
      }
      // A token the trie forbids is refused when scoring under the trie.
      Continuation bad = new Continuation(prompts().get(0), TokenSequence.of(PromptVocabulary.BOS));
      assertThatThrownBy(() -> policy.logProbs(List.of(bad), 1.0, trie))
          .hasMessageContaining("forbidden by the constraint");
    }
  }

  @Test
  void updatesLowerTheLossAndSnapshotsStayFrozen() {
    try (DjlTransformerPolicy policy = tinyPolicy(5);
        DjlTransformerPolicy reference = policy.snapshot()) {
      TrieConstraint trie = policy.listConstraint(2);
      Completion target =
          policy.sample(prompts(), 1, SamplingConfig.of(10, 3), trie).getFirst().getFirst();
      List<Continuation> batch = List.of(target.continuation());
      double before = -sum(policy.logProbs(batch, 1.0, TokenConstraint.none()).getFirst());
      UpdateResult first = null;
      for (int i = 0; i < 15; i++) {
        UpdateResult r =
            policy.update(new UpdateRequest(batch, 1.0, TokenConstraint.none(), NLL, 3e-2, 1.0));
        first = first == null ? r : first;
        assertThat(r.gradNorm()).isPositive().isFinite();
        assertThat(r.meanEntropy()).isPresent();
      }
      double after = -sum(policy.logProbs(batch, 1.0, TokenConstraint.none()).getFirst());
      assertThat(after).isLessThan(before * 0.5);
      assertThat(first.evaluation().loss() * target.length()).isCloseTo(before, within(1e-3));
      // The snapshot taken before training has not moved.
      assertThat(-sum(reference.logProbs(batch, 1.0, TokenConstraint.none()).getFirst()))
          .isCloseTo(before, within(1e-4));
      assertThat(reference.frozen()).isTrue();
      assertThatThrownBy(
              () ->
                  reference.update(
                      new UpdateRequest(batch, 1.0, TokenConstraint.none(), NLL, 1e-2, 1.0)))
          .hasMessageContaining("frozen");
    }
  }

  @Test
  void saveAndLoadResumeTrainingExactly() throws IOException {
    try (DjlTransformerPolicy a = tinyPolicy(6);
        DjlTransformerPolicy b = tinyPolicy(99)) {
      TrieConstraint trie = a.listConstraint(2);
      List<Continuation> batch =
          List.of(
              a.sample(prompts(), 1, SamplingConfig.of(10, 1), trie)
                  .getFirst()
                  .getFirst()
                  .continuation());
      UpdateRequest step = new UpdateRequest(batch, 1.0, TokenConstraint.none(), NLL, 1e-2, 1.0);
      a.update(step);
      ByteArrayOutputStream state = new ByteArrayOutputStream();
      a.save(state);
      b.load(new ByteArrayInputStream(state.toByteArray()));
      a.update(step);
      b.update(step);
      double[] la = a.logProbs(batch, 1.0, TokenConstraint.none()).getFirst();
      double[] lb = b.logProbs(batch, 1.0, TokenConstraint.none()).getFirst();
      assertThat(lb).containsExactly(la);
      byte[] corrupt = state.toByteArray();
      corrupt[corrupt.length / 2] ^= 0x11;
      assertThatThrownBy(() -> b.load(new ByteArrayInputStream(corrupt)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("checksum mismatch");
      assertThatThrownBy(() -> b.load(new ByteArrayInputStream("nope".getBytes())))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("not a Refine-POI DJL policy state");
    }
  }

  static double sum(double[] values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s;
  }
}
