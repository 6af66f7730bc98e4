package org.refinepoi.core.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.data.Tsmc2014Loader;
import org.refinepoi.core.protocol.NextPoiProtocol;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.core.protocol.Split;

/** The features on the real NYC check-ins, when the shared data folder is present. */
class NycFeaturesTest {

  @Test
  void fitsOnTheNycTrainingSplit() throws IOException {
    String shared = System.getProperty("refinepoi.shared.data");
    Path file = shared == null ? null : Path.of(shared, "NYC", "checkins_NYC.tsv");
    Assumptions.assumeTrue(
        file != null && Files.isRegularFile(file), "NYC/checkins_NYC.tsv not found; skipping");
    PreparedData prepared =
        NextPoiProtocol.prepare(
            new Tsmc2014Loader().load(file).dataset(), ProtocolConfig.defaults());
    CheckInDataset data = prepared.dataset();
    List<CheckIn> train = prepared.checkIns(Split.TRAIN);
    PoiFeatures f = PoiFeatureBuilder.create().fit(data, train);

    Set<String> categories = new HashSet<>();
    for (Poi p : data.pois()) {
      categories.add(p.categoryName());
    }
    assertThat(f.poiCount()).isEqualTo(data.poiCount());
    assertThat(f.dimension()).isEqualTo(categories.size() + 16 + 48 + 2 + 24);
    boolean[] visited = new boolean[data.poiCount()];
    for (CheckIn c : train) {
      visited[c.poi()] = true;
    }
    FeatureBlock time = f.block(PoiFeatureBuilder.TIME).orElseThrow();
    for (int p = 0; p < f.poiCount(); p++) {
      double sum = 0;
      for (int j = time.offset(); j < time.end(); j++) {
        sum += (double) f.matrix().get(p, j) * f.matrix().get(p, j);
      }
      assertThat(Math.sqrt(sum)).isCloseTo(visited[p] ? 1 : 0, within(1e-5));
    }
  }
}
