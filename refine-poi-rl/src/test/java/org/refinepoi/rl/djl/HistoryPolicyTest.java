package org.refinepoi.rl.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.history.HistoryEvidence;
import org.refinepoi.core.protocol.NextPoiProtocol;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.protocol.Split;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.synth.SyntheticCity;
import org.refinepoi.rl.grpo.GrpoConfig;
import org.refinepoi.rl.grpo.ListGrpoTrainer;
import org.refinepoi.rl.grpo.RewardScaling;
import org.refinepoi.rl.grpo.StepMetrics;
import org.refinepoi.rl.policy.CandidateScores;
import org.refinepoi.rl.policy.ListRollout;
import org.refinepoi.rl.policy.PlackettLuce;
import org.refinepoi.rl.reward.CompositeReward;
import org.refinepoi.rl.reward.ParsedAnswer;
import org.refinepoi.rl.reward.RankingRewards;
import org.refinepoi.rl.reward.RewardFunction;

/** The history policy on a small synthetic city with hand-made IDs (no SOM needed here). */
class HistoryPolicyTest {

  static {
    DjlTestThreads.pin();
  }

  static PreparedData data;
  static HistoryEvidence evidence;
  static IdSpace space = IdSpace.of(LatticeSpec.rectangular(4, 4), LatticeSpec.rectangular(2, 2));
  static List<SemanticId> ids;

  @BeforeAll
  static void city() {
    data =
        NextPoiProtocol.prepare(
            SyntheticCity.builder().seed(5).users(60).pois(300).checkIns(5000).build().generate(),
            ProtocolConfig.defaults());
    evidence = HistoryEvidence.fit(data);
    ids = new ArrayList<>();
    for (int poi = 0; poi < data.dataset().poiCount(); poi++) {
      ids.add(SemanticId.of(new int[] {poi % 16, (poi / 16) % 4}, poi / 64));
    }
  }

  static HistoryPolicy policy(HistoryPolicyConfig.Builder config) {
    return HistoryPolicy.create(
        config.model(16, 1, 2, 32).context(4, 8).build(),
        evidence,
        space,
        ids,
        data.dataset().userCount());
  }

  static List<Sample> some(Split split, int n) {
    List<Sample> s = data.samples(split);
    return s.subList(0, Math.min(n, s.size()));
  }

  @Test
  void theMixtureIsADistributionOverTheCatalogueWithAndWithoutTheCopyPath() {
    for (boolean copy : new boolean[] {true, false}) {
      try (HistoryPolicy policy = policy(HistoryPolicyConfig.builder().copy(copy))) {
        for (double[] row : policy.logProbabilities(some(Split.TEST, 6))) {
          assertThat(row).hasSize(data.dataset().poiCount());
          double sum = 0;
          for (double lp : row) {
            assertThat(lp).isFinite().isLessThanOrEqualTo(1e-6);
            sum += Math.exp(lp);
          }
          // float32 network, double sum: a few ulps per POI
          assertThat(sum).as("copy %s", copy).isCloseTo(1.0, within(1e-4));
        }
      }
    }
  }

