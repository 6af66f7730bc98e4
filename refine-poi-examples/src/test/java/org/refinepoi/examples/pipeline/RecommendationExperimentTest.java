package org.refinepoi.examples.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.eval.MetricsReport;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.synth.SyntheticCity;

/** The whole experiment on a tiny synthetic city with a tiny model (sizes of {@code quick()}). */
class RecommendationExperimentTest {

  static ExperimentResult result;

  static final List<String> METHODS =
      List.of(
          "MostPopular",
          "UserMostVisited",
          "MarkovTransition",
          "PopularNearLastCheckIn",
          "RepeatAwareBlend",
          RecommendationExperiment.SFT_HSOM,
          RecommendationExperiment.GRPO_HSOM,
          RecommendationExperiment.GRPO_COPY_OFF,
          RecommendationExperiment.GRPO_SUMMARY_OFF,
          RecommendationExperiment.GRPO_RQ,
          RecommendationExperiment.GRPO_RANDOM,
          RecommendationExperiment.TOKEN_GRPO);

  static CheckInDataset city() {
    return SyntheticCity.builder().seed(3).users(60).pois(300).checkIns(5000).build().generate();
  }

  static ExperimentConfig config() {
    return ExperimentConfig.quick()
        .seed(11)
        .lattices(LatticeSpec.rectangular(3, 3), LatticeSpec.rectangular(2, 2))
        .build();
  }

  @BeforeAll
  static void run() {
    result = new RecommendationExperiment(config()).run(city());
  }

  @Test
  void everyMethodAndSchemeIsEvaluatedOnTheTestSplit() {
    assertThat(result.methods())
        .extracting(MethodResult::method)
        .containsExactlyElementsOf(METHODS);
    assertThat(result.schemes()).extracting(SchemeIds::scheme).containsExactly(IdScheme.values());
    long testSamples = result.stats().samplesPerSplit().get(org.refinepoi.core.protocol.Split.TEST);
    for (MethodResult m : result.methods()) {
      MetricsReport overall = m.evaluation().overall();
      assertThat(overall.count()).as(m.method()).isEqualTo(testSamples);
      assertThat(overall.acc1()).isLessThanOrEqualTo(overall.acc5());
      assertThat(overall.acc5()).isLessThanOrEqualTo(overall.acc10());
      assertThat(m.evaluation().listSize()).isEqualTo(ExperimentConfig.K);
    }
    MethodResult grpo = method(RecommendationExperiment.GRPO_HSOM);
    assertThat(grpo.role()).isEqualTo("final");
    assertThat(grpo.details())
        .containsEntry("rl_steps", 2)
        .containsEntry("rl_rollouts", 2L * 2 * 4)
        .containsKey("rl_rollouts_per_s")
        .containsKey("rl_best_step")
        .containsKey("rl_accepted")
        .containsKey("rl_acceptance_ndcg10_gain_lo");
    // validation before the first step and after each (validateEvery 1)
    assertThat((List<?>) grpo.details().get("rl_validation_ndcg10")).hasSize(3);
    assertThat((Double) grpo.details().get("rl_rollouts_per_s")).isPositive();
    MethodResult sft = method(RecommendationExperiment.SFT_HSOM);
    assertThat(sft.role()).isEqualTo("sft");
    assertThat((Double) sft.details().get("sft_samples_per_s")).isPositive();
    assertThat(sft.details()).containsEntry("sft_epochs_run", 1);
    // the final model's training time includes its SFT
    assertThat(grpo.trainSeconds()).isGreaterThanOrEqualTo(sft.trainSeconds());
    assertThat(result.methods().stream().filter(m -> m.role().equals("final"))).hasSize(1);
    assertThat(method(RecommendationExperiment.TOKEN_GRPO).role()).isEqualTo("ablation");
    assertThat(method("RepeatAwareBlend").role()).isEqualTo("baseline");
    for (MethodResult m : result.methods()) {
      assertThat(m.testRanks()).as(m.method()).hasSize((int) testSamples);
    }
  }

