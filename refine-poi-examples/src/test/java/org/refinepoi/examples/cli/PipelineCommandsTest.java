package org.refinepoi.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.examples.RefinePoiCli;
import picocli.CommandLine;

/** The {@code ids}, {@code bench rec} and {@code demo} commands at tiny sizes. */
class PipelineCommandsTest {

  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(RefinePoiCliAccess.root());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  /** Access to the app's root command (its constructor is private). */
  static final class RefinePoiCliAccess {
    static Object root() {
      try {
        var c = RefinePoiCli.class.getDeclaredConstructor();
        c.setAccessible(true);
        return c.newInstance();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static final java.time.format.DateTimeFormatter DAY =
      java.time.format.DateTimeFormatter.ofPattern("EEE MMM dd", java.util.Locale.ROOT);

  /**
   * A TSMC2014 log: 30 users over 20 days (every other day), each day one session of 4 check-ins (3
   * hours apart) at POIs drawn from a loop of 60: every user and POI passes the 10-check-in filter.
   */
  static Path tinyTsmc(Path dir) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int day = 0; day < 20; day++) {
      // every other day: the 24-hour gap splits one session per day
      java.time.LocalDate date = java.time.LocalDate.of(2012, 4, 1).plusDays(2L * day);
      for (int user = 0; user < 30; user++) {
        for (int step = 0; step < 4; step++) {
          int poi = (user * 2 + step * 7 + day * 3) % 60;
          sb.append(user)
              .append('\t')
              .append(String.format("%024x", poi))
              .append("\tcat")
              .append(poi % 5)
              .append("\tCategory ")
              .append(poi % 5)
              .append('\t')
              .append(String.format(java.util.Locale.ROOT, "%.5f", 40.70 + 0.002 * (poi % 8)))
              .append('\t')
              .append(String.format(java.util.Locale.ROOT, "%.5f", -74.0 + 0.002 * (poi / 8)))
              .append("\t-240\t")
              .append(date.format(DAY))
              .append(' ')
              .append(String.format("%02d", 8 + step * 3))
              .append(':')
              .append(String.format("%02d", user))
              .append(":00 +0000 ")
              .append(date.getYear())
              .append('\n');
        }
      }
    }
    Path file = dir.resolve("tiny.tsv");
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void idsWritesTheQualityOfTheFourSchemes(@TempDir Path dir) throws IOException {
    Path file = tinyTsmc(dir);
    Path out = dir.resolve("ids-out");
    Run r =
        run(
            "ids",
            "--data",
            file.toString(),
            "--out",
            out.toString(),
            "--level1",
            "4x4",
            "--level2",
            "2x2");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("## Semantic-ID quality: tiny.tsv")
        .contains("| HSOM TREE ")
        .contains("| HSOM RESIDUAL ")
        .contains("| RQ-KMeans ")
        .contains("| random ");
    JsonNode json = new ObjectMapper().readTree(out.resolve("sid-quality.json").toFile());
    List<String> keys = new ArrayList<>();
    json.get("schemes").fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactly("hsom-tree", "hsom-residual", "rq-kmeans", "random");
    assertThat(json.get("schemes").get("hsom-tree").get("lattices").asText()).isEqualTo("4x4+2x2");
  }

  @Test
  void idsFailsClearlyOnBadInput(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("o");
    Run missing = run("ids", "--data", dir.resolve("nope.tsv").toString(), "--out", out.toString());
    assertThat(missing.status()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(missing.err()).contains("no such file");

    Path file = tinyTsmc(dir);
    Run noOut = run("ids", "--data", file.toString());
    assertThat(noOut.status()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(noOut.err()).contains("--out");

    Run badLattice =
        run("ids", "--data", file.toString(), "--out", out.toString(), "--level1", "4by4");
    assertThat(badLattice.status()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(badLattice.err()).contains("--level1 must be ROWSxCOLS");

    Run tooBig =
        run("ids", "--data", file.toString(), "--out", out.toString(), "--level1", "30x30");
    assertThat(tooBig.status()).isEqualTo(CliOptions.INPUT_ERROR);
    assertThat(tooBig.err()).contains("smaller lattice").doesNotContain("\tat ");

    Path bad = dir.resolve("bad.tsv");
    Files.writeString(
        bad, Files.readString(file) + "only\tthree\tfields\n", StandardCharsets.UTF_8);
    Run malformed = run("ids", "--data", bad.toString(), "--out", out.toString());
    assertThat(malformed.status()).isEqualTo(CliOptions.INPUT_ERROR);
    assertThat(malformed.err()).contains("bad.tsv");

    Path aFile = dir.resolve("taken");
    Files.writeString(aFile, "x");
    Run outIsFile = run("ids", "--data", file.toString(), "--out", aFile.toString());
    assertThat(outIsFile.status()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(outIsFile.err()).contains("not a folder");
  }

  @Test
  void benchRecQuickWritesMetricsQualityAndResults(@TempDir Path dir) throws IOException {
    Path file = tinyTsmc(dir);
    Path out = dir.resolve("rec");
    Run r =
        run(
            "bench",
            "rec",
            "--data",
            file.toString(),
            "--out",
            out.toString(),
            "--quick",
            "--seed",
            "5",
            "--level1",
            "4x4",
            "--level2",
            "2x2",
            "--report",
            dir.resolve("pictures").toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("## Semantic-ID quality")
        .contains("## Metrics")
        .contains("| SFT+GRPO (HSOM) ")
        .contains("| SFT+GRPO (random IDs) ")
        .contains("## Training");
    ObjectMapper mapper = new ObjectMapper();
    JsonNode metrics = mapper.readTree(out.resolve("metrics.json").toFile());
    assertThat(metrics.get("seed").asLong()).isEqualTo(5);
    // 4 classic baselines + the repeat-aware blend, SFT, the final model, 5 ablations
    assertThat(metrics.get("methods")).hasSize(12);
    assertThat(metrics.get("config").get("level1").asText()).isEqualTo("4x4");
    assertThat(mapper.readTree(out.resolve("sid-quality.json").toFile()).get("schemes")).hasSize(4);
    assertThat(Files.readString(out.resolve("results.md"))).contains("| cold-start ");
    // --report: the pictures of the HSOM IDs, the training curves and the metrics, and the index.
    String index = Files.readString(dir.resolve("pictures").resolve("index.html"));
    for (String png :
        List.of(
            "metrics-overall.png",
            "umatrix-level-1.png",
            "umatrix-level-2.png",
            "categories-level-1.png",
            "categories-level-2.png",
            "poi-map.png",
            // the recommended model's run is labelled "HSOM"; the token-level ablation's SFT
            // "HSOM TREE" and its GRPO "token HSOM TREE"
            "sft-loss-hsom.png",
            "grpo-reward-hsom.png",
            "grpo-kl-clip-hsom.png",
            "rl-validation-hsom.png",
            "sft-loss-hsom-tree.png",
            "grpo-reward-token-hsom-tree.png",
            "sft-loss-random.png")) {
      assertThat(index).contains("src=\"" + png + "\"");
      assertThat(Files.size(dir.resolve("pictures").resolve(png))).isPositive();
    }
    assertThat(r.out()).contains("Report: ");
    // Its provenance names the command that wrote it.
    assertThat(index).contains("refine-poi bench rec --data ").contains("--report ");
  }

  @Test
  void benchRecFailsClearlyOnBadOptions(@TempDir Path dir) throws IOException {
    Path file = tinyTsmc(dir);
    String out = dir.resolve("o").toString();
    Run missing =
        run("bench", "rec", "--data", dir.resolve("none.tsv").toString(), "--out", out, "--quick");
    assertThat(missing.status()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(missing.err()).contains("no such file");

    Run badModel = run("bench", "rec", "--data", file.toString(), "--out", out, "--model", "64");
    assertThat(badModel.status()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(badModel.err()).contains("--model must be WIDTHxLAYERS");

    Run badSteps = run("bench", "rec", "--data", file.toString(), "--out", out, "--rl-steps", "-3");
    assertThat(badSteps.status()).isEqualTo(CliOptions.INPUT_ERROR);
    assertThat(badSteps.err()).contains("RL steps must be >= 0");

    Run badMode =
        run("bench", "rec", "--data", file.toString(), "--out", out, "--sample-mode", "x");
    assertThat(badMode.status()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(badMode.err()).contains("--sample-mode");
    assertThat(Files.exists(dir.resolve("o").resolve("metrics.json"))).isFalse();
  }

  @Test
  void demoQuickRunsEndToEndAndIsDeterministic() {
    String[] args = {
      "demo", "--quick", "--seed", "3", "--users", "60", "--pois", "300", "--check-ins", "5000"
    };
    Run first = run(args);
    assertThat(first.status()).as(first.err()).isZero();
    assertThat(first.out())
        .contains("| filtered |")
        .contains("## Semantic-ID quality")
        .contains("| HSOM TREE ")
        .contains("| RQ-KMeans ")
        .contains("| MarkovTransition ")
        .contains("| SFT (HSOM) ")
        .contains("| SFT+GRPO (HSOM) ")
        .contains("| cold-start ")
        .contains("## Timings")
        .doesNotContain("RQ-KMeans IDs");
    assertThat(metricsLines(run(args).out())).isEqualTo(metricsLines(first.out())).isNotEmpty();
  }

  @Test
  void demoLatticeFitsTheCity() {
    assertThat(DemoCommand.level1Side(2900)).isEqualTo(12);
    assertThat(DemoCommand.level1Side(100)).isEqualTo(2);
    assertThat(DemoCommand.level1Side(50_000)).isEqualTo(16);
  }

  private static List<String> metricsLines(String out) {
    List<String> lines = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.contains("| overall ")
          || line.contains("| cold-start ")
          || line.contains("| HSOM")) {
        lines.add(line);
      }
    }
    return lines;
  }
}
