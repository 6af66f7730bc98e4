package org.refinepoi.rl.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.prompt.PromptVocabulary;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;

class ConstrainedDecoderTest {

  static {
    DjlTestThreads.pin();
  }

  static final IdSpace SPACE =
      IdSpace.of(LatticeSpec.rectangular(3, 3), LatticeSpec.rectangular(2, 2));

  /** A random catalogue of distinct IDs (about a third of the POIs share their cells). */
  static List<SemanticId> randomCatalogue(int pois, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Set<SemanticId> seen = new HashSet<>();
    List<SemanticId> ids = new ArrayList<>();
    while (ids.size() < pois) {
      SemanticId id =
          SemanticId.of(new int[] {random.nextInt(9), random.nextInt(4)}, random.nextInt(3));
      if (seen.add(id)) {
        ids.add(id);
      }
    }
    return ids;
  }

  static PromptVocabulary vocabulary() {
    return PromptVocabulary.of(SPACE, 3, 0);
  }

  static int[] prompt(PromptVocabulary v, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] p = new int[6];
    p[0] = PromptVocabulary.BOS;
    for (int i = 1; i < 5; i++) {
      p[i] = v.hourToken(random.nextInt(24));
    }
    p[5] = PromptVocabulary.ANSWER;
    return p;
  }

  @Property(tries = 200)
  void randomWalksUnderTheConstraintOnlyWriteDistinctValidIds(
      @ForAll @IntRange(min = 1, max = 40) int pois,
      @ForAll @IntRange(min = 1, max = 12) int k,
      @ForAll boolean earlyStop,
      @ForAll @LongRange(max = 1000) long seed) {
    PromptVocabulary v = vocabulary();
    List<SemanticId> catalogue = randomCatalogue(pois, seed);
    IdTrie trie = IdTrie.of(v, catalogue);
    ListConstraint list = new ListConstraint(trie, k, earlyStop);
    SplittableRandom random = new SplittableRandom(seed + 1);
    List<Integer> written = new ArrayList<>();
    while (!list.finished()) {
      int[] allowed = list.allowedTokens();
      assertThat(allowed).isNotEmpty();
      int token = allowed[random.nextInt(allowed.length)];
      list.advance(token);
      written.add(token);
    }
    assertThat(written.getLast()).isEqualTo(PromptVocabulary.EOS);
    assertThat((written.size() - 1) % trie.depth()).isZero();
    int[] listed = list.pois();
    assertThat(listed).doesNotHaveDuplicates();
    if (!earlyStop) {
      assertThat(listed).hasSize(Math.min(k, pois));
    }
    for (int i = 0; i < listed.length; i++) {
      int[] tokens =
          written.subList(i * trie.depth(), (i + 1) * trie.depth()).stream()
              .mapToInt(Integer::intValue)
              .toArray();
      assertThat(v.decodeId(tokens, 0)).isEqualTo(catalogue.get(listed[i]));
    }
  }

  @Property(tries = 15)
  void sampledListsAreValidDistinctAndCarryTheirLogProbs(
      @ForAll @IntRange(min = 1, max = 25) int pois,
      @ForAll @IntRange(min = 1, max = 6) int k,
      @ForAll @LongRange(max = 1000) long seed) {
    PromptVocabulary v = vocabulary();
    List<SemanticId> catalogue = randomCatalogue(pois, seed);
    IdTrie trie = IdTrie.of(v, catalogue);
    try (TransformerPolicyModel model = tinyModel(v, seed)) {
      ConstrainedDecoder decoder = new ConstrainedDecoder(model, trie);
      int[][] prompts = {prompt(v, seed), prompt(v, seed + 7)};
      prompts[1] = java.util.Arrays.copyOf(prompts[1], 4);
      prompts[1][3] = PromptVocabulary.ANSWER;
      SamplingConfig config = new SamplingConfig(k, 1.3, 0.9, false);
      List<List<GeneratedList>> groups =
          decoder.sample(prompts, 3, config, new SplittableRandom(seed));
      assertThat(groups).hasSize(2);
      for (int p = 0; p < 2; p++) {
        assertThat(groups.get(p)).hasSize(3);
        for (GeneratedList list : groups.get(p)) {
          assertThat(list.pois()).doesNotHaveDuplicates().hasSize(Math.min(k, pois));
          assertThat(list.tokens()[list.tokens().length - 1]).isEqualTo(PromptVocabulary.EOS);
          for (int i = 0; i < list.pois().length; i++) {
            assertThat(v.decodeId(list.tokens(), i * trie.depth()))
                .isEqualTo(catalogue.get(list.pois()[i]));
          }
          for (float lp : list.logProbs()) {
            assertThat(lp).isLessThanOrEqualTo(0f).isGreaterThan(Float.NEGATIVE_INFINITY);
          }
          // The reported log-probabilities are the model's, renormalized over allowed tokens.
          assertThat(list.logProbs()).hasSameSizeAs(list.tokens());
          float[] replay = replayLogProbs(model, trie, prompts[p], list.tokens(), k, 1.3);
          for (int t = 0; t < replay.length; t++) {
            assertThat(list.logProbs()[t]).isCloseTo(replay[t], within(1e-3f));
          }
        }
      }
    }
  }

  /**
   * Log-probabilities of a completion recomputed from full forward passes, one prefix at a time.
   */
  static float[] replayLogProbs(
      TransformerPolicyModel model,
      IdTrie trie,
      int[] prompt,
      int[] completion,
      int k,
      double temp) {
    int[] seq = java.util.Arrays.copyOf(prompt, prompt.length + completion.length);
    System.arraycopy(completion, 0, seq, prompt.length, completion.length);
    float[][] logp = model.nextTokenLogProbs(seq);
    ListConstraint list = new ListConstraint(trie, k, false);
    float[] out = new float[completion.length];
    for (int t = 0; t < completion.length; t++) {
      int[] allowed = list.allowedTokens();
      float[] raw = logp[prompt.length - 1 + t];
      float[] lp = ConstrainedDecoder.constrainedLogProbs(raw, 0, allowed, temp);
      for (int i = 0; i < allowed.length; i++) {
        if (allowed[i] == completion[t]) {
          out[t] = lp[i];
        }
      }
      list.advance(completion[t]);
    }
    return out;
  }

  @Property(tries = 15)
  void beamSearchWideEnoughIsExactAndSortedNonIncreasing(
      @ForAll @IntRange(min = 1, max = 30) int pois,
      @ForAll @IntRange(min = 1, max = 8) int k,
      @ForAll @LongRange(max = 1000) long seed) {
    PromptVocabulary v = vocabulary();
    List<SemanticId> catalogue = randomCatalogue(pois, seed);
    IdTrie trie = IdTrie.of(v, catalogue);
    try (TransformerPolicyModel model = tinyModel(v, seed)) {
      ConstrainedDecoder decoder = new ConstrainedDecoder(model, trie);
      int[] prompt = prompt(v, seed);
      // Exhaustive reference: log p(ID | prompt) of every ID of the catalogue.
      List<ScoredPoi> all = new ArrayList<>();
      for (int poi = 0; poi < pois; poi++) {
        int[] id = trie.poiTokens(poi);
        int[] seq = java.util.Arrays.copyOf(prompt, prompt.length + id.length);
        System.arraycopy(id, 0, seq, prompt.length, id.length);
        float[][] logp = model.nextTokenLogProbs(seq);
        double s = 0;
        for (int t = 0; t < id.length; t++) {
          s += logp[prompt.length - 1 + t][id[t]];
        }
        all.add(new ScoredPoi(poi, s));
      }
      all.sort(Comparator.comparingDouble(ScoredPoi::logProb).reversed());
      List<ScoredPoi> exact = decoder.beamSearch(new int[][] {prompt}, k, pois).getFirst();
      List<ScoredPoi> narrow = decoder.beamSearch(new int[][] {prompt}, k, 2).getFirst();
      for (List<ScoredPoi> result : List.of(exact, narrow)) {
        assertThat(result).hasSize(Math.min(k, pois));
        assertThat(result.stream().mapToInt(ScoredPoi::poi).toArray()).doesNotHaveDuplicates();
        for (int i = 1; i < result.size(); i++) {
          assertThat(result.get(i).logProb()).isLessThanOrEqualTo(result.get(i - 1).logProb());
        }
      }
      for (int i = 0; i < exact.size(); i++) {
        assertThat(exact.get(i).logProb()).isCloseTo(all.get(i).logProb(), within(1e-3));
      }
    }
  }

  @Test
  void rejectsDuplicateIdsAndMismatchedVocabularies() {
    PromptVocabulary v = vocabulary();
    SemanticId id = SemanticId.of(new int[] {1, 1}, 0);
    assertThatThrownBy(() -> IdTrie.of(v, List.of(id, id))).hasMessageContaining("share the ID");
    IdTrie trie = IdTrie.of(v, List.of(id));
    try (TransformerPolicyModel model =
        TransformerPolicyModel.create(TransformerPolicyModelTest.tiny(10, 1))) {
      assertThatThrownBy(() -> new ConstrainedDecoder(model, trie))
          .hasMessageContaining("vocabulary has");
    }
    ListConstraint list = new ListConstraint(trie, 2, false);
    assertThatThrownBy(() -> list.advance(PromptVocabulary.EOS))
        .hasMessageContaining("not allowed");
  }

  /** A one-layer, 16-wide model over the vocabulary with 64 positions, initialized from a seed. */
  static TransformerPolicyModel tinyModel(PromptVocabulary v, long seed) {
    return TransformerPolicyModel.create(
        TransformerConfig.builder(v.size(), 64).dModel(16).layers(1).heads(2).seed(seed).build());
  }

  @Test
  void aPromptTokenOutsideTheVocabularyIsNamedBeforeTheModelSeesIt() {
    PromptVocabulary v = vocabulary();
    IdTrie trie = IdTrie.of(v, randomCatalogue(5, 1));
    try (TransformerPolicyModel model = tinyModel(v, 1)) {
      ConstrainedDecoder decoder = new ConstrainedDecoder(model, trie);
      int[] bad = prompt(v, 1);
      bad[1] = v.size();
      int[][] prompts = {prompt(v, 2), bad};
      String message =
          "sequence 1 holds token %s at 1, outside the vocabulary [0, %s)"
              .formatted(v.size(), v.size());
      assertThatThrownBy(() -> decoder.beamSearch(prompts, 2, 2))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(message);
      assertThatThrownBy(
              () ->
                  decoder.sample(
                      prompts, 1, new SamplingConfig(2, 1.0, 1.0, false), new SplittableRandom(0)))
          .hasMessage(message);
      assertThatThrownBy(() -> model.nextTokenLogProbs(new int[] {-1}))
          .hasMessageContaining("token -1 at 0");
    }
  }
}
