package org.refinepoi.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.history.HistoryEvidence;
import org.refinepoi.core.protocol.NextPoiProtocol;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.protocol.Split;
import org.refinepoi.core.synth.SyntheticCity;

class RepeatAwareBlendTest {

  static PreparedData data;
  static RepeatAwareBlend tuned;

  @BeforeAll
  static void city() {
    data =
        NextPoiProtocol.prepare(
            SyntheticCity.builder().seed(4).users(80).pois(400).checkIns(9000).build().generate(),
            ProtocolConfig.defaults());
    tuned = RepeatAwareBlend.tuned(data);
  }

  static double validationNdcg(Recommender r) {
    return Evaluator.builder(data.dataset().poiCount())
        .listSize(10)
        .build()
        .evaluate(r, data.samples(Split.VALIDATION))
        .overall()
        .ndcg10();
  }

  @Test
  void theTunedWeightsAreTheBestGridPointOnValidation() {
    double best = validationNdcg(tuned);
    HistoryEvidence evidence = HistoryEvidence.fit(data);
    for (RepeatAwareBlend.Weights w :
        List.of(
            new RepeatAwareBlend.Weights(1, 0, 1, 0),
            new RepeatAwareBlend.Weights(0, 0, 1, 1),
            new RepeatAwareBlend.Weights(1, 1, 24, 1),
            new RepeatAwareBlend.Weights(1, 4, 3, 0.25))) {
      assertThat(validationNdcg(RepeatAwareBlend.of(evidence, w)))
          .as("%s", w)
          .isLessThanOrEqualTo(best + 1e-12);
    }
    // frequency alone ranks like the user's most visited POIs: the blend is at least as good
    assertThat(best).isGreaterThanOrEqualTo(validationNdcg(Baselines.fitAll(data).get(1)) - 1e-9);
  }

  @Test
  void listsAreDistinctCatalogueIndicesFilledByPopularity() {
    for (Sample s : data.samples(Split.TEST).subList(0, 20)) {
      int[] list = tuned.recommend(s, 50);
      assertThat(list).hasSize(50).doesNotHaveDuplicates();
      for (int poi : list) {
        assertThat(poi).isBetween(0, data.dataset().poiCount() - 1);
      }
    }
  }

  @Test
  void theScoreFollowsItsFormula() {
    // last POI 0; memory: POI 1 visited twice, the last time 2 h ago; POI 2 once, 10 h ago
    long h = 3600;
    List<CheckIn> longTerm =
        List.of(new CheckIn(0, 1, 0, 0), new CheckIn(0, 2, 8 * h, 0), new CheckIn(0, 1, 16 * h, 0));
    Sample s =
        new Sample(
            0,
            1,
            List.of(new CheckIn(0, 0, 17 * h, 0)),
            longTerm,
            new CheckIn(0, 3, 18 * h, 0),
            false,
            Split.TEST);
    HistoryEvidence evidence = HistoryEvidence.fit(TinyData.POIS, TinyData.TRAJECTORIES);
    // transitions from POI 0 in TinyData: 0 -> 1 twice
    RepeatAwareBlend frequency =
        RepeatAwareBlend.of(evidence, new RepeatAwareBlend.Weights(1, 0, 1, 0));
    assertThat(frequency.recommend(s, 3)).startsWith(1, 0, 2);
    // recency with a 1-hour scale: POI 0 (1 h ago) beats POI 1 (2 h ago)
    RepeatAwareBlend recency =
        RepeatAwareBlend.of(evidence, new RepeatAwareBlend.Weights(0, 1, 1, 0));
    assertThat(recency.recommend(s, 2)).containsExactly(0, 1);
  }

  @Test
  void badWeightsAndEmptyValidationAreRefused() {
    assertThatThrownBy(() -> new RepeatAwareBlend.Weights(-1, 0, 1, 0))
        .hasMessageContaining("frequency");
    assertThatThrownBy(() -> new RepeatAwareBlend.Weights(1, 0, 0, 0))
        .hasMessageContaining("recencyHours");
    assertThatThrownBy(() -> RepeatAwareBlend.tune(HistoryEvidence.fit(data), List.of()))
        .hasMessageContaining("no validation samples");
  }
}
