package org.refinepoi.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.protocol.NextPoiProtocol;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.core.protocol.Split;
import org.refinepoi.core.synth.SyntheticCity;

/**
 * The official check that the embedded synthetic city carries learnable sequential structure: on
 * the default city under the default protocol, first-order Markov transitions clearly beat global
 * popularity on the test split.
 */
class SyntheticCityBaselinesTest {

  private static PreparedData data;
  private static List<EvaluationResult> results;

  @BeforeAll
  static void evaluateDefaultCity() {
    data = NextPoiProtocol.prepare(SyntheticCity.defaults().generate(), ProtocolConfig.defaults());
    results =
        Evaluator.forCatalogue(data.dataset().poiCount())
            .evaluateAll(Baselines.fitAll(data), data.samples(Split.TEST));
  }

  private static MetricsReport overall(String method) {
    return results.stream()
        .filter(r -> r.method().equals(method))
        .findFirst()
        .orElseThrow()
        .overall();
  }

  @Test
  void markov_clearly_beats_popularity() {
    MetricsReport markov = overall(MarkovTransition.NAME);
    MetricsReport popular = overall(MostPopular.NAME);
    assertThat(markov.count()).isGreaterThan(500);
    assertThat(markov.acc10()).isGreaterThanOrEqualTo(1.5 * popular.acc10());
    assertThat(markov.mrr()).isGreaterThanOrEqualTo(1.5 * popular.mrr());
  }

  @Test
  void every_baseline_beats_popularity_and_stays_in_range() {
    MetricsReport popular = overall(MostPopular.NAME);
    for (EvaluationResult r : results) {
      assertThat(r.overall().acc10()).as(r.method()).isBetween(0.0, 1.0);
      assertThat(r.coldStart().count()).as(r.method()).isPositive();
      assertThat(r.coldStart().count()).isLessThan(r.overall().count());
      if (!r.method().equals(MostPopular.NAME)) {
        assertThat(r.overall().acc10()).as(r.method()).isGreaterThan(popular.acc10());
      }
    }
  }

  @Test
  void evaluation_is_deterministic() {
    // Refit and re-evaluate (in parallel) the two sequence-aware baselines: identical numbers.
    List<Recommender> again = Baselines.fitAll(data).subList(1, 3);
    List<EvaluationResult> rerun =
        Evaluator.forCatalogue(data.dataset().poiCount())
            .evaluateAll(again, data.samples(Split.TEST));
    assertThat(rerun).isEqualTo(results.subList(1, 3));
  }
}
