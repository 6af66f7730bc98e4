package org.refinepoi.rl.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GrpoConfigTest {

  @Test
  void defaultsFollowTrl() {
    GrpoConfig c = GrpoConfig.builder().build();
    assertThat(c.groupSize()).isEqualTo(8);
    assertThat(c.epsLow()).isEqualTo(0.2);
    assertThat(c.epsHigh()).isEqualTo(0.2);
    assertThat(c.beta()).isZero();
    assertThat(c.aggregation()).isEqualTo(LossAggregation.TOKEN_MEAN);
    assertThat(c.scaling()).isEqualTo(RewardScaling.GROUP_STD);
    assertThat(c.scaleEps()).isEqualTo(1e-4);
    assertThat(c.updatesPerBatch()).isEqualTo(1);
    assertThat(c.maskTruncated()).isFalse();
  }

  @Test
  void encodesAndDecodesExactly() {
    GrpoConfig c =
        GrpoConfig.builder()
            .groupSize(4)
            .clip(0.2, 0.28)
            .beta(0.04)
            .aggregation(LossAggregation.DR_GRPO)
            .scaling(RewardScaling.NONE)
            .schedule(LearningRateSchedule.cosine(3e-4, 10, 100, 1e-5))
            .maxGradNorm(Double.POSITIVE_INFINITY)
            .sampling(0.7, 0.95, 33)
            .maskTruncated(true)
            .seed(-5)
            .build();
    assertThat(GrpoConfig.decode(c.encode())).isEqualTo(c);
    assertThat(c.toBuilder().build()).isEqualTo(c);
  }

  @Test
  void rejectsBadValuesWithTheirNames() {
    assertThatThrownBy(() -> GrpoConfig.builder().groupSize(1)).hasMessageContaining("groupSize");
    assertThatThrownBy(() -> GrpoConfig.builder().clip(1.0, 0.2)).hasMessageContaining("epsLow");
    assertThatThrownBy(() -> GrpoConfig.builder().beta(-1)).hasMessageContaining("beta");
    assertThatThrownBy(() -> GrpoConfig.builder().maxGradNorm(0))
        .hasMessageContaining("maxGradNorm");
    assertThatThrownBy(() -> GrpoConfig.builder().sampling(0, 1, 5))
        .hasMessageContaining("temperature");
    assertThatThrownBy(() -> GrpoConfig.decode("groupSize=8\n")).hasMessageContaining("lacks");
  }
}
