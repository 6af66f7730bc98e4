package org.refinepoi.pipeline.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.features.PoiFeatureBuilder;
import org.refinepoi.core.protocol.NextPoiProtocol;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.protocol.Split;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.core.synth.SyntheticCity;
import org.refinepoi.pipeline.ids.IdScheme;
import org.refinepoi.rl.reward.AnswerParser;
import org.refinepoi.rl.reward.FormatReward;
import org.refinepoi.rl.reward.LengthReward;
import org.refinepoi.rl.reward.ParsedAnswer;

/**
 * The SFT file and the tokenizer additions of an export: every completion parses back, with the
 * Java answer parser, into a well-formed list that starts with the target (format term 1), the fill
 * follows {@link SftAnswer}'s rule, the manifest lists the new files, and {@code score} reads them
 * (values exact: every assertion is on parsed IDs or on rewards that are 0, 1 or {@code 1/k} to
 * 1e-12).
 */
class SftExportTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int K = 10;
  private static final double TOL = 1e-12;

  @TempDir static Path dir;
  static PreparedData data;
  static SemanticIdIndex index;
  static TrainingDataExporter.Summary summary;

  @BeforeAll
  static void export() throws IOException {
    var raw = SyntheticCity.builder().seed(5).users(40).pois(300).checkIns(4000).build().generate();
    data = NextPoiProtocol.prepare(raw, ProtocolConfig.builder().build());
    var features =
        PoiFeatureBuilder.create().seed(1).fit(data.dataset(), data.checkIns(Split.TRAIN));
    index =
        IdScheme.RANDOM.fit(
            data.dataset(),
            features.matrix(),
            List.of(LatticeSpec.rectangular(4, 4), LatticeSpec.rectangular(2, 2)),
            1);
    summary =
        TrainingDataExporter.builder()
            .k(K)
            .longTermCheckIns(6)
            .build()
            .export(data, index, Split.TRAIN, dir);
  }

  private static List<JsonNode> lines(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, UTF_8)) {
      out.add(JSON.readTree(line));
    }
    return out;
  }

  private static SemanticId idOfPoi(int poi) {
    return index.idOf(data.dataset().poi(poi).id());
  }

  @Test
  void everyCompletionParsesBackIntoTheTargetFirstAndAFullWellFormedList() throws IOException {
    List<JsonNode> sft = lines(dir.resolve("sft-train.jsonl"));
    List<JsonNode> trl = lines(dir.resolve("trl-train.jsonl"));
    List<Sample> samples = data.samples(Split.TRAIN);
    assertThat(sft).hasSize(samples.size()).hasSize(summary.samples());
    AnswerParser parser = AnswerParser.forIndex(index, K);
    FormatReward format = FormatReward.strict(K);
    LengthReward length = LengthReward.linear(K);
    for (int i = 0; i < sft.size(); i++) {
      JsonNode row = sft.get(i);
      Sample sample = samples.get(i);
      assertThat(row.get("prompt")).isEqualTo(trl.get(i).get("prompt"));
      assertThat(row.get("sample_id").asText()).isEqualTo("train-" + i);
      assertThat(row.get("completion")).hasSize(1);
      assertThat(row.get("completion").get(0).get("role").asText()).isEqualTo("assistant");
      String text = row.get("completion").get(0).get("content").asText();
      assertThat(text).startsWith("<think></think><answer>").endsWith("</answer>");

      ParsedAnswer answer = parser.parse(text);
      SemanticId truth = idOfPoi(sample.targetPoi());
      assertThat(answer.wellFormed()).as(text).isTrue();
      assertThat(answer.items()).hasSize(K).doesNotHaveDuplicates();
      assertThat(answer.items().getFirst()).isEqualTo(truth);
      assertThat(index.idOf(row.get("ground_truth_id").asText())).isEqualTo(truth);
      assertThat(row.get("ground_truth").asText()).isEqualTo(index.format().render(truth));
      assertThat(format.score(answer, truth)).isEqualTo(1.0);
      assertThat(length.score(answer, truth)).isEqualTo(1.0);
      assertFillRule(sample, answer.items());
    }
  }

  /**
   * After the target: the prompt's POIs (most visited, then most recent), then the target's nearest
   * IDs in non-decreasing distance.
   */
  private static void assertFillRule(Sample sample, List<SemanticId> items) {
    List<CheckIn> longTerm = sample.longTerm();
    List<CheckIn> shown =
        new ArrayList<>(longTerm.subList(Math.max(0, longTerm.size() - 6), longTerm.size()));
    shown.addAll(sample.shortTerm());
    Set<SemanticId> shownIds = new LinkedHashSet<>();
    for (CheckIn c : shown) {
      if (c.poi() != sample.targetPoi()) {
        shownIds.add(idOfPoi(c.poi()));
      }
    }
    int fromHistory = Math.min(K - 1, shownIds.size());
    assertThat(new HashSet<>(items.subList(1, 1 + fromHistory))).isSubsetOf(shownIds);
    SemanticId truth = items.getFirst();
    double previous = 0;
    for (SemanticId id : items.subList(1 + fromHistory, items.size())) {
      assertThat(shownIds).doesNotContain(id);
      double d = index.space().distance(truth, id);
      assertThat(d).isGreaterThanOrEqualTo(previous);
      previous = d;
    }
    if (fromHistory >= 2) {
      // The most visited POI of the prompt (other than the target) comes right after the target.
      int best = 0;
      for (SemanticId id : shownIds) {
        best = Math.max(best, visits(shown, id));
      }
      assertThat(visits(shown, items.get(1))).isEqualTo(best);
    }
  }

  private static int visits(List<CheckIn> shown, SemanticId id) {
    int n = 0;
    for (CheckIn c : shown) {
      n += idOfPoi(c.poi()).equals(id) ? 1 : 0;
    }
    return n;
  }

  @Test
  void targetOnlyAnswersHoldTheTargetAloneAndTextPromptsArePlainStrings(@TempDir Path out)
      throws IOException {
    TrainingDataExporter.builder()
        .k(K)
        .sftAnswer(SftAnswer.TARGET_ONLY)
        .promptStyle(TrainingDataExporter.PromptStyle.TEXT)
        .build()
        .export(data, index, Split.VALIDATION, out);
    List<JsonNode> sft = lines(out.resolve("sft-validation.jsonl"));
    List<Sample> samples = data.samples(Split.VALIDATION);
    assertThat(sft).hasSize(samples.size());
    AnswerParser parser = AnswerParser.forIndex(index, K);
    for (int i = 0; i < sft.size(); i++) {
      assertThat(sft.get(i).get("prompt").isTextual()).isTrue();
      ParsedAnswer answer = parser.parse(sft.get(i).get("completion").asText());
      SemanticId truth = idOfPoi(samples.get(i).targetPoi());
      assertThat(answer.items()).containsExactly(truth);
      assertThat(FormatReward.strict(K).score(answer, truth)).isEqualTo(1.0);
      assertThat(LengthReward.linear(K).score(answer, truth)).isCloseTo(1.0 / K, within(TOL));
    }
    assertThat(ExportManifest.read(out.resolve(ExportManifest.FILE)).setting("sft_answer"))
        .contains("target");
  }

  @Test
  void theManifestListsTheSftFileAndTheTokenizerAdditions() throws IOException {
    ExportManifest manifest = ExportManifest.read(dir.resolve(ExportManifest.FILE));
    assertThat(manifest.files().keySet())
        .containsExactly(
            "trl-train.jsonl",
            "verl-train.jsonl",
            "sft-train.jsonl",
            TrainingDataExporter.TOKENS_FILE,
            TrainingDataExporter.VOCAB_FILE,
            TrainingDataExporter.INDEX_FILE);
    assertThat(manifest.files().get("sft-train.jsonl").lines()).hasValue(summary.samples());
    assertThat(manifest.setting("sft_answer")).contains("list");
    for (String name : manifest.files().keySet()) {
      manifest.verify(dir.resolve(name));
    }
    assertThat(summary.files().stream().map(p -> p.getFileName().toString()))
        .containsExactly(
            "trl-train.jsonl",
            "verl-train.jsonl",
            "sft-train.jsonl",
            TrainingDataExporter.TOKENS_FILE,
            TrainingDataExporter.VOCAB_FILE,
            TrainingDataExporter.INDEX_FILE,
            ExportManifest.FILE);

    List<String> expected = new ArrayList<>(index.vocabulary().tokens());
    expected.addAll(TrainingDataExporter.ANSWER_TAGS);
    assertThat(Files.readAllLines(dir.resolve(TrainingDataExporter.TOKENS_FILE), UTF_8))
        .containsExactlyElementsOf(expected);
    JsonNode vocab = JSON.readTree(dir.resolve(TrainingDataExporter.VOCAB_FILE).toFile());
    List<String> vocabTokens = new ArrayList<>();
    vocab.get("tokens").forEach(t -> vocabTokens.add(t.asText()));
    vocab.get("answer_tags").forEach(t -> vocabTokens.add(t.asText()));
    assertThat(vocabTokens).containsExactlyElementsOf(expected);
  }

  @Test
  void theScorerReadsTheSftFileAsCompletionsAndRefusesAnEditedOne() throws IOException {
    // The SFT lines carry a chat completion, the truth and the sample id: a perfect model's output.
    Path sft = dir.resolve("sft-train.jsonl");
    ExportManifest.verifyAgainstTheirExport(sft, dir.resolve(TrainingDataExporter.INDEX_FILE));
    var report = new CompletionScorer(index, K).withSamples(sft).score(sft);
    assertThat(report.completions()).isEqualTo(summary.samples());
    assertThat(report.wellFormed()).isEqualTo(summary.samples());
    assertThat(report.meanRewards().get("format")).isCloseTo(1.0, within(TOL));
    assertThat(report.meanRewards().get("reciprocal_rank")).isCloseTo(1.0, within(TOL));
    assertThat(report.meanRewards().get("length")).isCloseTo(1.0, within(TOL));
    assertThat(report.ranking().acc1()).isCloseTo(1.0, within(TOL));

    Path copy = Files.createTempDirectory(dir, "edited");
    for (String name : List.of("sft-train.jsonl", ExportManifest.FILE)) {
      Files.copy(dir.resolve(name), copy.resolve(name));
    }
    Files.writeString(
        copy.resolve("sft-train.jsonl"), "\n", UTF_8, java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(
            () -> ExportManifest.verifyAgainstTheirExport(copy.resolve("sft-train.jsonl")))
        .hasMessageContaining("does not match");
  }

  /**
   * The Python rewards of {@code interop/python} on the same SFT file: every completion earns the
   * format term 1 and the composite 1 (printed as the minimum over the file, exact to 1e-12).
   * Skipped when no {@code python3} of version 3.9 or newer is on the PATH.
   */
  @Test
  void thePythonRewardsGiveEverySftCompletionFormatAndCompositeOne() throws Exception {
    Path bridge = Path.of("..", "interop", "python").toAbsolutePath().normalize();
    assertThat(bridge.resolve("refine_poi_rewards")).isDirectory();
    String script =
        String.join(
            "\n",
            "import json, sys",
            "if sys.version_info < (3, 9): sys.exit(3)",
            "from refine_poi_rewards import trl_reward",
            "rows = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]",
            "kw = dict(completions=[r['completion'] for r in rows],",
            "          ground_truth=[r['ground_truth'] for r in rows],",
            "          ground_truth_id=[r['ground_truth_id'] for r in rows])",
            "fmt = trl_reward(sys.argv[2], k=int(sys.argv[3]), term='format')(**kw)",
            "total = trl_reward(sys.argv[2], k=int(sys.argv[3]))(**kw)",
            "print(len(rows), repr(min(fmt)), repr(min(total)))");
    ProcessBuilder pb =
        new ProcessBuilder(
                "python3",
                "-B",
                "-c",
                script,
                dir.resolve("sft-train.jsonl").toString(),
                dir.resolve(TrainingDataExporter.VOCAB_FILE).toString(),
                String.valueOf(K))
            .directory(bridge.toFile())
            .redirectErrorStream(true);
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    pb.environment().put("PYTHONPATH", bridge.toString());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      Assumptions.abort("python3 is not on the PATH: " + e.getMessage());
      return;
    }
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), UTF_8).strip();
    int exit = p.waitFor();
    Assumptions.assumeTrue(exit != 3, "python3 is older than 3.9");
    assertThat(exit).as(output).isZero();
    String[] fields = output.lines().reduce((a, b) -> b).orElse("").split(" ");
    assertThat(fields).as(output).hasSize(3);
    assertThat(Long.parseLong(fields[0])).isEqualTo(summary.samples());
    assertThat(Double.parseDouble(fields[1])).isCloseTo(1.0, within(TOL));
    assertThat(Double.parseDouble(fields[2])).isCloseTo(1.0, within(TOL));
  }

  @Test
  void theTestSplitGetsNoSftFile(@TempDir Path out) throws IOException {
    var written = TrainingDataExporter.builder().k(K).build().export(data, index, Split.TEST, out);
    assertThat(out.resolve("sft-test.jsonl")).doesNotExist();
    assertThat(written.files()).contains(out.resolve(TrainingDataExporter.TOKENS_FILE));
    assertThat(ExportManifest.read(out.resolve(ExportManifest.FILE)).files())
        .doesNotContainKey("sft-test.jsonl")
        .containsKey(TrainingDataExporter.TOKENS_FILE);
  }

  @Test
  void sftAnswerNamesParseAndBadOnesAreRefusedWithTheReason() {
    for (SftAnswer a : SftAnswer.values()) {
      assertThat(SftAnswer.parse(a.cliName())).isEqualTo(a);
    }
    assertThatThrownBy(() -> SftAnswer.parse("top1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'list' or 'target'");
  }
}