  @Test
  void comparisonsPairTheFinalModelWithSftAndTheBestBaseline() {
    assertThat(result.comparisons()).containsOnlyKeys("final_vs_sft", "final_vs_best_baseline");
    Comparison vsSft = result.comparisons().get("final_vs_sft");
    assertThat(vsSft.method()).isEqualTo(RecommendationExperiment.GRPO_HSOM);
    assertThat(vsSft.against()).isEqualTo(RecommendationExperiment.SFT_HSOM);
    assertThat(vsSft.intervals()).containsKeys("ndcg@10", "acc@1", "acc@10");
    MethodResult fin = method(RecommendationExperiment.GRPO_HSOM);
    MethodResult sft = method(RecommendationExperiment.SFT_HSOM);
    // the observed delta is the difference of the reported means (to rounding)
    assertThat(vsSft.intervals().get("ndcg@10").delta())
        .isCloseTo(
            fin.evaluation().overall().ndcg10() - sft.evaluation().overall().ndcg10(),
            org.assertj.core.data.Offset.offset(1e-12));
    vsSft.intervals().values().forEach(i -> assertThat(i.lo()).isLessThanOrEqualTo(i.hi()));
    String against = result.comparisons().get("final_vs_best_baseline").against();
    assertThat(method(against).role()).isEqualTo("baseline");
  }

  @Test
  void schemesGiveEveryPoiADistinctIdWithSaneQuality() {
    int pois = result.stats().pois();
    for (SchemeIds s : result.schemes()) {
      assertThat(s.idsByPoi()).as(s.scheme().label()).hasSize(pois).doesNotHaveDuplicates();
      for (SemanticId id : s.idsByPoi()) {
        s.space().checkMember(id);
      }
      assertThat(s.quality().trustworthiness()).isBetween(0.0, 1.0);
      assertThat(s.quality().continuity()).isBetween(0.0, 1.0);
      assertThat(s.quality().collisionRate()).isBetween(0.0, 1.0);
      assertThat(s.quality().quantizationError()).hasSize(2);
    }
    assertThat(scheme(IdScheme.HSOM_TREE).quality().topographicError()).hasSize(2);
    assertThat(scheme(IdScheme.RQ_KMEANS).quality().topographicError())
        .allMatch(te -> te.isEmpty());
  }

