package org.refinepoi.rl.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class AdvantagesTest {

  static final double TOL = 1e-9;

  @Test
  void groupStdByHand() {
    // group 0: rewards 1, 0, 0 -> mean 1/3, sample std sqrt((4/9 + 1/9 + 1/9) / 2) = sqrt(1/3)
    double[] a =
        Advantages.compute(
            new double[] {1, 0, 0, 0.5, 0.5, 0.5},
            new int[] {0, 0, 0, 1, 1, 1},
            RewardScaling.GROUP_STD,
            1e-4);
    double std = Math.sqrt(1.0 / 3);
    assertThat(a[0]).isCloseTo((2.0 / 3) / (std + 1e-4), within(TOL));
    assertThat(a[1]).isCloseTo((-1.0 / 3) / (std + 1e-4), within(TOL));
    assertThat(a[3]).isZero();
  }

  @Test
  void batchStdAndNoneByHand() {
    double[] r = {1, 0, 0.5, 0.5};
    int[] g = {0, 0, 1, 1};
    // batch: mean 0.5, sample std sqrt((0.25 + 0.25) / 3)
    double batchStd = Math.sqrt(0.5 / 3);
    double[] a = Advantages.compute(r, g, RewardScaling.BATCH_STD, 1e-4);
    assertThat(a[0]).isCloseTo(0.5 / (batchStd + 1e-4), within(TOL));
    assertThat(a[2]).isZero();
    double[] none = Advantages.compute(r, g, RewardScaling.NONE, 1e-4);
    assertThat(none).containsExactly(new double[] {0.5, -0.5, 0, 0}, within(TOL));
  }

  @Test
  void notApplicableSamplesGetZeroAndStayOutOfTheStatistics() {
    double[] a =
        Advantages.compute(
            new double[] {1, Double.NaN, 0}, new int[] {0, 0, 0}, RewardScaling.NONE, 0);
    assertThat(a).containsExactly(new double[] {0.5, 0, -0.5}, within(TOL));
  }

  /**
   * The sample that once failed the property: group 0 holds three rewards of 0.05 whose mean is
   * 0.05000000000000001, so without eps the rounding noise would be scaled up to unit spread.
   */
  @Example
  void equalRewardsUpToRoundingNoiseGiveZeroAdvantage() {
    centredPerGroupWithUnitStdUnderGroupStd(List.of(0.05, 0.0, 0.0, 0.05, 0.0, 0.0, 0.05), 3, true);
    for (RewardScaling scaling : RewardScaling.values()) {
      double[] a =
          Advantages.compute(
              new double[] {0.05, 0.05, 0.05, 0.1, 0.1, 0.1, 0.1},
              new int[] {0, 0, 0, 1, 1, 1, 1},
              scaling,
              0);
      assertThat(a).as("%s", scaling).containsOnly(0.0);
    }
  }

  @Example
  void aGroupWithARealSpreadIsStillScaledWithoutEps() {
    // a spread of 1e-9 around 0.5 is far above rounding noise (1e-12 relative)
    double[] a =
        Advantages.compute(
            new double[] {0.5, 0.5 + 2e-9}, new int[] {0, 0}, RewardScaling.GROUP_STD, 0);
    double half = Math.sqrt(0.5);
    assertThat(a).containsExactly(new double[] {-half, half}, within(1e-6));
  }

  @Property
  void centredPerGroupWithUnitStdUnderGroupStd(
      @ForAll @Size(min = 2, max = 12) List<@DoubleRange(min = 0, max = 1) Double> rewards,
      @ForAll @IntRange(min = 1, max = 4) int groupCount,
      @ForAll boolean noEps) {
    int n = rewards.size();
    double[] r = rewards.stream().mapToDouble(Double::doubleValue).toArray();
    int[] groups = new int[n];
    for (int i = 0; i < n; i++) {
      groups[i] = i % groupCount;
    }
    double eps = noEps ? 0 : 1e-4;
    double[] a = Advantages.compute(r, groups, RewardScaling.GROUP_STD, eps);
    for (int g = 0; g < groupCount; g++) {
      List<Integer> idx = new ArrayList<>();
      for (int i = g; i < n; i += groupCount) {
        idx.add(i);
      }
      assertThat(Advantages.mean(a, idx)).isCloseTo(0.0, within(TOL));
      double s = Advantages.sampleStd(r, idx);
      if (s > 1e-6) {
        // the advantages' std is s / (s + eps): exactly 1 without eps
        assertThat(Advantages.sampleStd(a, idx)).isCloseTo(s / (s + eps), within(TOL));
      }
    }
  }
}
