package org.refinepoi.rl.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

  @Test
  void shapesByHand() {
    LearningRateSchedule constant = LearningRateSchedule.constant(0.1);
    assertThat(constant.rate(0)).isEqualTo(0.1);
    assertThat(constant.rate(1000)).isEqualTo(0.1);
    LearningRateSchedule linear = LearningRateSchedule.linear(1.0, 2, 12);
    assertThat(linear.rate(0)).isCloseTo(0.5, within(1e-12));
    assertThat(linear.rate(1)).isCloseTo(1.0, within(1e-12));
    assertThat(linear.rate(2)).isCloseTo(1.0, within(1e-12));
    assertThat(linear.rate(7)).isCloseTo(0.5, within(1e-12));
    assertThat(linear.rate(12)).isZero();
    assertThat(linear.rate(50)).isZero();
    LearningRateSchedule cosine = LearningRateSchedule.cosine(1.0, 0, 10, 0.1);
    assertThat(cosine.rate(0)).isCloseTo(1.0, within(1e-12));
    assertThat(cosine.rate(5)).isCloseTo(0.55, within(1e-12));
    assertThat(cosine.rate(10)).isCloseTo(0.1, within(1e-12));
  }

  @Test
  void rejectsBadRanges() {
    assertThatThrownBy(() -> LearningRateSchedule.linear(1.0, 5, 5))
        .hasMessageContaining("totalSteps");
    assertThatThrownBy(() -> LearningRateSchedule.constant(Double.NaN))
        .hasMessageContaining("baseRate");
    assertThatThrownBy(() -> LearningRateSchedule.cosine(1.0, 0, 10, 2))
        .hasMessageContaining("minRate");
  }
}
