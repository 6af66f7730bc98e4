package org.refinepoi.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {

  private static final double TOL = 1e-12;

  @Test
  void hand_computed_values() {
    // Ranks 1, 3, 7, miss, 12. log2(4) = 2 and log2(8) = 3 give exact NDCG terms.
    MetricsReport r = new RankingMetrics().add(1).add(3).add(7).add(0).add(12).report();
    assertThat(r.count()).isEqualTo(5);
    assertThat(r.acc1()).isCloseTo(1.0 / 5, within(TOL));
    assertThat(r.acc5()).isCloseTo(2.0 / 5, within(TOL));
    assertThat(r.acc10()).isCloseTo(3.0 / 5, within(TOL));
    assertThat(r.ndcg5()).isCloseTo((1 + 1.0 / 2) / 5, within(TOL));
    assertThat(r.ndcg10()).isCloseTo((1 + 1.0 / 2 + 1.0 / 3) / 5, within(TOL));
    // 1 + 1/3 + 1/7 + 1/12 = 131/84.
    assertThat(r.mrr()).isCloseTo(131.0 / 84 / 5, within(TOL));
  }

  @Test
  void single_sample_functions() {
    assertThat(RankingMetrics.ndcgAt(2, 5)).isCloseTo(1 / (Math.log(3) / Math.log(2)), within(TOL));
    assertThat(RankingMetrics.ndcgAt(6, 5)).isZero();
    assertThat(RankingMetrics.ndcgAt(RankingMetrics.MISS, 5)).isZero();
    assertThat(RankingMetrics.accuracyAt(10, 10)).isEqualTo(1.0);
    assertThat(RankingMetrics.accuracyAt(11, 10)).isZero();
    assertThat(RankingMetrics.reciprocalRank(4)).isEqualTo(0.25);
    assertThat(RankingMetrics.reciprocalRank(RankingMetrics.MISS)).isZero();
    assertThat(RankingMetrics.rankOf(new int[] {5, 3, 9}, 9)).isEqualTo(3);
    assertThat(RankingMetrics.rankOf(new int[] {5, 3, 9}, 4)).isEqualTo(RankingMetrics.MISS);
  }

  @Test
  void empty_report_is_nan_and_bad_input_is_refused() {
    MetricsReport empty = new RankingMetrics().report();
    assertThat(empty.isEmpty()).isTrue();
    assertThat(empty.acc10()).isNaN();
    assertThatThrownBy(() -> new RankingMetrics().add(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rank");
    assertThatThrownBy(() -> RankingMetrics.accuracyAt(1, 0))
        .hasMessageContaining("k must be >= 1");
    assertThatThrownBy(() -> new MetricsReport(2, 0.5, 0.5, 1.5, 0.5, 0.5, 0.5))
        .hasMessageContaining("out of [0, 1]");
  }

  @Property
  void metrics_are_fractions_and_ordered(
      @ForAll @Size(min = 1, max = 200) List<@IntRange(min = 0, max = 40) Integer> ranks) {
    RankingMetrics acc = new RankingMetrics();
    ranks.forEach(acc::add);
    MetricsReport r = acc.report();
    for (double v : new double[] {r.acc1(), r.acc5(), r.acc10(), r.ndcg5(), r.ndcg10(), r.mrr()}) {
      assertThat(v).isBetween(0.0, 1.0);
    }
    assertThat(r.acc1()).isLessThanOrEqualTo(r.acc5());
    assertThat(r.acc5()).isLessThanOrEqualTo(r.acc10());
    assertThat(r.ndcg5()).isLessThanOrEqualTo(r.acc5() + TOL);
    assertThat(r.ndcg10()).isLessThanOrEqualTo(r.acc10() + TOL);
    assertThat(r.ndcg5()).isLessThanOrEqualTo(r.ndcg10() + TOL);
    assertThat(r.mrr()).isGreaterThanOrEqualTo(r.acc1() - TOL);
    assertThat(r.ndcg5()).isGreaterThanOrEqualTo(r.acc1() - TOL);
  }

  @Property
  void single_sample_metrics_monotone_in_k(
      @ForAll @IntRange(min = 0, max = 500) int rank,
      @ForAll @IntRange(min = 1, max = 400) int k,
      @ForAll @IntRange(min = 0, max = 100) int more) {
    assertThat(RankingMetrics.accuracyAt(rank, k))
        .isLessThanOrEqualTo(RankingMetrics.accuracyAt(rank, k + more));
    assertThat(RankingMetrics.ndcgAt(rank, k))
        .isLessThanOrEqualTo(RankingMetrics.ndcgAt(rank, k + more));
    assertThat(RankingMetrics.ndcgAt(rank, k))
        .isLessThanOrEqualTo(RankingMetrics.accuracyAt(rank, k));
    assertThat(RankingMetrics.ndcgAt(rank, k)).isBetween(0.0, 1.0);
    assertThat(RankingMetrics.reciprocalRank(rank)).isBetween(0.0, 1.0);
  }

  @Property
  void merge_equals_adding_everything(
      @ForAll @Size(max = 100) List<@IntRange(min = 0, max = 30) Integer> left,
      @ForAll @Size(min = 1, max = 100) List<@IntRange(min = 0, max = 30) Integer> right) {
    RankingMetrics a = new RankingMetrics();
    RankingMetrics b = new RankingMetrics();
    RankingMetrics all = new RankingMetrics();
    left.forEach(a::add);
    right.forEach(b::add);
    left.forEach(all::add);
    right.forEach(all::add);
    MetricsReport merged = a.merge(b).report();
    MetricsReport whole = all.report();
    assertThat(merged.count()).isEqualTo(whole.count());
    assertThat(merged.acc1()).isCloseTo(whole.acc1(), within(TOL));
    assertThat(merged.acc10()).isCloseTo(whole.acc10(), within(TOL));
    assertThat(merged.ndcg10()).isCloseTo(whole.ndcg10(), within(TOL));
    assertThat(merged.mrr()).isCloseTo(whole.mrr(), within(TOL));
  }
}
