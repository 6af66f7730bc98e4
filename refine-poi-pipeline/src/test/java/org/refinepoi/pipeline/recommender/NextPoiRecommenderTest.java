package org.refinepoi.pipeline.recommender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.eval.EvaluationResult;
import org.refinepoi.core.io.FileFormatException;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.synth.SyntheticCity;
import org.refinepoi.pipeline.experiment.ExperimentConfig;

/**
 * Train, save, load and serve on a tiny synthetic city with the sizes of {@code
 * ExperimentConfig.quick()} (a few seconds). Metrics and rankings are compared exactly: the loaded
 * model holds the same parameters and ranks by the same code.
 */
class NextPoiRecommenderTest {

  @TempDir static Path dir;

  static CheckInDataset city;
  static NextPoiRecommender trained;
  static NextPoiRecommender loaded;
  static Path bundle;

  @BeforeAll
  static void trainSaveLoad() throws Exception {
    city = SyntheticCity.builder().seed(3).users(60).pois(300).checkIns(5000).build().generate();
    ExperimentConfig config =
        ExperimentConfig.quick()
            .lattices(LatticeSpec.rectangular(3, 3), LatticeSpec.rectangular(2, 2))
            .build();
    trained = NextPoiRecommender.trainer().config(config).seed(11).train(city);
    bundle = dir.resolve("model.rpoi");
    trained.save(bundle);
    loaded = NextPoiRecommender.load(bundle);
  }

  @AfterAll
  static void close() {
    trained.close();
    loaded.close();
  }

  @Test
  void loadedModelReproducesTheTrainingTimeTestMetrics() {
    EvaluationResult again = loaded.evaluate(city);
    assertThat(again.overall()).isEqualTo(trained.provenance().testMetrics());
    assertThat(again.coldStart()).isEqualTo(trained.provenance().testColdStartMetrics());
    assertThat(loaded.provenance().testMetrics()).isEqualTo(trained.provenance().testMetrics());
    assertThat(again.overall().count()).isPositive();
  }

  @Test
  void provenanceRecordsSeedDataAndVersion() {
    Provenance p = loaded.provenance();
    assertThat(p.seed()).isEqualTo(11);
    assertThat(p.dataset()).isEqualTo(city.name());
    assertThat(p.dataFingerprint()).hasSize(64).isEqualTo(trained.provenance().dataFingerprint());
    assertThat(p.libraryVersion()).isNotBlank().isNotEqualTo("unknown");
    assertThat(((Number) p.config().get("seed")).longValue()).isEqualTo(11);
    assertThat(p.training()).containsKey("rl_accepted").containsKey("sft_best_epoch");
    assertThat(loaded.catalogue()).isEqualTo(trained.catalogue());
    assertThat(loaded.userIds()).isEqualTo(trained.userIds());
    assertThat(loaded.index()).isEqualTo(trained.index());
    assertThat(loaded.hierarchicalSom()).isPresent();
    assertThat(loaded.policyConfig()).isEqualTo(trained.policyConfig());
    assertThat(loaded.protocol()).isEqualTo(trained.protocol());
  }

