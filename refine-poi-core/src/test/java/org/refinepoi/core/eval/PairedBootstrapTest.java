package org.refinepoi.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PairedBootstrapTest {

  @Test
  void aConstantDifferenceHasAPointInterval() {
    PairedBootstrap.Interval i =
        PairedBootstrap.ofDifferences(new double[] {0.25, 0.25, 0.25}, 1000, 1);
    assertThat(i.delta()).isEqualTo(0.25);
    assertThat(i.lo()).isEqualTo(0.25);
    assertThat(i.hi()).isEqualTo(0.25);
    assertThat(i.above0()).isTrue();
  }

  @Test
  void identicalRankersDifferByExactlyZero() {
    int[] ranks = {1, 0, 3, 2, 11, 1};
    PairedBootstrap.Interval i =
        PairedBootstrap.difference(PairedBootstrap.Metric.NDCG_10, ranks, ranks, 1000, 7);
    assertThat(i.delta()).isZero();
    assertThat(i.lo()).isZero();
    assertThat(i.hi()).isZero();
    assertThat(i.above0()).isFalse();
  }

  @Test
  void theIntervalOfAClearWinnerLiesAboveZeroAndAMixedOneStraddlesIt() {
    int n = 400;
    int[] a = new int[n];
    int[] b = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = 1; // always first
      b[i] = i % 2 == 0 ? 1 : RankingMetrics.MISS;
    }
    PairedBootstrap.Interval win =
        PairedBootstrap.difference(PairedBootstrap.Metric.ACC_1, a, b, 1000, 3);
    assertThat(win.delta()).isCloseTo(0.5, within(1e-12));
    assertThat(win.above0()).isTrue();
    // differences +1 and -1 in equal numbers: the mean is 0 and the interval holds it
    int[] c = new int[n];
    for (int i = 0; i < n; i++) {
      c[i] = i % 2 == 0 ? RankingMetrics.MISS : 1;
    }
    PairedBootstrap.Interval tie =
        PairedBootstrap.difference(PairedBootstrap.Metric.ACC_1, b, c, 1000, 3);
    assertThat(tie.delta()).isZero();
    assertThat(tie.lo()).isNegative();
    assertThat(tie.hi()).isPositive();
    // a binomial mean of +-1 over 400: standard error 0.05, so the 95% interval is about +-0.1
    assertThat(tie.hi()).isCloseTo(0.098, within(0.02));
  }

  @Property(tries = 100)
  void theObservedDeltaIsInsideItsIntervalAndTheSeedFixesIt(
      @ForAll @Size(min = 1, max = 60) int[] ranksA,
      @ForAll @IntRange(min = 0, max = 20) int shift) {
    int[] a = new int[ranksA.length];
    int[] b = new int[ranksA.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = Math.floorMod(ranksA[i], 15);
      b[i] = Math.floorMod(ranksA[i] + shift * i, 15);
    }
    for (PairedBootstrap.Metric m : PairedBootstrap.Metric.values()) {
      PairedBootstrap.Interval i = PairedBootstrap.difference(m, a, b, 200, 11);
      assertThat(i.lo()).isLessThanOrEqualTo(i.hi());
      assertThat(i.delta()).isBetween(i.lo() - 1e-12, i.hi() + 1e-12);
      assertThat(PairedBootstrap.difference(m, a, b, 200, 11)).isEqualTo(i);
    }
  }

  @Test
  void misSizedOrNonFiniteInputIsRefused() {
    assertThatThrownBy(
            () ->
                PairedBootstrap.difference(
                    PairedBootstrap.Metric.MRR, new int[] {1}, new int[] {1, 2}, 1000, 1))
        .hasMessageContaining("paired samples differ");
    assertThatThrownBy(() -> PairedBootstrap.ofDifferences(new double[] {Double.NaN}, 1000, 1))
        .hasMessageContaining("finite");
    assertThatThrownBy(() -> PairedBootstrap.ofDifferences(new double[0], 1000, 1))
        .hasMessageContaining("no samples");
    assertThatThrownBy(() -> PairedBootstrap.ofDifferences(new double[] {1}, 10, 1))
        .hasMessageContaining("resamples");
  }
}
