package org.refinepoi.rl.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.LatticeTokenFormat;
import org.refinepoi.core.sid.SemanticId;

class RankingRewardsTest {

  static final double TOL = 1e-12;
  // level 1: 5x5 (diameter sqrt(32)), level 2: 3x3 (diameter sqrt(8))
  static final IdSpace SPACE =
      IdSpace.of(LatticeSpec.rectangular(5, 5), LatticeSpec.rectangular(3, 3));

  static SemanticId id(int c1, int c2, int slot) {
    return SemanticId.of(new int[] {c1, c2}, slot);
  }

  final SemanticId truth = id(12, 4, 0);
  final SemanticId a = id(0, 0, 0);
  final SemanticId b = id(1, 1, 0);

  @Test
  void reciprocalRankAndNdcgByHand() {
    List<SemanticId> list = List.of(a, b, truth);
    assertThat(RankingRewards.reciprocalRank(list, truth)).isCloseTo(1.0 / 3, within(TOL));
    assertThat(RankingRewards.ndcg(list, truth, 5)).isCloseTo(0.5, within(TOL)); // 1/log2(4)
    assertThat(RankingRewards.ndcg(list, truth, 2)).isZero();
    assertThat(RankingRewards.ndcg(List.of(a, truth), truth, 5))
        .isCloseTo(1 / (Math.log(3) / Math.log(2)), within(TOL));
    assertThat(RankingRewards.reciprocalRank(List.of(a, b), truth)).isZero();
    assertThat(RankingRewards.reciprocalRank(List.of(), truth)).isZero();
  }

  @Test
  void rankingTermsReadOnlyTheFirstK() {
    ParsedAnswer answer = ParsedAnswer.of(List.of(a, b, truth));
    assertThat(RankingRewards.reciprocalRank(2).score(answer, truth)).isZero();
    assertThat(RankingRewards.reciprocalRank(3).score(answer, truth))
        .isCloseTo(1.0 / 3, within(TOL));
  }

  @Test
  void diversityByHand() {
    assertThat(RankingRewards.diversity(List.of(a, b, a, a))).isCloseTo(0.5, within(TOL));
    assertThat(RankingRewards.diversity(List.of(a))).isEqualTo(1.0);
    assertThat(RankingRewards.diversity(List.of())).isZero();
  }

  @Test
  void lengthByHand() {
    LengthReward linear = LengthReward.linear(4);
    assertThat(linear.of(4)).isEqualTo(1.0);
    assertThat(linear.of(3)).isCloseTo(0.75, within(TOL));
    assertThat(linear.of(6)).isCloseTo(0.5, within(TOL));
    assertThat(linear.of(9)).isZero();
    LengthReward geo = new LengthReward(4, LengthReward.Shape.GEOMETRIC, 0.5);
    assertThat(geo.of(2)).isCloseTo(0.25, within(TOL));
    assertThat(geo.of(0)).isCloseTo(1.0 / 16, within(TOL));
  }

  @Test
  void formatStrictAndPartial() {
    AnswerParser parser = new AnswerParser(LatticeTokenFormat.of(SPACE), 2);
    ParsedAnswer good = parser.parse("<answer><a_0_0><b_0_0><c_0></answer>");
    ParsedAnswer oneBad = parser.parse("<answer><a_0_0><b_0_0><c_0>, junk</answer>");
    ParsedAnswer tooMany =
        parser.parse("<answer><a_0_0><b_0_0><c_0><a_0_1><b_0_0><c_0><a_0_2><b_0_0><c_0></answer>");
    FormatReward strict = FormatReward.strict(2);
    FormatReward partial = new FormatReward(2, true);
    assertThat(strict.score(good, truth)).isEqualTo(1.0);
    assertThat(strict.score(oneBad, truth)).isZero();
    assertThat(partial.score(oneBad, truth)).isCloseTo(0.5, within(TOL));
    assertThat(partial.score(tooMany, truth)).isCloseTo(2.0 / 3, within(TOL));
    assertThat(partial.score(ParsedAnswer.missing("x"), truth)).isZero();
  }