  @Test
  void recommendationsAreRankedWithEvidence() {
    String user = loaded.userIds().get(0);
    List<Visit> history = Visit.historyOf(city, user);
    OffsetDateTime at = history.getLast().time().plusHours(2);
    List<Recommendation> top = loaded.recommend(user, history, at, 10);
    assertThat(top).hasSize(10);
    Set<String> visited = new HashSet<>();
    history.forEach(v -> visited.add(v.poiId()));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < top.size(); i++) {
      Recommendation r = top.get(i);
      assertThat(r.rank()).isEqualTo(i + 1);
      assertThat(seen.add(r.poiId())).as("distinct POIs").isTrue();
      assertThat(r.probability()).isBetween(0.0, 1.0);
      if (i > 0) {
        assertThat(r.probability()).isLessThanOrEqualTo(top.get(i - 1).probability());
      }
      assertThat(r.origin() == Recommendation.Origin.COPIED).isEqualTo(visited.contains(r.poiId()));
      assertThat(r.latticeDistance()).isBetween(0.0, loaded.index().maxDistance());
      assertThat(r.semanticId())
          .isEqualTo(loaded.index().format().render(loaded.index().idOf(r.poiId())));
    }
    assertThat(trained.recommend(user, history, at, 10)).isEqualTo(top);
  }

  @Test
  void concurrentCallsGiveTheSequentialResults() throws Exception {
    List<String> users = loaded.userIds().subList(0, 8);
    List<List<Recommendation>> expected = new ArrayList<>();
    for (String u : users) {
      List<Visit> h = Visit.historyOf(city, u);
      expected.add(loaded.recommend(u, h, h.getLast().time(), 10));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> checks = new ArrayList<>();
      for (int round = 0; round < 5; round++) {
        for (int i = 0; i < users.size(); i++) {
          int at = i;
          checks.add(
              pool.submit(
                  () -> {
                    List<Visit> h = Visit.historyOf(city, users.get(at));
                    return loaded
                        .recommend(users.get(at), h, h.getLast().time(), 10)
                        .equals(expected.get(at));
                  }));
        }
      }
      for (Future<Boolean> f : checks) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aUserTheModelWasNotTrainedOnIsServedAsTheAverageUser() {
    String known = loaded.userIds().get(0);
    List<Visit> h = Visit.historyOf(city, known);
    assertThat(loaded.knowsUser(known)).isTrue();
    assertThat(loaded.knowsUser("new-user")).isFalse();
    List<Recommendation> top = loaded.recommend("new-user", h, h.getLast().time(), 10);
    assertThat(top).hasSize(10);
    assertThat(top.stream().map(Recommendation::poiId).distinct()).hasSize(10);
    double sum = 0;
    for (int i = 0; i < top.size(); i++) {
      assertThat(top.get(i).rank()).isEqualTo(i + 1);
      assertThat(top.get(i).probability()).isBetween(0.0, 1.0);
      if (i > 0) {
        assertThat(top.get(i).probability()).isLessThanOrEqualTo(top.get(i - 1).probability());
      }
      sum += top.get(i).probability();
    }
    assertThat(sum).isLessThanOrEqualTo(1.0 + 1e-6);
    // the same history: the copy candidates are the same, only the user vector differs
    assertThat(top.stream().filter(r -> r.origin() == Recommendation.Origin.COPIED).count())
        .isPositive();
  }

  @Test
  void badRequestsAreRefusedWithTheReason() {
    List<Visit> h = Visit.historyOf(city, loaded.userIds().get(0));
    assertThatThrownBy(
            () ->
                loaded.recommend(loaded.userIds().get(0), h, h.getFirst().time().minusDays(1), 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no visit");
    assertThatThrownBy(() -> loaded.recommend(loaded.userIds().get(0), h, h.getLast().time(), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("k must be");
    CheckInDataset other =
        SyntheticCity.builder().seed(4).users(60).pois(300).checkIns(5000).build().generate();
    assertThatThrownBy(() -> loaded.evaluate(other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not the data this model was trained on");
  }

  @Test
  void corruptBundlesAreRefused() throws Exception {
    byte[] good = Files.readAllBytes(bundle);

    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 0x40;
    assertRefused("flipped.rpoi", flipped, "payload checksum mismatch");

    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 100);
    assertRefused("truncated.rpoi", truncated, "truncated or extended");

    assertRefused("tiny.rpoi", java.util.Arrays.copyOf(good, 10), "truncated");
    assertRefused("other.rpoi", "not a model at all, just text".getBytes(), "not a Refine-POI");

    byte[] newer = good.clone();
    ByteBuffer.wrap(newer).putInt(8, 99);
    CRC32 crc = new CRC32();
    crc.update(newer, 0, 20);
    ByteBuffer.wrap(newer).putInt(20, (int) crc.getValue());
    assertRefused("newer.rpoi", newer, "format version 99");

    byte[] header = good.clone();
    header[9] ^= 1;
    assertRefused("header.rpoi", header, "header checksum mismatch");
  }

  private static void assertRefused(String name, byte[] bytes, String reason) throws Exception {
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    assertThatThrownBy(() -> NextPoiRecommender.load(file))
        .isInstanceOf(FileFormatException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining(reason);
  }
}
