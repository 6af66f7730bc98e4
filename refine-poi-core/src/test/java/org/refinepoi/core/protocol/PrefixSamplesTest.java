package org.refinepoi.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.data.Trajectory;
import org.refinepoi.core.synth.SyntheticCity;

class PrefixSamplesTest {

  @Test
  void everyNextCheckInOfTheTrainingTrajectoriesIsASampleWithOnlyItsPast() {
    PreparedData data =
        NextPoiProtocol.prepare(
            SyntheticCity.builder().seed(2).users(50).pois(300).checkIns(4000).build().generate(),
            ProtocolConfig.defaults());
    List<Sample> prefixes = data.prefixSamples(Split.TRAIN);
    long expected = 0;
    for (Trajectory t : data.trajectories(Split.TRAIN)) {
      expected += Math.max(0, t.size() - 1);
    }
    assertThat(prefixes).hasSize((int) expected);
    for (Sample s : prefixes) {
      assertThat(s.split()).isEqualTo(Split.TRAIN);
      long target = s.target().utcEpochSecond();
      assertThat(s.shortTerm()).allMatch(c -> c.utcEpochSecond() <= target);
      assertThat(s.longTerm())
          .allMatch(c -> c.utcEpochSecond() <= s.shortTerm().getFirst().utcEpochSecond());
      assertThat(s.longTerm().size()).isLessThanOrEqualTo(data.config().maxLongTermCheckIns());
    }
    // the last-check-in samples of the training split are among them
    assertThat(prefixes.size()).isGreaterThan(data.samples(Split.TRAIN).size());
    for (int i = 1; i < prefixes.size(); i++) {
      assertThat(prefixes.get(i).target().utcEpochSecond())
          .isGreaterThanOrEqualTo(prefixes.get(i - 1).target().utcEpochSecond());
    }
  }
}
