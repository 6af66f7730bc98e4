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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.data.CheckInFormat;
import picocli.CommandLine;

class DataCommandsTest {

  @TempDir Path dir;

  /** Two users with 12 check-ins each at two POIs, two hours apart, TSMC2014 layout. */
  private Path tsmcFile() throws IOException {
    StringBuilder text = new StringBuilder();
    String[] days = {"Tue Apr 03", "Wed Apr 04", "Thu Apr 05", "Fri Apr 06"};
    for (int i = 0; i < 12; i++) {
      for (int user = 1; user <= 2; user++) {
        String time = "%s %02d:%02d:00 +0000 2012".formatted(days[i / 6], 2 + (i % 6) * 3, user);
        text.append(user)
            .append("\tv")
            .append(i % 2)
            .append("\tc\tCaf\u00e9\t40.5\t-74.5\t-240\t")
            .append(time)
            .append('\n');
      }
    }
    return Files.writeString(dir.resolve("small.tsv"), text.toString(), StandardCharsets.UTF_8);
  }

  private record Run(int exitCode, String out, String err) {}

  private static Run run(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void statsPrintsTheTable() throws IOException {
    Run r = run(new StatsCommand(), "--data", tsmcFile().toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("Layout: TSMC2014")
        .contains("| raw (as loaded) | 2 | 2 | 1 | 24 |")
        .contains("| filtered | 2 | 2 | 1 | 24 |");
  }

  @Test
  void statsNamesTheBadLineAndLenientSkipsIt() throws IOException {
    Path file = tsmcFile();
    Files.writeString(
        file,
        Files.readString(file) + "3\tv0\tc\tn\t95\t-74\t-240\tTue Apr 03 02:00:00 +0000 2012\n");
    Run strict = run(new StatsCommand(), "--data", file.toString());
    assertThat(strict.exitCode()).isEqualTo(1);
    assertThat(strict.err()).contains(file + ":25: latitude out of range");
    Run lenient = run(new StatsCommand(), "--data", file.toString(), "--lenient");
    assertThat(lenient.exitCode()).isZero();
    assertThat(lenient.out()).contains("1 malformed lines skipped").contains("line 25:");
  }

  @Test
  void replicateShiftsUserIdsPerCopy() throws IOException {
    Path source = tsmcFile();
    Path target = dir.resolve("x3.tsv");
    BenchLoadCommand.replicate(source, target, 3, CheckInFormat.TSMC2014);
    List<String> lines = Files.readAllLines(target, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(72);
    assertThat(lines.get(0)).startsWith("1\tv0\t").contains("Caf\u00e9");
    assertThat(lines.get(24)).startsWith("1000001\tv0\t");
    assertThat(lines.get(48)).startsWith("2000001\tv0\t");
  }

  @Test
  void benchLoadPrintsOneJsonLine() throws IOException {
    Run r =
        run(
            new BenchCommand(),
            "load",
            "--data",
            tsmcFile().toString(),
            "--copies",
            "2",
            "--repetitions",
            "1",
            "--warmup",
            "0");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(r.out().strip());
    assertThat(json.get("impl").asText()).isEqualTo("refine-poi-load");
    assertThat(json.get("lines").asLong()).isEqualTo(48);
    assertThat(json.get("checkins").asLong()).isEqualTo(48);
    assertThat(json.get("checkins_per_s").asLong()).isPositive();
  }
}