  @Test
  void recommendScoredIsRecommendWithEachPoisLogProbability() {
    try (HistoryPolicy policy = policy(HistoryPolicyConfig.builder())) {
      List<Sample> batch = some(Split.TEST, 5);
      List<int[]> ranked = policy.recommend(batch, 10);
      double[][] logp = policy.logProbabilities(batch);
      List<List<ScoredPoi>> scored = policy.recommendScored(batch, 10);
      assertThat(scored).hasSize(batch.size());
      for (int b = 0; b < batch.size(); b++) {
        List<ScoredPoi> list = scored.get(b);
        assertThat(list.stream().mapToInt(ScoredPoi::poi).toArray()).containsExactly(ranked.get(b));
        for (int r = 0; r < list.size(); r++) {
          // one forward pass against another of the same float32 network
          assertThat(list.get(r).logProb()).isCloseTo(logp[b][list.get(r).poi()], within(1e-6));
          if (r > 0) {
            assertThat(list.get(r).logProb()).isLessThanOrEqualTo(list.get(r - 1).logProb());
          }
        }
      }
      assertThatThrownBy(() -> policy.recommendScored(batch, 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("k must be >= 1, got 0");
    }
  }

  @Test
  void anUnseenUserReadsADistributionAndOnlyThatOneIndexPastTheTrainedUsers() {
    try (HistoryPolicy policy = policy(HistoryPolicyConfig.builder())) {
      assertThat(policy.unseenUser()).isEqualTo(data.dataset().userCount());
      Sample s = some(Split.TEST, 1).getFirst();
      Sample unseen = asUser(s, policy.unseenUser());
      double[] row = policy.logProbabilities(List.of(unseen))[0];
      double sum = 0;
      for (double lp : row) {
        sum += Math.exp(lp);
      }
      assertThat(sum).isCloseTo(1.0, within(1e-4));
      // the user vector enters the query: another user, another distribution
      assertThat(row).isNotEqualTo(policy.logProbabilities(List.of(s))[0]);
      assertThatThrownBy(() -> policy.logProbabilities(List.of(asUser(s, policy.unseenUser() + 1))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("outside the policy's");
    }
  }

  private static Sample asUser(Sample s, int user) {
    java.util.function.UnaryOperator<org.refinepoi.core.data.CheckIn> move =
        c ->
            new org.refinepoi.core.data.CheckIn(
                user, c.poi(), c.utcEpochSecond(), c.utcOffsetMinutes());
    return new Sample(
        user,
        s.trajectory(),
        s.shortTerm().stream().map(move).toList(),
        s.longTerm().stream().map(move).toList(),
        move.apply(s.target()),
        true,
        s.split());
  }

  @Test
  void listLogProbsAreThePlackettLuceLogProbsOfTheCandidateScores() {
    try (HistoryPolicy policy = policy(HistoryPolicyConfig.builder())) {
      List<Sample> batch = some(Split.TRAIN, 3);
      List<CandidateScores> scores = policy.score(batch);
      SplittableRandom random = new SplittableRandom(3);
      List<ListRollout<Sample>> rollouts = new ArrayList<>();
      List<double[]> expected = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        CandidateScores c = scores.get(i);
        // the copy candidates come first; the generated ones follow
        assertThat(c.size()).isGreaterThan(policy.listCandidates());
        for (int g = 0; g < 2; g++) {
          int[] ranking = PlackettLuce.sample(c.scores(), 5, 1.0, random);
          rollouts.add(new ListRollout<>(batch.get(i), c.items(), ranking));
          expected.add(PlackettLuce.positionLogProbs(c.scores(), ranking, 1.0));
        }
      }
      List<double[]> got = policy.listLogProbs(rollouts, 1.0);
      for (int i = 0; i < got.size(); i++) {
        assertThat(got.get(i)).containsExactly(expected.get(i), within(1e-5));
      }
    }
  }

  @Test
  void sftLowersTheTrainingLossAndStateRoundTrips() throws IOException {
    try (HistoryPolicy policy = policy(HistoryPolicyConfig.builder())) {
      List<Sample> batch = some(Split.TRAIN, 32);
      double first = policy.sftStep(batch, 3e-3, 1.0).loss();
      double last = first;
      for (int i = 0; i < 30; i++) {
        last = policy.sftStep(batch, 3e-3, 1.0).loss();
      }
      assertThat(last).isLessThan(first);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      policy.save(bytes);
      try (HistoryPolicy other = policy(HistoryPolicyConfig.builder().seed(99))) {
        other.load(new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(other.logProbabilities(some(Split.TEST, 2)))
            .isDeepEqualTo(policy.logProbabilities(some(Split.TEST, 2)));
      }
      byte[] corrupt = bytes.toByteArray();
      corrupt[corrupt.length / 2] ^= 0x10;
      try (HistoryPolicy other = policy(HistoryPolicyConfig.builder())) {
        assertThatThrownBy(() -> other.load(new ByteArrayInputStream(corrupt)))
            .isInstanceOf(IOException.class);
      }
      try (HistoryPolicy other = policy(HistoryPolicyConfig.builder().copy(false))) {
        assertThatThrownBy(() -> other.load(new ByteArrayInputStream(bytes.toByteArray())))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("architecture");
      }
    }
  }

  @Test
  void listGrpoWithKlStaysFiniteFor200StepsAfterSft() {
    try (HistoryPolicy policy = policy(HistoryPolicyConfig.builder())) {
      List<Sample> train = data.prefixSamples(Split.TRAIN);
      for (int from = 0; from + 64 <= Math.min(train.size(), 64 * 30); from += 64) {
        policy.sftStep(train.subList(from, from + 64), 3e-3, 1.0);
      }
      policy.resetOptimizer();
      RewardFunction<Sample, int[]> reward =
          CompositeReward.<Sample, int[]>builder(
                  s -> Optional.of(ids.get(s.targetPoi())),
                  list ->
                      ParsedAnswer.of(java.util.Arrays.stream(list).mapToObj(ids::get).toList()))
              .add(RankingRewards.ndcg(10), 1.0)
              .add(RankingRewards.reciprocalRank(10), 1.0)
              .noGating()
              .combination(CompositeReward.Combination.GROUP_Z_SCORE)
              .build();
      ListGrpoTrainer<Sample> trainer =
          ListGrpoTrainer.builder(policy, reward, data.samples(Split.TRAIN))
              .config(
                  GrpoConfig.builder()
                      .groupSize(4)
                      .promptsPerBatch(2)
                      .beta(0.02)
                      .learningRate(1e-3)
                      .scaling(RewardScaling.NONE)
                      .sampling(1.0, 1.0, 10)
                      .seed(1)
                      .build())
              .listLength(10)
              .build();
      for (StepMetrics m : trainer.train(200)) {
        assertThat(m.kl()).as("step %s", m.step()).isFinite().isNotNegative();
        assertThat(m.loss()).isFinite();
        assertThat(m.gradNorm()).isFinite();
      }
    }
  }

  @Test
  void badInputIsRefusedAtTheBoundary() {
    assertThatThrownBy(
            () ->
                HistoryPolicy.create(
                    HistoryPolicyConfig.builder().build(),
                    evidence,
                    space,
                    ids.subList(0, 3),
                    data.dataset().userCount()))
        .hasMessageContaining("IDs for a catalogue");
    List<SemanticId> twice = new ArrayList<>(ids);
    twice.set(1, twice.get(0));
    assertThatThrownBy(
            () ->
                HistoryPolicy.create(
                    HistoryPolicyConfig.builder().build(),
                    evidence,
                    space,
                    twice,
                    data.dataset().userCount()))
        .hasMessageContaining("distinct");
    assertThatThrownBy(() -> HistoryPolicyConfig.builder().model(30, 1, 4, 8).build())
        .hasMessageContaining("divide");
    try (HistoryPolicy policy = policy(HistoryPolicyConfig.builder())) {
      assertThatThrownBy(() -> policy.score(List.of())).hasMessageContaining("no samples");
      assertThatThrownBy(() -> policy.sftStep(some(Split.TRAIN, 2), Double.NaN, 1))
          .hasMessageContaining("learning rate");
      assertThatThrownBy(() -> policy.snapshot().sftStep(some(Split.TRAIN, 2), 1e-3, 1))
          .hasMessageContaining("frozen");
    }
  }
}
