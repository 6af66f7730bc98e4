package org.refinepoi.rl.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.prompt.PoiIdTable;
import org.refinepoi.core.prompt.PromptVocabulary;
import org.refinepoi.core.prompt.SampleTokenizer;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.protocol.Split;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.rl.policy.Continuation;

class SftTrainerTest {

  static {
    DjlTestThreads.pin();
  }

  private static final int POIS = 8;
  private static final long T0 = 1_336_240_680L;

  /** A memorisable task: after a check-in at POI a, the user goes to POI (3a + 1) mod 8. */
  static Sample sample(int lastPoi, int rule, int copy) {
    CheckIn last = new CheckIn(0, lastPoi, T0 + copy * 7_200L, 0);
    CheckIn target = new CheckIn(0, (rule * lastPoi + 1) % POIS, T0 + copy * 7_200L + 600, 0);
    return new Sample(0, 0, List.of(last), List.of(), target, false, Split.TRAIN);
  }

  static List<SemanticId> catalogue() {
    return ConstrainedDecoderTest.randomCatalogue(POIS, 17);
  }

  static SampleTokenizer tokenizer() {
    return SampleTokenizer.builder()
        .vocabulary(ConstrainedDecoderTest.vocabulary())
        .poiIds(PoiIdTable.of(catalogue()))
        .longTermCheckIns(0)
        .maxShortTermCheckIns(3)
        .build();
  }

  /** A small model: one layer of width 16 only learns the marginal of this task in 160 steps. */
  static DjlTransformerPolicy policy(PromptVocabulary v) {
    IdTrie trie = IdTrie.of(v, catalogue());
    return DjlTransformerPolicy.of(
        TransformerPolicyModel.create(
            TransformerConfig.builder(v.size(), 32).dModel(32).layers(2).heads(2).seed(7).build()),
        trie);
  }

  @Test
  void sftMemorisesTheNextPoiAndBeamSearchRanksItFirst() {
    SampleTokenizer tok = tokenizer();
    List<Sample> samples = new ArrayList<>();
    for (int copy = 0; copy < 4; copy++) {
      for (int a = 0; a < POIS; a++) {
        samples.add(sample(a, 3, copy));
      }
    }
    List<Continuation> train = SftTrainer.examples(tok, samples);
    assertThat(train.getFirst().completion().length()).isEqualTo(tok.answerLength(1));
    try (DjlTransformerPolicy policy = policy(tok.vocabulary())) {
      SftTrainer trainer = new SftTrainer(SftConfig.defaults().withEpochs(40).withBatch(8, 5e-3));
      List<SftListener.Step> seen = new ArrayList<>();
      SftTrainer.Result result =
          trainer.train(
              policy,
              train,
              train.subList(0, POIS),
              new SftListener() {
                @Override
                public void onStep(Step step) {
                  seen.add(step);
                }
              });
      assertThat(seen).hasSize(40 * 4).isEqualTo(result.steps());
      double first = result.steps().getFirst().loss();
      double last = result.epochs().getLast().validationLoss();
      assertThat(first).isGreaterThan(2.0);
      assertThat(last).isLessThan(0.2 * first);
      GenerativeRecommender rec =
          new GenerativeRecommender(
              "SFT", policy.decoder(), tok, GenerativeRecommender.DEFAULT_BEAM_WIDTH);
      List<int[]> ranked = rec.recommendAll(samples.subList(0, POIS), 5, 3);
      for (int a = 0; a < POIS; a++) {
        assertThat(ranked.get(a)).hasSize(5).doesNotHaveDuplicates();
        assertThat(ranked.get(a)[0]).as("top-1 after POI %s", a).isEqualTo((3 * a + 1) % POIS);
      }
      assertThat(rec.recommend(samples.get(2), 1)).containsExactly(7);
      GenerativeRecommender greedy =
          new GenerativeRecommender(
              "SFT-greedy", policy.decoder(), tok, GenerativeRecommender.Decoding.GREEDY_LIST, 1);
      List<int[]> lists = greedy.recommendAll(samples.subList(0, POIS), 4, 8);
      for (int a = 0; a < POIS; a++) {
        assertThat(lists.get(a)).hasSize(4).doesNotHaveDuplicates();
        assertThat(lists.get(a)[0]).isEqualTo((3 * a + 1) % POIS);
      }
    }
  }

  @Test
  void earlyStoppingRestoresTheBestEpoch() {
    SampleTokenizer tok = tokenizer();
    List<Sample> trainSamples = new ArrayList<>();
    List<Sample> validationSamples = new ArrayList<>();
    for (int a = 0; a < POIS; a++) {
      trainSamples.add(sample(a, 3, 0));
      validationSamples.add(sample(a, 5, 0)); // another rule: validation loss must rise
    }
    List<Continuation> train = SftTrainer.examples(tok, trainSamples);
    List<Continuation> validation = SftTrainer.examples(tok, validationSamples);
    try (DjlTransformerPolicy policy = policy(tok.vocabulary())) {
      SftTrainer trainer =
          new SftTrainer(SftConfig.defaults().withEpochs(40).withBatch(4, 2e-2).withPatience(2));
      SftTrainer.Result result = trainer.train(policy, train, validation, SftListener.none());
      double best =
          result.epochs().stream()
              .mapToDouble(SftListener.Epoch::validationLoss)
              .min()
              .orElseThrow();
      assertThat(result.epochs().get(result.bestEpoch()).validationLoss()).isEqualTo(best);
      assertThat(result.stoppedEarly()).isTrue();
      assertThat(result.epochs()).hasSize(result.bestEpoch() + 3);
      assertThat(trainer.validationLoss(policy, validation)).isCloseTo(best, within(1e-4));
    }
  }
}
