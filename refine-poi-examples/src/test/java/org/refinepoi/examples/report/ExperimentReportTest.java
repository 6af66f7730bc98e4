package org.refinepoi.examples.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.synth.SyntheticCity;
import org.refinepoi.pipeline.experiment.ExperimentConfig;
import org.refinepoi.pipeline.experiment.ExperimentResult;
import org.refinepoi.pipeline.experiment.RecommendationExperiment;

/**
 * The report of a tiny real experiment run (a synthetic city, the sizes of {@code
 * ExperimentConfig.quick()}, one ablation): every section is there, every picture it references
 * exists and is a non-blank PNG, and sections without data are left out. Writes into {@code
 * -Drefinepoi.report.out=DIR} when given (to open the page), otherwise into a temporary directory.
 */
class ExperimentReportTest {

  @TempDir static Path temp;
  static RecommendationExperiment experiment;
  static ExperimentResult result;
  static Path dir;
  static String html;

  @BeforeAll
  static void run() throws IOException {
    experiment =
        new RecommendationExperiment(
            ExperimentConfig.quick()
                .seed(11)
                .lattices(LatticeSpec.rectangular(4, 4), LatticeSpec.rectangular(2, 2))
                .ablations(EnumSet.of(ExperimentConfig.Ablation.RANDOM_IDS))
                .build());
    result =
        experiment.run(
            SyntheticCity.builder().seed(3).users(60).pois(300).checkIns(5000).build().generate());
    String out = System.getProperty("refinepoi.report.out");
    dir =
        out == null || out.isBlank()
            ? temp.resolve("report")
            : Files.createDirectories(Path.of(out).resolve("experiment"));
    Path index =
        ExperimentPictures.builder(experiment, result)
            .commandLine("refine-poi experiment --data city.tsv --out results --report report")
            .write(dir);
    html = Files.readString(index, StandardCharsets.UTF_8);
  }

  @Test
  void everySectionIsPresent() {
    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .contains("<title>Refine-POI experiment: synthetic-city</title>")
        .doesNotContain("SyntheticCity[")
        .doesNotContain("ExperimentConfig{");
    for (String heading :
        List.of(
            "Contents<",
            "Dataset statistics",
            "Semantic-ID quality",
            "Metrics",
            "Paired bootstrap comparisons",
            "Example recommendations",
            "ID distance to the truth by rank",
            "U-matrix, level 1",
            "Dominant category, level 2",
            "POIs coloured by level-1 cell",
            "Component planes, level 1",
            "Hit histogram, level 1",
            "Interactive map of the POIs by level-1 cell",
            "SFT loss (HSOM)",
            "RL validation NDCG@10 (HSOM)",
            "Provenance")) {
      assertThat(html).as(heading).contains(">" + heading);
    }
    // The metrics table carries the roles; the final row is marked.
    assertThat(html).contains("<th>role</th>").contains("<tr class=\"final\"><td>SFT+GRPO (HSOM)");
    // Provenance: command, seed, versions, date, the config as a table.
    assertThat(html)
        .contains("refine-poi experiment --data city.tsv")
        .contains("<td>seed</td><td>11</td>")
        .contains("<td>protocol \u00b7 sessionGap</td><td>PT24H</td>")
        .contains("Refine-POI version")
        .contains(Runtime.version().toString())
        .contains("<td>rl steps</td>")
        .contains("<td>level1</td><td>4x4</td>");
    // Example lists: four users, five rows each with a reason.
    assertThat(count(html, "<div class=\"example\">")).isEqualTo(4);
    assertThat(count(html, ">history (") + count(html, ">generated<")).isEqualTo(20);
    // The interactive map: one dot per POI, its hover texts inline, nothing from the network.
    assertThat(count(html, "<circle ")).isEqualTo(result.stats().pois());
    assertThat(html)
        .contains("id=\"imap-data\"")
        .doesNotContain("http://")
        .doesNotContain("https://");
    // Element ids are unique (the map's script finds its parts by id).
    Matcher ids = Pattern.compile(" id=\"([^\"]+)\"").matcher(html);
    java.util.Set<String> seen = new java.util.HashSet<>();
    while (ids.find()) {
      assertThat(seen.add(ids.group(1))).as("id %s is unique", ids.group(1)).isTrue();
    }
  }

  @Test
  void everyReferencedPictureExistsAndChartsWithoutDataAreLeftOut() throws IOException {
    Matcher m = Pattern.compile("src=\"([^\"]+)\"").matcher(html);
    List<Path> pictures = new ArrayList<>();
    while (m.find()) {
      pictures.add(dir.resolve(m.group(1)));
    }
    assertThat(pictures)
        .extracting(p -> p.getFileName().toString())
        .contains(
            "metrics-overall.png",
            "id-distance-by-rank.png",
            "component-planes-level-1.png",
            "hit-histogram-level-1.png",
            "poi-map.png",
            "sft-loss-hsom.png",
            "rl-validation-hsom.png");
    PngChecks.checkReport(dir, pictures);
    // Every anchor of the contents leads to a section.
    Matcher links = Pattern.compile("<a href=\"#([a-z0-9-]+)\">").matcher(html);
    int n = 0;
    while (links.find()) {
      assertThat(html).contains("id=\"" + links.group(1) + "\"");
      n++;
    }
    assertThat(n).isGreaterThan(15);
    // The KL/clip chart only when a step has a non-zero KL or clip fraction.
    assertThat(html.contains("grpo-kl-clip-hsom.png"))
        .isEqualTo(ReportWriter.hasKlOrClip(experiment.curves().grpoSteps("HSOM")));
  }

  @Test
  void theExperimentKeepsThePolicyListsTheReportReads() {
    int test = result.stats().samplesPerSplit().get(org.refinepoi.core.protocol.Split.TEST);
    assertThat(experiment.testRankings(RecommendationExperiment.GRPO_HSOM).orElseThrow())
        .hasSize(test)
        .allSatisfy(list -> assertThat(list).hasSizeBetween(1, ExperimentConfig.K));
    assertThat(experiment.testRankings(RecommendationExperiment.GRPO_RANDOM)).isPresent();
    assertThat(experiment.testRankings("Most popular")).isEmpty();
    assertThat(experiment.lastFeatures().orElseThrow().dimension())
        .isEqualTo(result.featureDimension());
    assertThatThrownBy(() -> ExperimentPictures.builder(experiment, result).examples(13))
        .hasMessageContaining("[0, 12]");
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
