package org.refinepoi.rl.reward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.LatticeTokenFormat;
import org.refinepoi.core.sid.SemanticId;

class RankingRewardsPropertiesTest {

  static final IdSpace SPACE =
      IdSpace.of(LatticeSpec.hexagonal(4, 6), LatticeSpec.rectangular(3, 3));
  static final int K = 5;

  @Provide
  Arbitrary<SemanticId> ids() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 23),
            Arbitraries.integers().between(0, 8),
            Arbitraries.integers().between(0, 2))
        .as((c1, c2, s) -> SemanticId.of(new int[] {c1, c2}, s));
  }

  @Provide
  Arbitrary<List<SemanticId>> lists() {
    return ids().list().ofMaxSize(8);
  }

  private static List<RankingReward> terms() {
    return List.of(
        FormatReward.strict(K),
        new FormatReward(K, true),
        RankingRewards.reciprocalRank(K),
        RankingRewards.ndcg(K),
        RankingRewards.diversity(),
        LengthReward.linear(K),
        new LengthReward(K, LengthReward.Shape.GEOMETRIC, 0.7),
        SoftAccuracyReward.builder(SPACE, K).build(),
        SoftAccuracyReward.builder(SPACE, K)
            .decay(SoftAccuracyReward.Decay.EXPONENTIAL)
            .discount(RankDiscount.NONE)
            .build());
  }

  @Property(tries = 300)
  void everyRewardIsInTheUnitInterval(
      @ForAll("lists") List<SemanticId> list, @ForAll("ids") SemanticId truth) {
    String text = "<answer>" + render(list) + "</answer>";
    ParsedAnswer answer = new AnswerParser(LatticeTokenFormat.of(SPACE), K).parse(text);
    for (RankingReward r : terms()) {
      assertThat(r.score(answer, truth)).as(r.name()).isBetween(0.0, 1.0);
    }
    CompositeReward<SemanticId, ParsedAnswer> composite =
        CompositeReward.<SemanticId, ParsedAnswer>paperTerms(
                Optional::of, x -> x, SoftAccuracyReward.builder(SPACE, K).build(), K)
            .build();
    assertThat(composite.score(List.of(truth), List.of(answer)).totals()[0]).isBetween(0.0, 1.0);
  }

  @Property(tries = 200)
  void groupMinMaxCompositeStaysInTheUnitInterval(
      @ForAll("lists") List<SemanticId> a,
      @ForAll("lists") List<SemanticId> b,
      @ForAll("lists") List<SemanticId> c,
      @ForAll("ids") SemanticId truth) {
    CompositeReward<SemanticId, ParsedAnswer> composite =
        CompositeReward.<SemanticId, ParsedAnswer>paperTerms(
                Optional::of, x -> x, SoftAccuracyReward.builder(SPACE, K).build(), K)
            .combination(CompositeReward.Combination.GROUP_MIN_MAX)
            .build();
    AnswerParser parser = new AnswerParser(LatticeTokenFormat.of(SPACE), K);
    List<ParsedAnswer> answers =
        List.of(a, b, c).stream()
            .map(l -> parser.parse("<answer>" + render(l) + "</answer>"))
            .toList();
    double[] totals =
        composite.score(List.of(truth, truth, truth), answers, new int[] {0, 0, 1}).totals();
    for (double t : totals) {
      assertThat(t).isBetween(0.0, 1.0);
    }
    // a group of one has no spread: every normalized term is 0
    assertThat(totals[2]).isZero();
  }

  @Property
  void movingTheTruthUpNeverLowersRrOrNdcg(
      @ForAll("lists") List<SemanticId> others,
      @ForAll("ids") SemanticId truth,
      @ForAll @IntRange(min = 0, max = 8) int from,
      @ForAll @IntRange(min = 0, max = 8) int to) {
    List<SemanticId> base = new ArrayList<>(others);
    base.removeIf(truth::equals);
    int lo = Math.min(Math.min(from, to), base.size());
    int hi = Math.min(Math.max(from, to), base.size());
    List<SemanticId> lower = new ArrayList<>(base);
    lower.add(hi, truth);
    List<SemanticId> higher = new ArrayList<>(base);
    higher.add(lo, truth);
    assertThat(RankingRewards.reciprocalRank(higher, truth))
        .isGreaterThanOrEqualTo(RankingRewards.reciprocalRank(lower, truth));
    assertThat(RankingRewards.ndcg(higher, truth, K))
        .isGreaterThanOrEqualTo(RankingRewards.ndcg(lower, truth, K));
  }

  @Property
  void softAccuracyIsOneForAnExactHitAtRankOne(
      @ForAll("lists") List<SemanticId> rest, @ForAll("ids") SemanticId truth) {
    List<SemanticId> list = new ArrayList<>();
    list.add(truth);
    list.addAll(rest);
    for (RankingReward r : terms()) {
      if (r instanceof SoftAccuracyReward soft) {
        assertThat(soft.score(list, truth)).isEqualTo(1.0);
      }
    }
  }

  @Property
  void softAccuracyNeverRisesWithDistance(
      @ForAll("ids") SemanticId x, @ForAll("ids") SemanticId y, @ForAll("ids") SemanticId truth) {
    SemanticId near = SPACE.distance(x, truth) <= SPACE.distance(y, truth) ? x : y;
    SemanticId far = near == x ? y : x;
    for (RankingReward r : terms()) {
      if (r instanceof SoftAccuracyReward soft) {
        // equal distances computed along different paths may differ in the last bit
        assertThat(soft.similarity(far, truth))
            .isLessThanOrEqualTo(soft.similarity(near, truth) + 1e-12);
        if (!far.equals(truth)) {
          assertThat(soft.similarity(far, truth)).isLessThan(1.0);
        }
        assertThat(soft.score(List.of(far), truth))
            .isLessThanOrEqualTo(soft.score(List.of(near), truth) + 1e-12);
      }
    }
  }

  @Property
  void aDuplicateNeverRaisesDiversity(
      @ForAll("lists") List<SemanticId> list, @ForAll @IntRange(min = 0, max = 7) int which) {
    if (list.isEmpty()) {
      return;
    }
    List<SemanticId> withDuplicate = new ArrayList<>(list);
    withDuplicate.add(list.get(which % list.size()));
    assertThat(RankingRewards.diversity(withDuplicate))
        .isLessThanOrEqualTo(RankingRewards.diversity(list));
  }

  @Property
  void anUnparseableAnswerEarnsNoRankingReward(
      @ForAll("lists") List<SemanticId> list,
      @ForAll("ids") SemanticId truth,
      @ForAll @IntRange(min = 0, max = 2) int breakage) {
    String body = render(list);
    String text =
        switch (breakage) {
          case 0 -> body; // no answer tag at all
          case 1 -> "<answer>" + body; // never closed
          default -> "<think>" + body + "</think>";
        };
    ParsedAnswer answer = new AnswerParser(LatticeTokenFormat.of(SPACE), K).parse(text);
    for (RankingReward r : terms()) {
      if (r.gatedByFormat() || r instanceof FormatReward) {
        assertThat(r.score(answer, truth)).as(r.name()).isZero();
      }
    }
    CompositeReward<SemanticId, ParsedAnswer> composite =
        CompositeReward.<SemanticId, ParsedAnswer>paperTerms(
                Optional::of, x -> x, SoftAccuracyReward.builder(SPACE, K).build(), K)
            .build();
    assertThat(composite.score(List.of(truth), List.of(answer)).totals()[0]).isZero();
  }

  private static String render(List<SemanticId> list) {
    LatticeTokenFormat format = LatticeTokenFormat.of(SPACE);
    return String.join(", ", list.stream().map(format::render).toList());
  }
}
