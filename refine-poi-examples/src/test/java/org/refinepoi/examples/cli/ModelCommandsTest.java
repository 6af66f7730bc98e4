package org.refinepoi.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.eval.MetricsReport;
import org.refinepoi.pipeline.recommender.NextPoiRecommender;
import picocli.CommandLine;

/** {@code train}, {@code recommend} and {@code demo --save} at tiny sizes ({@code --quick}). */
class ModelCommandsTest {

  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli =
        CliErrors.install(new CommandLine(PipelineCommandsTest.RefinePoiCliAccess.root()));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void trainThenRecommendFromTheSavedModel(@TempDir Path dir) throws Exception {
    Path data = PipelineCommandsTest.tinyTsmc(dir);
    Path model = dir.resolve("model.rpoi");
    Run train = run("train", "--data", data.toString(), "--out", model.toString(), "--quick");
    assertThat(train.status()).as(train.err()).isZero();
    assertThat(train.out()).contains("## Test metrics at training time").contains("| overall ");
    assertThat(model).isRegularFile();

    Run evaluate =
        run("recommend", "--model", model.toString(), "--data", data.toString(), "--evaluate");
    assertThat(evaluate.status()).as(evaluate.err()).isZero();
    assertThat(evaluate.out())
        .contains("The loaded model's test metrics equal those at training time.");
    // the numbers printed at training time are the loaded model's
    String trainedRow = overallNumbers(train.out(), "NextPoiRecommender ");
    assertThat(overallNumbers(evaluate.out(), "NextPoiRecommender (loaded)")).isEqualTo(trainedRow);

    Run one =
        run(
            "recommend",
            "--model",
            model.toString(),
            "--data",
            data.toString(),
            "--user",
            "3",
            "--at",
            "2012-05-10T12:00",
            "--k",
            "5");
    assertThat(one.status()).as(one.err()).isZero();
    assertThat(one.out()).contains("## Next POIs of user 3 at 2012-05-10T12:00-04:00");
    assertThat(one.out().lines().filter(l -> l.matches("\\| [1-5] \\|.*")).count()).isEqualTo(5);
    assertThat(one.out()).containsAnyOf("in history (", "generated");

    Path samples = dir.resolve("samples.csv");
    Files.writeString(samples, "user,time\n3\n# a comment\n4,2012-05-10T12:00:00-04:00\n");
    Path csv = dir.resolve("out.csv");
    Run batch =
        run(
            "recommend",
            "--model",
            model.toString(),
            "--data",
            data.toString(),
            "--samples",
            samples.toString(),
            "--k",
            "3",
            "--out",
            csv.toString());
    assertThat(batch.status()).as(batch.err()).isZero();
    assertThat(Files.readAllLines(csv))
        .hasSize(1 + 2 * 3)
        .first()
        .isEqualTo("user,at,rank,poi,probability,origin,history_count,lattice_distance");

    Run unknown =
        run("recommend", "--model", model.toString(), "--data", data.toString(), "--user", "x9");
    assertThat(unknown.status()).isEqualTo(CliOptions.INPUT_ERROR);
    assertThat(unknown.err()).contains("no user 'x9'").doesNotContain("\tat ");
  }

  @Test
  void aCorruptModelIsRefusedInOneLine(@TempDir Path dir) throws Exception {
    Path data = PipelineCommandsTest.tinyTsmc(dir);
    Path model = dir.resolve("model.rpoi");
    assertThat(
            run("train", "--data", data.toString(), "--out", model.toString(), "--quick").status())
        .isZero();
    byte[] bytes = Files.readAllBytes(model);
    bytes[bytes.length / 3] ^= 0x10;
    Files.write(model, bytes);
    Run r = run("recommend", "--model", model.toString(), "--data", data.toString(), "--user", "3");
    assertThat(r.status()).isEqualTo(CliOptions.INPUT_ERROR);
    assertThat(r.err())
        .contains("model bundle " + model)
        .contains("checksum mismatch")
        .doesNotContain("\tat ");
  }

  @Test
  void demoSavesTheModelItPrinted(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("demo.rpoi");
    Run demo =
        run(
            "demo",
            "--quick",
            "--seed",
            "5",
            "--users",
            "60",
            "--pois",
            "300",
            "--check-ins",
            "5000",
            "--save",
            model.toString());
    assertThat(demo.status()).as(demo.err()).isZero();
    assertThat(demo.out()).contains("Model: ");
    try (NextPoiRecommender loaded = NextPoiRecommender.load(model)) {
      MetricsReport m = loaded.provenance().testMetrics();
      String printed = overallNumbers(demo.out(), "SFT+GRPO (HSOM) ");
      assertThat(printed)
          .isEqualTo(
              String.format(
                  Locale.ROOT,
                  "%.4f %.4f %.4f %.4f %.4f %.4f",
                  m.acc1(),
                  m.acc5(),
                  m.acc10(),
                  m.ndcg5(),
                  m.ndcg10(),
                  m.mrr()));
      assertThat(loaded.provenance().seed()).isEqualTo(5);
    }
  }

  /** The six metrics of a method's overall row of a markdown metrics table, space-separated. */
  private static String overallNumbers(String out, String method) {
    String row =
        out.lines()
            .filter(l -> l.startsWith("| " + method) && l.contains("| overall "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no overall row of " + method + " in\n" + out));
    String[] cells = Arrays.stream(row.split("\\|")).map(String::strip).toArray(String[]::new);
    // | method | subset | n | Acc@1 | Acc@5 | Acc@10 | NDCG@5 | NDCG@10 | MRR |
    return String.join(" ", Arrays.copyOfRange(cells, 4, 10));
  }
}
