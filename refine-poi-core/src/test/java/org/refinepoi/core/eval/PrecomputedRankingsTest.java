package org.refinepoi.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.protocol.Split;

class PrecomputedRankingsTest {

  private static Sample sample(int target) {
    return new Sample(
        0,
        0,
        List.of(new CheckIn(0, 1, 0, 0)),
        List.of(),
        new CheckIn(0, target, 3600, 0),
        false,
        Split.TEST);
  }

  @Test
  void answersEachSampleWithItsOwnListCutToK() {
    Sample a = sample(2);
    Sample b = sample(2); // equal to a, but another sample: matched by identity
    int[] listA = {5, 6, 7};
    PrecomputedRankings r =
        PrecomputedRankings.of("m", List.of(a, b), List.of(listA, new int[] {9}));
    listA[0] = 99; // the lists were copied
    assertThat(r.recommend(a, 2)).containsExactly(5, 6);
    assertThat(r.recommend(a, 10)).containsExactly(5, 6, 7);
    assertThat(r.recommend(b, 10)).containsExactly(9);
    assertThat(r.name()).isEqualTo("m");
  }

  @Test
  void refusesMisSizedListsAndUnrankedSamples() {
    assertThatThrownBy(() -> PrecomputedRankings.of("m", List.of(sample(1)), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("1 samples but 0 lists");
    PrecomputedRankings r = PrecomputedRankings.of("m", List.of(sample(1)), List.of(new int[] {1}));
    assertThatThrownBy(() -> r.recommend(sample(1), 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("m: a sample outside the ranked samples");
  }
}