  @Test
  void writesWellFormedJsonAndMarkdown(@TempDir Path dir) throws IOException {
    ExperimentReports.writeAll(dir, result);
    ObjectMapper mapper = new ObjectMapper();
    JsonNode metrics = mapper.readTree(dir.resolve("metrics.json").toFile());
    assertThat(metrics.get("format").asText()).isEqualTo(ExperimentReports.METRICS_FORMAT);
    assertThat(metrics.get("version").asInt()).isEqualTo(ExperimentReports.VERSION);
    assertThat(metrics.get("seed").asLong()).isEqualTo(11);
    assertThat(metrics.get("samples").get("test").asInt()).isPositive();
    List<String> names = new ArrayList<>();
    for (JsonNode m : metrics.get("methods")) {
      names.add(m.get("method").asText());
      for (String subset : List.of("overall", "cold_start")) {
        JsonNode r = m.get(subset);
        assertThat(r.has("samples")).isTrue();
        for (String key : List.of("acc@1", "acc@5", "acc@10", "ndcg@5", "ndcg@10", "mrr")) {
          assertThat(r.has(key)).as("%s %s %s", m.get("method"), subset, key).isTrue();
          if (r.get("samples").asLong() > 0) {
            assertThat(r.get(key).asDouble()).isBetween(0.0, 1.0);
          } else {
            assertThat(r.get(key).isNull()).isTrue();
          }
        }
      }
      assertThat(m.get("seed").asLong()).isEqualTo(11);
      assertThat(m.get("train_seconds").asDouble()).isNotNegative();
      assertThat(m.get("role").asText()).isIn("baseline", "sft", "final", "ablation");
    }
    JsonNode comparisons = metrics.get("comparisons");
    for (String pair : List.of("final_vs_sft", "final_vs_best_baseline")) {
      for (String key : List.of("ndcg@10", "acc@1", "acc@10")) {
        JsonNode i = comparisons.get(pair).get(key);
        assertThat(i.has("delta") && i.has("lo") && i.has("hi")).as("%s %s", pair, key).isTrue();
      }
    }
    assertThat(names).containsExactlyElementsOf(METHODS);

    JsonNode quality = mapper.readTree(dir.resolve("sid-quality.json").toFile());
    assertThat(quality.get("format").asText()).isEqualTo(ExperimentReports.SID_QUALITY_FORMAT);
    JsonNode schemes = quality.get("schemes");
    for (IdScheme s : IdScheme.values()) {
      JsonNode node = schemes.get(s.key());
      assertThat(node).as(s.key()).isNotNull();
      assertThat(node.get("qe_per_level")).hasSize(2);
      for (String key :
          List.of(
              "trustworthiness",
              "continuity",
              "spearman",
              "collision_rate",
              "level1_perplexity",
              "te")) {
        assertThat(node.has(key)).as("%s %s", s.key(), key).isTrue();
      }
    }
    assertThat(schemes.get("hsom-tree").get("te").isNumber()).isTrue();
    assertThat(schemes.get("random").get("te").isNull()).isTrue();

    String md = Files.readString(dir.resolve("results.md"));
    assertThat(md)
        .contains("| HSOM TREE ")
        .contains("| RQ-KMeans ")
        .contains("| " + RecommendationExperiment.GRPO_RANDOM)
        .contains("| cold-start ");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("metrics.json", "sid-quality.json", "results.md");
    }
  }

  @Test
  void sameSeedSameIdsAndBaselines() {
    ExperimentConfig config = config();
    List<SchemeIds> again =
        new RecommendationExperiment(config)
            .idSchemes(
                org.refinepoi.core.protocol.NextPoiProtocol.prepare(city(), config.protocol()));
    for (int i = 0; i < again.size(); i++) {
      assertThat(again.get(i).idsByPoi()).isEqualTo(result.schemes().get(i).idsByPoi());
      assertThat(again.get(i).quality()).isEqualTo(result.schemes().get(i).quality());
    }
  }

  @Test
  void configRejectsBadValuesWithTheirNames() {
    assertThatThrownBy(() -> ExperimentConfig.builder().groupSize(1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("group size");
    assertThatThrownBy(() -> ExperimentConfig.builder().model(30, 1, 4, 8))
        .hasMessageContaining("divisible");
    assertThatThrownBy(() -> ExperimentConfig.builder().beamWidth(5))
        .hasMessageContaining("beam width");
    assertThatThrownBy(() -> ExperimentConfig.builder().sft(1, 8, Double.NaN, 0))
        .hasMessageContaining("learning rate");
    assertThatThrownBy(() -> ExperimentConfig.builder().grpo(-1, 8, 1e-4, 0))
        .hasMessageContaining("GRPO steps");
  }

  @Test
  void aLatticeLargerThanTheCatalogueIsRefusedClearly() {
    ExperimentConfig tooBig =
        ExperimentConfig.quick()
            .lattices(LatticeSpec.rectangular(40, 40), LatticeSpec.rectangular(2, 2))
            .build();
    assertThatThrownBy(() -> new RecommendationExperiment(tooBig).run(city()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("level-1 cells")
        .hasMessageContaining("smaller lattice");
  }

  static MethodResult method(String name) {
    return result.methods().stream().filter(m -> m.method().equals(name)).findFirst().orElseThrow();
  }

  static SchemeIds scheme(IdScheme s) {
    return result.schemes().stream().filter(x -> x.scheme() == s).findFirst().orElseThrow();
  }
}
