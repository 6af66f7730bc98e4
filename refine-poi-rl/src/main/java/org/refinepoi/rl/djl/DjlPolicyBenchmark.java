package org.refinepoi.rl.djl;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.refinepoi.core.prompt.PromptVocabulary;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.rl.policy.Continuation;
import org.refinepoi.rl.policy.SamplingConfig;
import org.refinepoi.rl.policy.TokenConstraint;
import org.refinepoi.rl.policy.TokenSequence;
import org.refinepoi.rl.policy.UpdateRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throughput of the built-in policy on synthetic data shaped like a city benchmark: a 16x16 / 4x4
 * two-level ID space with 4 collision slots, random catalogue and prompts of a fixed length. It
 * measures SFT optimizer steps (examples per second), GRPO-style rollouts (whole top-k lists per
 * second, trie-constrained, with log-probabilities) and beam-search top-k (prompts per second). For
 * benchmark commands; results are returned, and logged through SLF4J.
 */
public final class DjlPolicyBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(DjlPolicyBenchmark.class);

  private DjlPolicyBenchmark() {}

  /**
   * What to measure.
   *
   * @param dModel model width
   * @param layers model depth
   * @param heads attention heads
   * @param promptLength tokens per prompt (ending with ANSWER)
   * @param poiCount catalogue size
   * @param sftBatchSize examples per SFT step
   * @param sftSteps measured SFT steps (after one warm-up step)
   * @param rolloutPrompts prompts per rollout call
   * @param groupSize lists per prompt
   * @param k IDs per list and per beam-search ranking
   * @param beamWidth beam width
   * @param seed seed of the synthetic data and the model
   */
  public record Settings(
      int dModel,
      int layers,
      int heads,
      int promptLength,
      int poiCount,
      int sftBatchSize,
      int sftSteps,
      int rolloutPrompts,
      int groupSize,
      int k,
      int beamWidth,
      long seed) {

    /** Validates the sizes. */
    public Settings {
      checkArgument(promptLength >= 3, "promptLength must be >= 3");
      checkArgument(poiCount >= 1 && poiCount <= 256 * 16 * 4, "poiCount out of range");
      checkArgument(sftBatchSize >= 1 && sftSteps >= 1, "SFT sizes must be >= 1");
      checkArgument(rolloutPrompts >= 1 && groupSize >= 1 && k >= 1, "rollout sizes must be >= 1");
      checkArgument(beamWidth >= 1, "beamWidth must be >= 1");
    }

    /** The default model (128 wide, 2 layers, 4 heads) on NYC-like sizes. */
    public static Settings defaults() {
      return new Settings(128, 2, 4, 120, 4000, 32, 10, 4, 8, 10, 20, 42);
    }
  }

  /**
   * Measured throughput.
   *
   * @param parameters trainable scalars of the model
   * @param sftExamplesPerSecond SFT examples per second (forward, backward, AdamW)
   * @param rolloutListsPerSecond sampled top-k lists per second
   * @param beamPromptsPerSecond beam-search rankings per second
   */
  public record Result(
      long parameters,
      double sftExamplesPerSecond,
      double rolloutListsPerSecond,
      double beamPromptsPerSecond) {}

  /** Runs the measurement (tens of seconds with the defaults on two cores). */
  public static Result run(Settings s) {
    checkNotNull(s, "settings");
    IdSpace space = IdSpace.of(LatticeSpec.rectangular(16, 16), LatticeSpec.rectangular(4, 4));
    PromptVocabulary vocab = PromptVocabulary.of(space, 4, 0);
    SplittableRandom random = new SplittableRandom(s.seed());
    Set<SemanticId> seen = new HashSet<>();
    List<SemanticId> catalogue = new ArrayList<>();
    while (catalogue.size() < s.poiCount()) {
      SemanticId id =
          SemanticId.of(new int[] {random.nextInt(256), random.nextInt(16)}, random.nextInt(4));
      if (seen.add(id)) {
        catalogue.add(id);
      }
    }
    IdTrie trie = IdTrie.of(vocab, catalogue);
    int maxLength = s.promptLength() + s.k() * vocab.idLength() + 2;
    TransformerConfig config =
        TransformerConfig.builder(vocab.size(), maxLength)
            .dModel(s.dModel())
            .layers(s.layers())
            .heads(s.heads())
            .seed(s.seed())
            .build();
    try (DjlTransformerPolicy policy =
        DjlTransformerPolicy.of(TransformerPolicyModel.create(config), trie)) {
      long parameters = policy.model().parameterCount();
      List<Continuation> sft = new ArrayList<>();
      for (int i = 0; i < s.sftBatchSize(); i++) {
        int[] answer = vocab.idTokens(catalogue.get(random.nextInt(catalogue.size())));
        int[] completion = java.util.Arrays.copyOf(answer, answer.length + 1);
        completion[answer.length] = PromptVocabulary.EOS;
        sft.add(
            new Continuation(
                TokenSequence.of(prompt(vocab, catalogue, s.promptLength(), random)),
                TokenSequence.of(completion)));
      }
      UpdateRequest step =
          new UpdateRequest(sft, 1.0, TokenConstraint.none(), SftTrainer.TOKEN_MEAN_NLL, 1e-4, 1.0);
      policy.update(step);
      long start = System.nanoTime();
      for (int i = 0; i < s.sftSteps(); i++) {
        policy.update(step);
      }
      double sftRate = s.sftSteps() * (double) s.sftBatchSize() / seconds(start);

      List<TokenSequence> prompts = new ArrayList<>();
      int[][] raw = new int[s.rolloutPrompts()][];
      for (int i = 0; i < s.rolloutPrompts(); i++) {
        raw[i] = prompt(vocab, catalogue, s.promptLength(), random);
        prompts.add(TokenSequence.of(raw[i]));
      }
      TrieConstraint constraint = policy.listConstraint(s.k());
      SamplingConfig sampling = SamplingConfig.of(s.k() * vocab.idLength() + 1, s.seed());
      policy.sample(prompts.subList(0, 1), 1, sampling, constraint);
      start = System.nanoTime();
      policy.sample(prompts, s.groupSize(), sampling, constraint);
      double rolloutRate = s.rolloutPrompts() * (double) s.groupSize() / seconds(start);

      start = System.nanoTime();
      policy.decoder().beamSearch(raw, s.k(), s.beamWidth());
      double beamRate = s.rolloutPrompts() / seconds(start);
      Result result = new Result(parameters, sftRate, rolloutRate, beamRate);
      LOG.debug("DJL policy benchmark {}: {}", s, result);
      return result;
    }
  }

  private static int[] prompt(
      PromptVocabulary vocab, List<SemanticId> catalogue, int length, SplittableRandom random) {
    int[] p = new int[length];
    p[0] = PromptVocabulary.BOS;
    int i = 1;
    int per = 2 + vocab.idLength();
    while (i + per <= length - 4) {
      p[i++] = vocab.hourToken(random.nextInt(24));
      p[i++] = vocab.weekdayToken(random.nextInt(7));
      for (int t : vocab.idTokens(catalogue.get(random.nextInt(catalogue.size())))) {
        p[i++] = t;
      }
    }
    while (i < length - 3) {
      p[i++] = PromptVocabulary.SEP;
    }
    p[length - 3] = vocab.hourToken(random.nextInt(24));
    p[length - 2] = vocab.weekdayToken(random.nextInt(7));
    p[length - 1] = PromptVocabulary.ANSWER;
    return p;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
