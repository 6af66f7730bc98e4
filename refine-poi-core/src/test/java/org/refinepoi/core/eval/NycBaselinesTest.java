package org.refinepoi.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.data.Tsmc2014Loader;
import org.refinepoi.core.protocol.NextPoiProtocol;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.core.protocol.Split;

/**
 * The four baselines on the real Foursquare NYC log (skipped when the shared data is absent): sane
 * ranges and the expected ordering against popularity, on the test split, full-catalogue ranking.
 */
class NycBaselinesTest {

  @Test
  void baselines_on_nyc_test_split() throws IOException {
    Path nyc =
        Path.of(System.getProperty("refinepoi.shared.data", "missing"), "NYC", "checkins_NYC.tsv");
    assumeTrue(Files.isRegularFile(nyc), "NYC data not found at " + nyc + "; skipping");
    PreparedData data =
        NextPoiProtocol.prepare(
            new Tsmc2014Loader().load(nyc).dataset(), ProtocolConfig.defaults());
    List<EvaluationResult> results =
        Evaluator.forCatalogue(data.dataset().poiCount())
            .evaluateAll(Baselines.fitAll(data), data.samples(Split.TEST));
    MetricsReport popular = results.get(0).overall();
    MetricsReport user = results.get(1).overall();
    MetricsReport markov = results.get(2).overall();
    MetricsReport near = results.get(3).overall();
    assertThat(results.get(2).method()).isEqualTo(MarkovTransition.NAME);
    // Popularity alone is weak on a city of thousands of POIs.
    assertThat(popular.acc10()).isBetween(0.005, 0.2);
    // Sequential and personal signals are strong in check-in logs.
    assertThat(markov.acc10()).isGreaterThan(1.5 * popular.acc10()).isLessThan(0.99);
    assertThat(user.acc10()).isGreaterThan(1.5 * popular.acc10()).isLessThan(0.99);
    assertThat(near.acc10()).isGreaterThan(popular.acc10());
    for (EvaluationResult r : results) {
      MetricsReport m = r.overall();
      assertThat(m.count()).isEqualTo(data.samples(Split.TEST).size());
      assertThat(m.acc1()).as(r.method()).isLessThanOrEqualTo(m.acc5());
      assertThat(m.acc5()).as(r.method()).isLessThanOrEqualTo(m.acc10());
      // A full-catalogue ranking never misses, so MRR is at least 1 / catalogue size.
      assertThat(m.mrr()).as(r.method()).isGreaterThan(1.0 / data.dataset().poiCount());
      assertThat(r.coldStart().count()).as(r.method()).isPositive();
    }
  }
}
