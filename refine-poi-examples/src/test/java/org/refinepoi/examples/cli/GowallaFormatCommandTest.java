package org.refinepoi.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The data commands read the SNAP Gowalla layout through {@code --format gowalla}. */
class GowallaFormatCommandTest {

  @TempDir Path dir;

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

  /**
   * A Gowalla log like SNAP's (newest first per user): 12 users each visiting 4 of 12 POIs a day, 3
   * hours apart, over 10 days: 480 check-ins, every user and POI above the 10-check-in filter.
   */
  private Path gowallaFile() throws IOException {
    StringBuilder sb = new StringBuilder();
    Instant start = Instant.parse("2010-04-02T00:00:00Z");
    for (int user = 0; user < 12; user++) {
      for (int day = 9; day >= 0; day--) {
        for (int step = 3; step >= 0; step--) {
          int poi = (user + step + day) % 12;
          Instant time =
              start.plus(day, ChronoUnit.DAYS).plus(step * 3L + user % 3, ChronoUnit.HOURS);
          sb.append(user)
              .append('\t')
              .append(time)
              .append("\t30.2")
              .append(poi)
              .append("\t-97.7")
              .append(poi)
              .append('\t')
              .append(1000 + poi)
              .append('\n');
        }
      }
    }
    return Files.writeString(dir.resolve("gowalla.txt"), sb.toString(), StandardCharsets.UTF_8);
  }

  @Test
  void statsReadsGowallaByNameAndByDetection() throws IOException {
    Path file = gowallaFile();
    for (String[] format : new String[][] {{"--format", "gowalla"}, {}}) {
      String[] args = new String[2 + format.length];
      args[0] = "--data";
      args[1] = file.toString();
      System.arraycopy(format, 0, args, 2, format.length);
      Run r = run(new StatsCommand(), args);
      assertThat(r.status()).as(r.err()).isZero();
      assertThat(r.out())
          .contains("Layout: GOWALLA")
          .contains("480 lines, 480 check-ins")
          .contains("| raw (as loaded) | 12 | 12 | 1 | 480 |");
    }
  }

  @Test
  void statsNamesABadGowallaLineAndLenientSkipsIt() throws IOException {
    Path file = gowallaFile();
    Files.writeString(
        file, Files.readString(file) + "3\t2010-04-31T10:00:00Z\t30.2\t-97.7\t1000\n");
    Run strict = run(new StatsCommand(), "--data", file.toString(), "--format", "gowalla");
    assertThat(strict.status()).isEqualTo(1);
    assertThat(strict.err()).contains(file + ":481: invalid date or time");
    Run lenient =
        run(new StatsCommand(), "--data", file.toString(), "--format", "gowalla", "--lenient");
    assertThat(lenient.status()).as(lenient.err()).isZero();
    assertThat(lenient.out()).contains("1 malformed lines skipped").contains("line 481:");
  }

  @Test
  void evalRunsTheBaselinesOnAGowallaFile() throws IOException {
    Run r = run(new EvalCommand(), "--data", gowallaFile().toString(), "--format", "gowalla");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("## Dataset: gowalla.txt")
        .contains("## Metrics: test split")
        .contains("| MarkovTransition ");
  }
}
