package org.refinepoi.pipeline.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.data.MalformedInputLineException;
import org.refinepoi.core.features.PoiFeatureBuilder;
import org.refinepoi.core.protocol.NextPoiProtocol;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.core.protocol.Split;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.core.synth.SyntheticCity;
import org.refinepoi.examples.RefinePoiCli;
import org.refinepoi.examples.cli.ExportCommand;
import org.refinepoi.examples.cli.ScoreCommand;
import org.refinepoi.pipeline.ids.IdScheme;
import picocli.CommandLine;

/**
 * Export on a tiny synthetic city, then fabricated completions scored back: the exact answer earns
 * 1, an answer of the truth's nearest IDs (without the truth) partial credit, garbage 0.
 */
class InteropRoundTripTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<LatticeSpec> LEVELS =
      List.of(LatticeSpec.rectangular(4, 4), LatticeSpec.rectangular(2, 2));
  private static final double TOL = 1e-9;

  @TempDir static Path dir;
  static PreparedData data;
  static SemanticIdIndex index;
  static TrainingDataExporter.Summary summary;

  @BeforeAll
  static void export() throws IOException {
    var raw = SyntheticCity.builder().seed(3).users(60).pois(300).checkIns(5000).build().generate();
    data = NextPoiProtocol.prepare(raw, ProtocolConfig.builder().build());
    var features =
        PoiFeatureBuilder.create().seed(1).fit(data.dataset(), data.checkIns(Split.TRAIN));
    index = IdScheme.HSOM_TREE.fit(data.dataset(), features.matrix(), LEVELS, 1);
    summary = TrainingDataExporter.builder().k(10).build().export(data, index, Split.TEST, dir);
  }

  private static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, UTF_8)) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  @Test
  void trlLinesHaveThePromptAndTheRewardColumns() throws IOException {
    List<JsonNode> rows = lines(dir.resolve("trl-test.jsonl"));
    assertThat(rows).hasSize(data.samples(Split.TEST).size()).hasSize(summary.samples());
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      var sample = data.samples(Split.TEST).get(i);
      String targetPoi = data.dataset().poi(sample.targetPoi()).id();
      assertThat(row.get("prompt").isArray()).isTrue();
      assertThat(row.get("prompt").get(0).get("role").asText()).isEqualTo("user");
      assertThat(row.get("prompt").get(0).get("content").asText())
          .contains("<answer>")
          .contains("which 10 POIs will user");
      assertThat(row.get("ground_truth_id").asText()).isEqualTo(targetPoi);
      assertThat(row.get("ground_truth").asText())
          .isEqualTo(index.format().render(index.idOf(targetPoi)));
      assertThat(row.get("sample_id").asText()).isEqualTo("test-" + i);
      assertThat(row.get("user").asText()).isEqualTo(data.dataset().userIds().get(sample.user()));
      assertThat(row.get("cold_start").asBoolean()).isEqualTo(sample.coldStart());
    }
  }

  @Test
  void verlLinesFollowTheRlDatasetShape() throws IOException {
    List<JsonNode> rows = lines(dir.resolve("verl-test.jsonl"));
    List<JsonNode> trl = lines(dir.resolve("trl-test.jsonl"));
    assertThat(rows).hasSameSizeAs(trl);
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      assertThat(row.get("data_source").asText()).isEqualTo("refine-poi/synthetic-city");
      assertThat(row.get("prompt")).isEqualTo(trl.get(i).get("prompt"));
      assertThat(row.get("ability").asText()).isEqualTo(TrainingDataExporter.ABILITY);
      assertThat(row.get("reward_model").get("style").asText()).isEqualTo("rule");
      assertThat(row.get("reward_model").get("ground_truth"))
          .isEqualTo(trl.get(i).get("ground_truth"));
      JsonNode extra = row.get("extra_info");
      assertThat(extra.get("split").asText()).isEqualTo("test");
      assertThat(extra.get("index").asInt()).isEqualTo(i);
      assertThat(extra.get("ground_truth_id")).isEqualTo(trl.get(i).get("ground_truth_id"));
    }
  }

  @Test
  void vocabularyMapsEveryPoiAndTheManifestChecksumsMatch() throws Exception {
    JsonNode vocab = JSON.readTree(dir.resolve("vocab.json").toFile());
    assertThat(vocab.get("format_version").asInt()).isEqualTo(TrainingDataExporter.FORMAT_VERSION);
    assertThat(vocab.get("levels")).hasSize(2);
    assertThat(vocab.get("levels").get(0).get("rows").asInt()).isEqualTo(4);
    assertThat(vocab.get("tokens")).hasSize(index.vocabulary().size());
    assertThat(vocab.get("pois")).hasSize(data.dataset().poiCount());
    for (JsonNode poi : vocab.get("pois")) {
      assertThat(poi.get("semantic_id").asText())
          .isEqualTo(index.format().render(index.idOf(poi.get("poi_id").asText())));
    }
    assertThat(SemanticIdIndex.load(dir.resolve("index.sid"))).isEqualTo(index);

    JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
    // No SFT file beside the test prompts; the tokenizer additions are in every export.
    assertThat(manifest.get("files").size()).isEqualTo(5);
    assertThat(dir.resolve("sft-test.jsonl")).doesNotExist();
    for (var it = manifest.get("files").properties().iterator(); it.hasNext(); ) {
      var e = it.next();
      byte[] bytes = Files.readAllBytes(dir.resolve(e.getKey()));
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      assertThat(e.getValue().get("sha256").asText()).as(e.getKey()).isEqualTo(sha);
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  /** Writes completions: per sample, one of three kinds chosen by {@code kind}. */
  private static Path completions(String name, String kind) throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode row : lines(dir.resolve("trl-test.jsonl"))) {
      String truthPoi = row.get("ground_truth_id").asText();
      String answer =
          switch (kind) {
            case "exact" -> {
              List<String> ids = new ArrayList<>();
              ids.add(row.get("ground_truth").asText());
              for (SemanticIdIndex.Neighbor n : index.nearest(truthPoi, 9)) {
                ids.add(index.format().render(n.id()));
              }
              yield "<think>the usual</think><answer>" + String.join(", ", ids) + "</answer>";
            }
            case "near" -> {
              List<String> ids = new ArrayList<>();
              for (SemanticIdIndex.Neighbor n : index.nearest(truthPoi, 10)) {
                ids.add(index.format().render(n.id()));
              }
              yield "<think>near</think><answer>" + String.join(", ", ids) + "</answer>";
            }
            default -> "I would go to the park, probably.";
          };
      var line = JSON.createObjectNode();
      line.put("sample_id", row.get("sample_id").asText());
      line.put("completion", answer);
      line.put("ground_truth_id", truthPoi);
      out.add(JSON.writeValueAsString(line));
    }
    Path file = dir.resolve(name);
    Files.write(file, out, UTF_8);
    return file;
  }

  @Test
  void exactAnswersEarnOneNearAnswersPartialCreditGarbageZero() throws IOException {
    CompletionScorer scorer = new CompletionScorer(index, 10);
    assertThat(scorer.termNames())
        .containsExactly(
            "format", "reciprocal_rank", "soft_accuracy", "diversity", "length", "ndcg");

    var exact = scorer.score(completions("exact.jsonl", "exact"));
    assertThat(exact.meanRewards().get(CompletionScorer.COMPOSITE)).isCloseTo(1.0, within(TOL));
    for (String term : scorer.termNames()) {
      assertThat(exact.meanRewards().get(term)).as(term).isCloseTo(1.0, within(TOL));
    }
    assertThat(exact.ranking().acc1()).isCloseTo(1.0, within(TOL));
    assertThat(exact.ranking().mrr()).isCloseTo(1.0, within(TOL));
    assertThat(exact.wellFormed()).isEqualTo(exact.completions());

    List<CompletionScorer.LineScore> nearLines = new ArrayList<>();
    var near = scorer.score(completions("near.jsonl", "near"), nearLines::add);
    assertThat(near.meanRewards().get("reciprocal_rank")).isZero();
    assertThat(near.meanRewards().get("ndcg")).isZero();
    assertThat(near.ranking().acc10()).isZero();
    assertThat(near.meanRewards().get("format")).isCloseTo(1.0, within(TOL));
    for (CompletionScorer.LineScore s : nearLines) {
      assertThat(s.rank()).isZero();
      assertThat(s.terms().get("soft_accuracy")).isStrictlyBetween(0.0, 1.0);
      // format 1, rr 0, diversity 1, length 1, weights 1/1/1/0.5/0.5: (2 + soft) / 4.
      assertThat(s.composite())
          .isCloseTo((2.0 + s.terms().get("soft_accuracy")) / 4.0, within(TOL));
    }

    var garbage = scorer.score(completions("garbage.jsonl", "garbage"));
    assertThat(garbage.meanRewards().values()).allSatisfy(v -> assertThat(v).isZero());
    assertThat(garbage.ranking().acc10()).isZero();
    assertThat(garbage.parsable()).isZero();
  }

  @Test
  void scoreCommandPrintsTheTablesAndWritesPerLineScores() throws IOException {
    Path in = completions("exact-cli.jsonl", "exact");
    Path out = dir.resolve("scores.jsonl");
    StringWriter text = new StringWriter();
    CommandLine cli = new CommandLine(new ScoreCommand());
    cli.setOut(new PrintWriter(text, true));
    int code =
        cli.execute(
            "--index",
            dir.resolve("index.sid").toString(),
            "--completions",
            in.toString(),
            "--out",
            out.toString());
    assertThat(code).isZero();
    assertThat(text.toString())
        .contains("| composite | 1.0000 |")
        .contains("| soft_accuracy | 1.0000 |")
        .contains("| 1.0000 | 1.0000 | 1.0000 | 1.0000 | 1.0000 | 1.0000 |");
    List<JsonNode> scores = lines(out);
    assertThat(scores).hasSize(summary.samples());
    assertThat(scores.get(0).get("sample_id").asText()).isEqualTo("test-0");
    assertThat(scores.get(0).get("composite").asDouble()).isCloseTo(1.0, within(TOL));
    assertThat(scores.get(0).get("rank").asInt()).isEqualTo(1);
  }

  @Test
  void groundTruthMayBeTheSemanticIdAndChatCompletionsAreRead() throws IOException {
    JsonNode first = lines(dir.resolve("trl-test.jsonl")).getFirst();
    String truth = first.get("ground_truth").asText();
    String line =
        "{\"completion\":[{\"role\":\"assistant\",\"content\":\"<answer>"
            + truth
            + "</answer>\"}],\"ground_truth\":\""
            + truth
            + "\"}";
    Path file = dir.resolve("chat.jsonl");
    Files.writeString(file, line + "\n\n", UTF_8);
    var report = new CompletionScorer(index, 10).score(file);
    assertThat(report.completions()).isEqualTo(1);
    assertThat(report.meanRewards().get("reciprocal_rank")).isCloseTo(1.0, within(TOL));
    // One item of ten asked: the length term (linear) gives 1 - 9/10.
    assertThat(report.meanRewards().get("length")).isCloseTo(0.1, within(TOL));
  }

  @Test
  void completionsWithoutTruthTakeItFromTheExportBySampleId() throws IOException {
    List<String> out = new ArrayList<>();
    for (JsonNode row : lines(dir.resolve("trl-test.jsonl"))) {
      var line = JSON.createObjectNode();
      line.put("sample_id", row.get("sample_id").asText());
      line.put("completion", "<answer>" + row.get("ground_truth").asText() + "</answer>");
      out.add(JSON.writeValueAsString(line));
    }
    Path file = dir.resolve("by-sample-id.jsonl");
    Files.write(file, out, UTF_8);
    CompletionScorer scorer = new CompletionScorer(index, 10);
    assertThatThrownBy(() -> scorer.score(file)).hasMessageContaining(":1: missing the truth");
    for (String samples : List.of("trl-test.jsonl", "verl-test.jsonl")) {
      var report = scorer.withSamples(dir.resolve(samples)).score(file);
      assertThat(report.completions()).isEqualTo(summary.samples());
      assertThat(report.ranking().acc1()).as(samples).isCloseTo(1.0, within(TOL));
    }
    Path stranger = dir.resolve("stranger.jsonl");
    Files.writeString(stranger, "{\"sample_id\":\"test-999999\",\"completion\":\"x\"}\n");
    assertThatThrownBy(() -> scorer.withSamples(dir.resolve("trl-test.jsonl")).score(stranger))
        .hasMessageContaining(":1: sample_id 'test-999999' is not in");
    Path twice = dir.resolve("twice.jsonl");
    String first = Files.readAllLines(dir.resolve("trl-test.jsonl"), UTF_8).getFirst();
    Files.write(twice, List.of(first, first), UTF_8);
    assertThatThrownBy(() -> scorer.withSamples(twice))
        .hasMessage(twice + ":2: sample_id 'test-0' appears twice");
  }

  @Test
  void malformedLinesNameTheFileAndLine() throws IOException {
    CompletionScorer scorer = new CompletionScorer(index, 10);
    String good =
        "{\"completion\":\"<answer></answer>\",\"ground_truth_id\":\"%s\"}"
            .formatted(index.entries().getFirst().poiId());
    Path badJson = dir.resolve("bad-json.jsonl");
    Files.writeString(badJson, good + "\n{\"completion\": oops}\n", UTF_8);
    assertThatThrownBy(() -> scorer.score(badJson))
        .isInstanceOf(MalformedInputLineException.class)
        .hasMessageStartingWith(badJson + ":2: not valid JSON");

    Path unknown = dir.resolve("unknown.jsonl");
    Files.writeString(
        unknown, good + "\n" + good + "\n{\"completion\":\"x\",\"ground_truth_id\":\"nope\"}\n");
    assertThatThrownBy(() -> scorer.score(unknown))
        .hasMessage(unknown + ":3: ground_truth_id 'nope' is not a POI of the index");

    Path noTruth = dir.resolve("no-truth.jsonl");
    Files.writeString(noTruth, "{\"completion\":\"x\"}\n");
    assertThatThrownBy(() -> scorer.score(noTruth)).hasMessageContaining(":1: missing the truth");

    Path noCompletion = dir.resolve("no-completion.jsonl");
    Files.writeString(noCompletion, "[1,2]\n");
    assertThatThrownBy(() -> scorer.score(noCompletion))
        .hasMessageContaining(":1: expected a JSON object per line");

    Path empty = dir.resolve("empty.jsonl");
    Files.writeString(empty, "\n");
    assertThatThrownBy(() -> scorer.score(empty)).hasMessageContaining("no completions");
  }

  @Test
  void exportCommandWritesEveryFileForEachIdScheme(@TempDir Path out) {
    for (String scheme : List.of("hsom", "rqkmeans", "random")) {
      Path target = out.resolve(scheme);
      StringWriter text = new StringWriter();
      CommandLine cli = new CommandLine(new ExportCommand());
      cli.setOut(new PrintWriter(text, true));
      int code =
          cli.execute(
              "--synthetic",
              "--users",
              "60",
              "--pois",
              "300",
              "--check-ins",
              "5000",
              "--levels",
              "4x4,2x2",
              "--ids",
              scheme,
              "--prompt",
              "text",
              "--split",
              "validation",
              "--out",
              target.toString());
      assertThat(code).as(text.toString()).isZero();
      assertThat(text.toString()).contains("IDs: " + scheme).contains("validation samples");
      for (String f :
          List.of(
              "trl-validation.jsonl",
              "verl-validation.jsonl",
              "sft-validation.jsonl",
              "added_tokens.txt",
              "vocab.json",
              "index.sid")) {
        assertThat(target.resolve(f)).isNotEmptyFile();
      }
      assertThat(text.toString()).contains("sft-validation.jsonl").contains("added_tokens.txt");
    }
  }

  /**
   * A TSMC2014 log: 12 users walking a loop of 12 POIs, 4 check-ins a day (3 hours apart, one
   * session per day) for 10 days, so every user and POI passes the protocol's filters.
   */
  private static String tinyTsmc() {
    StringBuilder sb = new StringBuilder();
    String[] days = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    for (int day = 0; day < 10; day++) {
      for (int user = 0; user < 12; user++) {
        for (int step = 0; step < 4; step++) {
          int poi = (user + step + day) % 12;
          sb.append(
              "%d\t%024x\tcat%d\tCafe\t40.7%d\t-74.0%d\t-240\t%s Apr %02d %02d:00:00 +0000 2012\n"
                  .formatted(
                      user, poi, poi % 3, poi, poi, days[day], day + 2, step * 3 + user % 3));
        }
      }
    }
    return sb.toString();
  }

  @Test
  void exportCommandReadsACheckInFileAndNamesItsBadLines(@TempDir Path tmp) throws IOException {
    Path data = tmp.resolve("checkins.tsv");
    Files.writeString(data, tinyTsmc(), UTF_8);
    StringWriter text = new StringWriter();
    CommandLine cli = new CommandLine(new ExportCommand());
    cli.setOut(new PrintWriter(text, true));
    Path out = tmp.resolve("export");
    int code =
        cli.execute(
            "--data",
            data.toString(),
            "--levels",
            "2x2,2x2",
            "--split",
            "test",
            "--out",
            out.toString());
    assertThat(code).as(text.toString()).isZero();
    assertThat(text.toString()).contains("test samples of checkins.tsv");
    JsonNode first = JSON.readTree(Files.readAllLines(out.resolve("trl-test.jsonl")).getFirst());
    assertThat(first.get("ground_truth_id").asText()).matches("[0-9a-f]{24}");
    assertThat(JSON.readTree(out.resolve("vocab.json").toFile()).get("pois")).hasSize(12);

    Files.writeString(data, tinyTsmc() + "7\tnot-a-line\n", UTF_8);
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    code = cli.execute("--data", data.toString(), "--out", out.toString());
    assertThat(code).isNotZero();
    assertThat(err.toString()).contains("checkins.tsv:481");
  }

  @Test
  void exportCommandRejectsBadOptionsWithTheReason() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(RefinePoiCli.class);
    assertThat(cli.getSubcommands()).containsKeys("export", "score");
    cli.setErr(new PrintWriter(err, true));
    assertThat(cli.execute("export", "--synthetic", "--ids", "kmeans", "--out", "x")).isNotZero();
    assertThat(err.toString()).contains("unknown ID scheme 'kmeans'");
    assertThat(cli.execute("export", "--synthetic", "--split", "dev", "--out", "x")).isNotZero();
    assertThat(err.toString()).contains("--split must be 'train', 'validation' or 'test'");
    assertThat(cli.execute("export", "--synthetic", "--levels", "4by4", "--out", "x")).isNotZero();
    assertThat(err.toString()).contains("--levels must be lattices like 16x16,4x4");
    assertThat(cli.execute("export", "--out", "x")).isNotZero();
  }
}
