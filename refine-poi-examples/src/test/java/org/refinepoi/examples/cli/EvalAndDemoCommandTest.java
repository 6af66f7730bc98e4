package org.refinepoi.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import picocli.CommandLine;

class EvalAndDemoCommandTest {

  private record Run(int status, String out, String err) {}

  private static Run run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int status = cli.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  @Test
  void demo_on_a_small_city_prints_stats_metrics_and_timings() {
    Run r =
        run(
            new DemoCommand(),
            "--quick",
            "--seed",
            "3",
            "--users",
            "80",
            "--pois",
            "300",
            "--check-ins",
            "8000");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("| filtered |")
        .contains("## Metrics: test split")
        .contains("top-10 lists (MRR@10)")
        .contains("| MostPopular ")
        .contains("| MarkovTransition ")
        .contains("| PopularNearLastCheckIn ")
        .contains("| cold-start ")
        .contains("generate synthetic city")
        .contains("## Timings");
  }

  @Test
  void demo_is_deterministic_apart_from_timings() {
    String[] args = {
      "--quick", "--seed", "5", "--users", "60", "--pois", "300", "--check-ins", "5000"
    };
    assertThat(metricsLines(run(new DemoCommand(), args).out()))
        .isNotEmpty()
        .isEqualTo(metricsLines(run(new DemoCommand(), args).out()));
  }

  private static List<String> metricsLines(String out) {
    List<String> lines = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.contains("| overall ") || line.contains("| cold-start ")) {
        lines.add(line);
      }
    }
    return lines;
  }

  @Test
  void eval_on_a_tsmc_file_with_capped_lists_and_all_prefixes(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("tiny.tsv");
    Files.writeString(file, tinyTsmc(), StandardCharsets.UTF_8);
    Run r =
        run(
            new EvalCommand(),
            "--data",
            file.toString(),
            "--sample-mode",
            "all",
            "--split",
            "validation",
            "--list-size",
            "10");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("samples: ALL_PREFIXES")
        .contains("## Metrics: validation split")
        .contains("10 POIs ranked per sample (MRR@list size)")
        .contains("| UserMostVisited ");
  }

  @Test
  void eval_reports_bad_input_in_one_line(@TempDir Path dir) throws IOException {
    Run missing = run(new EvalCommand(), "--data", dir.resolve("nope.tsv").toString());
    assertThat(missing.status()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(missing.err()).contains("no such file");

    Path bad = dir.resolve("bad.tsv");
    Files.writeString(bad, tinyTsmc() + "only\tthree\tfields\n", StandardCharsets.UTF_8);
    Run malformed = run(new EvalCommand(), "--data", bad.toString());
    assertThat(malformed.status()).isEqualTo(CliOptions.INPUT_ERROR);
    assertThat(malformed.err()).contains("bad.tsv").doesNotContain("\tat ");

    Run wrongMode = run(new EvalCommand(), "--data", bad.toString(), "--sample-mode", "some");
    assertThat(wrongMode.status()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(wrongMode.err()).contains("--sample-mode must be 'last'");
  }

  @Test
  void eval_on_nyc_when_present() {
    Path nyc =
        Path.of(System.getProperty("refinepoi.shared.data", "missing"), "NYC", "checkins_NYC.tsv");
    assumeTrue(Files.isRegularFile(nyc), "NYC data not found at " + nyc + "; skipping");
    Run r = run(new EvalCommand(), "--data", nyc.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("## Dataset: checkins_NYC.tsv").contains("| MarkovTransition ");
  }

  /**
   * A TSMC2014 log: 12 users, each visiting a loop of 12 POIs (one per 3 hours, so one session per
   * day) over 10 days: every user and POI passes the 10-check-in filter.
   */
  private static String tinyTsmc() {
    StringBuilder sb = new StringBuilder();
    String[] days = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    for (int day = 0; day < 10; day++) {
      for (int user = 0; user < 12; user++) {
        for (int step = 0; step < 4; step++) {
          int poi = (user + step + day) % 12;
          sb.append(user)
              .append('\t')
              .append(String.format("%024x", poi))
              .append("\tcat")
              .append(poi % 3)
              .append("\tCafe\t40.7")
              .append(poi)
              .append("\t-74.0")
              .append(poi)
              .append("\t-240\t")
              .append(days[day])
              .append(" Apr ")
              .append(String.format("%02d", day + 2))
              .append(' ')
              .append(String.format("%02d", step * 3 + user % 3))
              .append(":00:00 +0000 2012\n");
        }
      }
    }
    return sb.toString();
  }
}