  @Test
  void softAccuracyByHand() {
    SoftAccuracyReward soft = SoftAccuracyReward.builder(SPACE, 10).build();
    // exact match at rank 1
    assertThat(soft.score(List.of(truth), truth)).isEqualTo(1.0);
    // slot differs: 0.5; at rank 2 discounted by 1/log2(3)
    assertThat(soft.similarity(id(12, 4, 1), truth)).isCloseTo(0.5, within(TOL));
    assertThat(soft.score(List.of(a, id(12, 4, 1)), truth))
        .isCloseTo(0.5 / (Math.log(3) / Math.log(2)), within(TOL));
    // same level-1 cell, adjacent leaf (distance 1): ceiling of level 2's band = 0.5
    assertThat(soft.similarity(id(12, 3, 0), truth)).isCloseTo(0.5, within(TOL));
    // leaf at distance sqrt(2)... cell 4 = (1,1); cell 0 = (0,0): distance sqrt(2)
    double t = (Math.sqrt(2) - 1) / (Math.sqrt(8) - 1);
    assertThat(soft.similarity(id(12, 0, 0), truth)).isCloseTo(0.5 - 0.25 * t, within(TOL));
    // different level-1 cells: cell 12 = (2,2), cell 0 = (0,0): distance sqrt(8) of diameter
    // sqrt(32)
    double u = (Math.sqrt(8) - 1) / (Math.sqrt(32) - 1);
    assertThat(soft.similarity(a, truth)).isCloseTo(0.25 - 0.25 * u, within(TOL));
    // opposite corner on level 1: the floor, 0
    assertThat(soft.similarity(id(24, 4, 0), id(0, 4, 0))).isCloseTo(0.0, within(TOL));
    SoftAccuracyReward exp =
        SoftAccuracyReward.builder(SPACE, 10)
            .decay(SoftAccuracyReward.Decay.EXPONENTIAL)
            .lengthScale(2)
            .discount(RankDiscount.RECIPROCAL)
            .build();
    assertThat(exp.similarity(a, truth))
        .isCloseTo(0.25 * Math.exp(-(Math.sqrt(8) - 1) / 2), within(TOL));
    assertThat(exp.score(List.of(b, b, truth), truth)).isCloseTo(1.0 / 3, within(TOL));
  }

  @Test
  void softAccuracyRejectsOverlappingBands() {
    assertThatThrownBy(() -> SoftAccuracyReward.builder(SPACE, 5).band(0, 0.1, 0.3).build())
        .hasMessageContaining("rise");
    assertThatThrownBy(() -> SoftAccuracyReward.builder(SPACE, 5).slotSimilarity(0.4).build())
        .hasMessageContaining("slot");
  }

  @Test
  void compositeGatesAndWeights() {
    AnswerParser parser = new AnswerParser(LatticeTokenFormat.of(SPACE), 3);
    CompositeReward<SemanticId, String> reward =
        CompositeReward.<SemanticId, String>builder(Optional::of, parser::parse)
            .add(FormatReward.strict(3), 1)
            .add(RankingRewards.reciprocalRank(3), 2)
            .add(RankingRewards.diversity(), 1)
            .gateOnFormat(3)
            .build();
    String hitAtTwo = "<answer><a_0_0><b_0_0><c_0>, <a_2_2><b_1_1><c_0></answer>";
    String hitWithJunk = "<answer><a_2_2><b_1_1><c_0>, junk</answer>";
    RewardScores s =
        reward.score(List.of(truth, truth, truth), List.of(hitAtTwo, hitWithJunk, "no answer"));
    assertThat(s.totals()[0]).isCloseTo((1 + 2 * 0.5 + 1) / 4.0, within(TOL));
    assertThat(s.totals()[1]).isZero(); // gated: the hit at rank 1 earns nothing
    assertThat(s.totals()[2]).isZero();
    assertThat(s.terms().get("reciprocal_rank")).containsExactly(0.5, 0.0, 0.0);
    assertThat(s.diagnostics().get("list_length")).containsExactly(2.0, 1.0, 0.0);
    // without gating the junk answer's hit counts
    CompositeReward<SemanticId, String> ungated =
        CompositeReward.<SemanticId, String>builder(Optional::of, parser::parse)
            .add(RankingRewards.reciprocalRank(3), 1)
            .build();
    assertThat(ungated.score(List.of(truth), List.of(hitWithJunk)).totals()[0]).isEqualTo(1.0);
  }

  @Test
  void compositeNotApplicableWithoutTruth() {
    CompositeReward<Optional<SemanticId>, ParsedAnswer> reward =
        CompositeReward.<Optional<SemanticId>, ParsedAnswer>builder(p -> p, x -> x)
            .add(RankingRewards.reciprocalRank(3), 1)
            .build();
    RewardScores s =
        reward.score(
            List.of(Optional.empty(), Optional.of(truth)),
            List.of(ParsedAnswer.of(List.of(truth)), ParsedAnswer.of(List.of(truth))));
    assertThat(s.total(0)).isEmpty();
    assertThat(s.total(1)).hasValue(1.0);
  }

  @Test
  void compositeGroupNormalization() {
    double[] values = {0.2, 0.4, 0.4, 1.0, 1.0};
    int[] groups = {0, 0, 0, 1, 1};
    double[] mm =
        CompositeReward.normalizeWithinGroups(
            values, groups, CompositeReward.Combination.GROUP_MIN_MAX);
    assertThat(mm).containsExactly(new double[] {0, 1, 1, 0, 0}, within(TOL));
    double[] z =
        CompositeReward.normalizeWithinGroups(
            values, groups, CompositeReward.Combination.GROUP_Z_SCORE);
    double mean = 1.0 / 3;
    double std = Math.sqrt((2 * Math.pow(0.4 - mean, 2) + Math.pow(0.2 - mean, 2)) / 3);
    assertThat(z[0]).isCloseTo((0.2 - mean) / (std + 1e-4), within(TOL));
    assertThat(z[1]).isCloseTo((0.4 - mean) / (std + 1e-4), within(TOL));
    assertThat(z[3]).isZero();
  }
}
