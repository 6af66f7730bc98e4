package org.refinepoi.examples.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.io.Npy;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.examples.RefinePoiCli;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command-line app as a careless or hostile user runs it (issue 14): no user error prints a
 * stack trace, the same mistake gets the same exit status in every command, outputs are checked
 * before the heavy work and are never one of the inputs, exports are checked as one unit.
 */
class HostileCliTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** An export of a small synthetic city's test split. */
  private static final String TINY_EXPORT =
      "export --synthetic --users 60 --pois 300 --check-ins 5000 --levels 4x4,2x2 --split test";

  @TempDir Path dir;

  private record Run(int status, String out, String err) {

    /** No stack trace: no line of the form "at some.Class.method(". */
    boolean hasNoStackTrace() {
      return !Pattern.compile("(?m)^\\s+at [\\w.$]+\\(").matcher(err + out).find()
          && !err.contains("Exception in thread");
    }
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = RefinePoiCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int status = CliErrors.run(cli, args);
    return new Run(status, out.toString(), err.toString());
  }

  private Path tinyTsmc() throws IOException {
    return PipelineCommandsTest.tinyTsmc(dir);
  }

  private Path npy(String name, int rows, int cols) throws IOException {
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) Math.sin(i);
    }
    Path file = dir.resolve(name);
    Npy.write(file, FloatMatrix.wrap(rows, cols, v));
    return file;
  }

  private Path export(String name, String... extra) {
    Path out = dir.resolve(name);
    List<String> args = new ArrayList<>(List.of(TINY_EXPORT.split(" ")));
    args.addAll(List.of("--out", out.toString()));
    args.addAll(List.of(extra));
    Run r = run(args.toArray(String[]::new));
    assertThat(r.status()).as(r.err()).isZero();
    return out;
  }

  /** Runs {@code bench som} on a data file with more options. */
  private static Run benchSom(Path data, String... options) {
    List<String> args = new ArrayList<>(List.of("bench", "som", "--vectors", data.toString()));
    args.addAll(List.of(options));
    return run(args.toArray(String[]::new));
  }

  /** Runs {@code score} with an index, samples and completions. */
  private static Run score(Path index, Path samples, Path completions) {
    return run(
        "score",
        "--index",
        index.toString(),
        "--samples",
        samples.toString(),
        "--completions",
        completions.toString());
  }

  /** Completions that answer every sample of an export's TRL file exactly. */
  private Path exactAnswers(Path trl) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (String line : Files.readAllLines(trl, UTF_8)) {
      JsonNode row = JSON.readTree(line);
      lines
          .append(
              JSON.writeValueAsString(
                  JSON.createObjectNode()
                      .put("sample_id", row.get("sample_id").asText())
                      .put(
                          "completion",
                          "<think>x</think><answer>"
                              + row.get("ground_truth").asText()
                              + "</answer>")))
          .append('\n');
    }
    return Files.writeString(dir.resolve("answers.jsonl"), lines.toString(), UTF_8);
  }

  // Case 3: an export is one unit; score refuses a partial or mixed one.

  @Test
  void scoreRefusesAnExportThatMixesTwoRuns() throws IOException {
    Path a = export("a");
    Path trl = a.resolve("trl-test.jsonl");
    Path answers = exactAnswers(trl);
    Run ok = score(a.resolve("index.sid"), trl, answers);
    assertThat(ok.status()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("| 1.0000 |");

    // Killed after the first file of a second export with other options: mixed files.
    Path b = export("b", "--ids", "random", "--k", "5");
    Files.copy(b.resolve("index.sid"), a.resolve("index.sid"), StandardCopyOption.REPLACE_EXISTING);
    Run mixed = score(a.resolve("index.sid"), trl, answers);
    assertThat(mixed.status()).isEqualTo(CliOptions.INPUT_ERROR);
    assertThat(mixed.err())
        .contains(a.resolve("index.sid") + " does not match " + a.resolve("manifest.json"))
        .contains("export again");
    assertThat(mixed.hasNoStackTrace()).isTrue();

    // A samples file left from an earlier export of another split.
    Path stale = b.resolve("trl-validation.jsonl");
    Files.copy(trl, stale);
    Run left = score(b.resolve("index.sid"), stale, answers);
    assertThat(left.status()).isEqualTo(CliOptions.INPUT_ERROR);
    assertThat(left.err()).contains("is not part of the export described by");
  }

  // Case 5: an output that is one of the inputs is refused, and the input kept.

  @Test
  void anOutputThatIsAnInputIsRefusedAndTheInputKept() throws IOException {
    Path a = export("a");
    Path answers = exactAnswers(a.resolve("trl-test.jsonl"));
    byte[] before = Files.readAllBytes(answers);
    Run score =
        run(
            "score",
            "--index",
            a.resolve("index.sid").toString(),
            "--completions",
            answers.toString(),
            "--out",
            answers.toString());
    assertThat(score.status()).isEqualTo(CliOptions.USAGE_ERROR);
    assertThat(score.err()).contains("--out: " + answers + " is also an input of this command");
    assertThat(Files.readAllBytes(answers)).isEqualTo(before);

    Path data = npy("x.npy", 50, 3);
    byte[] npyBefore = Files.readAllBytes(data);
    Run som =
        benchSom(
            data,
            "--rows",
            "2",
            "--cols",
            "2",
            "--epochs",
            "1",
            "--codebook",
            dir.resolve(".").resolve("x.npy").toString());
    assertThat(som.status()).isEqualTo(CliOptions.USAGE_ERROR);
    assertThat(som.err()).contains("is also an input of this command");
    assertThat(Files.readAllBytes(data)).isEqualTo(npyBefore);
  }

  // Case 6: files the SDK writes get the umask's permissions.

  @Test
  void exportedFilesHaveThePermissionsOfAnyNewFile() throws IOException {
    assumeTrue(
        dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "no POSIX permissions");
    Set<PosixFilePermission> usual =
        Files.getPosixFilePermissions(Files.createFile(dir.resolve("reference")));
    assumeTrue(
        usual.contains(PosixFilePermission.GROUP_READ)
            || usual.contains(PosixFilePermission.OTHERS_READ),
        "the umask itself is owner-only: nothing to tell apart");
    Path a = export("a");
    try (Stream<Path> files = Files.list(a)) {
      for (Path f : files.toList()) {
        assertThat(Files.getPosixFilePermissions(f)).as(f.toString()).isEqualTo(usual);
      }
    }
  }

  // Case 7: every file the examples write goes through core's AtomicFiles (forced, then the
  // folder forced after the rename): no writer of their own.

  @Test
  void noOutputIsWrittenAroundAtomicFiles() throws IOException {
    Pattern direct =
        Pattern.compile(
            "(?<![\\w.])Files\\.(newOutputStream|newBufferedWriter|write|writeString|createTempFile)\\("
                + "|new (FileOutputStream|FileWriter|RandomAccessFile)\\(");
    List<String> found = new ArrayList<>();
    try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
      for (Path f : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
        List<String> lines = Files.readAllLines(f, UTF_8);
        for (int i = 0; i < lines.size(); i++) {
          // bench load writes its repeated input into the system's temporary folder, not an output
          if (direct.matcher(lines.get(i)).find()
              && !f.endsWith(Path.of("cli", "BenchLoadCommand.java"))) {
            found.add(f + ":" + (i + 1) + ": " + lines.get(i).strip());
          }
        }
      }
    }
    assertThat(found).isEmpty();
  }

  // Case 9: no stack trace for a user error; the memory an option needs is estimated first.

  @Test
  void userErrorsPrintOneLineNeverAStackTrace() throws IOException {
    Path data = tinyTsmc();
    Run scale = run("eval", "--data", data.toString(), "--near-scale-km", "0");
    assertThat(scale.status()).isEqualTo(CliOptions.USAGE_ERROR);
    assertThat(scale.err()).contains("--near-scale-km must be a number > 0, got 0.0");
    assertThat(scale.hasNoStackTrace()).isTrue();

    Run lattice =
        run(
            "ids",
            "--data",
            data.toString(),
            "--out",
            dir.resolve("o").toString(),
            "--level1",
            "5000x5000");
    assertThat(lattice.status()).isEqualTo(CliOptions.USAGE_ERROR);
    assertThat(lattice.err()).contains("--level1 must be ROWSxCOLS").contains("lattice too large");
    assertThat(lattice.hasNoStackTrace()).isTrue();

    Path x = npy("x.npy", 20, 64);
    Run som = benchSom(x, "--rows", "4096", "--cols", "4096", "--epochs", "1");
    assertThat(som.status()).isEqualTo(CliOptions.INPUT_ERROR);
    assertThat(som.err())
        .contains("training a 4096x4096 SOM on 64-dimensional data needs about 40.0 GiB of heap");
    assertThat(som.hasNoStackTrace()).isTrue();
  }

  @Test
  void everyCommandHasTheOneExceptionHandler() {
    CommandLine root = RefinePoiCli.commandLine();
    List<CommandLine> all = new ArrayList<>(List.of(root));
    for (int i = 0; i < all.size(); i++) {
      all.addAll(all.get(i).getSubcommands().values());
    }
    assertThat(all).hasSizeGreaterThan(10);
    for (CommandLine c : all) {
      assertThat(c.getExecutionExceptionHandler())
          .as(c.getCommandName())
          .isSameAs(CliOptions.HANDLER);
    }
  }

  @Command(name = "broken")
  static final class Broken implements Callable<Integer> {
    private final Throwable failure;

    Broken(Throwable failure) {
      this.failure = failure;
    }

    @Override
    public Integer call() throws Exception {
      if (failure instanceof Exception e) {
        throw e;
      }
      throw (Error) failure;
    }
  }

  @Test
  void theHandlerTurnsAnyFailureIntoOneLine() {
    for (Throwable t :
        List.of(
            new OutOfMemoryError("Java heap space"),
            new java.nio.file.NoSuchFileException("/x/y.tsv"),
            new java.nio.file.FileSystemException("/x/out.npy", null, "No space left on device"),
            new NullPointerException("model is null"))) {
      StringWriter err = new StringWriter();
      CommandLine cli = CliErrors.install(new CommandLine(new Broken(t)));
      cli.setErr(new PrintWriter(err, true));
      int status = CliErrors.run(cli);
      Run r = new Run(status, "", err.toString());
      assertThat(status).as(t.toString()).isEqualTo(CliOptions.INPUT_ERROR);
      assertThat(r.hasNoStackTrace()).as(err.toString()).isTrue();
      assertThat(err.toString().strip().lines()).hasSize(1);
    }
    assertThat(CliOptions.describe(new java.nio.file.NoSuchFileException("/x/y.tsv")))
        .isEqualTo("no such file or folder: /x/y.tsv");
    assertThat(
            CliOptions.describe(
                new java.nio.file.FileSystemException("/x/o", null, "No space left on device")))
        .isEqualTo("/x/o: No space left on device");
    assertThat(CliOptions.describe(new NullPointerException("model is null")))
        .startsWith("internal error (please report it)");
  }

  // Case 10: the reason and the path, and the same status for the same mistake everywhere.

  @Test
  void aMissingOrWrongInputGetsTheSameStatusAndWordsInEveryCommand() throws IOException {
    String missing = dir.resolve("nope").resolve("x.tsv").toString();
    String out = dir.resolve("o").toString();
    List<String[]> commands =
        List.of(
            new String[] {"stats", "--data", missing},
            new String[] {"eval", "--data", missing},
            new String[] {"ids", "--data", missing, "--out", out},
            new String[] {"export", "--data", missing, "--out", out},
            new String[] {"score", "--index", missing, "--completions", missing},
            new String[] {"bench", "load", "--data", missing},
            new String[] {"bench", "som", "--vectors", missing},
            new String[] {"bench", "hsom", "--vectors", missing},
            new String[] {"bench", "rec", "--data", missing, "--out", out});
    for (String[] args : commands) {
      Run r = run(args);
      assertThat(r.status()).as(String.join(" ", args)).isEqualTo(CliOptions.USAGE_ERROR);
      assertThat(r.err()).as(String.join(" ", args)).contains(": no such file: " + missing);
      assertThat(r.hasNoStackTrace()).isTrue();
    }
    Run folder = run("stats", "--data", dir.toString());
    assertThat(folder.status()).isEqualTo(CliOptions.USAGE_ERROR);
    assertThat(folder.err()).contains("--data: is a folder, not a file: " + dir);
  }

  @Test
  void textThatIsNotUtf8IsNamedWithFileAndLine() throws IOException {
    Path a = export("a");
    Path answers = dir.resolve("latin1.jsonl");
    Files.write(
        answers,
        "{\"ground_truth_id\":\"x\",\"completion\":\"caf\u00e9\"}\n"
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    Run r =
        run(
            "score",
            "--index",
            a.resolve("index.sid").toString(),
            "--completions",
            answers.toString());
    assertThat(r.status()).isEqualTo(CliOptions.INPUT_ERROR);
    assertThat(r.err()).contains(answers + ":1: not valid UTF-8 text");
  }

  // Case 14: outputs are checked before the first heavy step.

  @Test
  void outputsAreCheckedBeforeTheHeavyWork() throws IOException {
    Path data = tinyTsmc();
    Path aFile = Files.writeString(dir.resolve("a-file"), "x");
    Run ids = run("ids", "--data", data.toString(), "--out", aFile.resolve("sub").toString());
    assertThat(ids.status()).isEqualTo(CliOptions.USAGE_ERROR);
    assertThat(ids.err()).contains("--out: cannot create");
    assertThat(ids.out()).doesNotContain("check-ins"); // the load summary never printed

    Run export = run("export", "--data", data.toString(), "--out", aFile.toString());
    assertThat(export.status()).isEqualTo(CliOptions.USAGE_ERROR);
    assertThat(export.err()).contains("--out: is a file, not a folder");
    assertThat(export.out()).isEmpty();

    Path x = npy("x.npy", 50, 3);
    Run som = benchSom(x, "--rows", "2", "--cols", "2", "--codebook", dir.toString());
    assertThat(som.status()).isEqualTo(CliOptions.USAGE_ERROR);
    assertThat(som.err()).contains("--codebook: is a folder, not a file");
    assertThat(som.out()).isEmpty();

    Run demo = run("demo", "--quick", "--report", aFile.toString());
    assertThat(demo.status()).isEqualTo(CliOptions.USAGE_ERROR);
    assertThat(demo.err()).contains("--report: is a file, not a folder");
    assertThat(demo.out()).doesNotContain("Synthetic city");
  }

  // Case 17: the benchmark options are checked.

  @Test
  void benchmarkOptionsAreCheckedWithTheReason() throws IOException {
    Path x = npy("x.npy", 40, 3);
    for (String repeat : new String[] {"0", "-1"}) {
      Run r = run("bench", "hsom", "--vectors", x.toString(), "--repeat", repeat);
      assertThat(r.status()).isEqualTo(CliOptions.USAGE_ERROR);
      assertThat(r.err()).contains("--repeat must be >= 1, got " + repeat);
    }
    Run mode = run("bench", "hsom", "--vectors", x.toString(), "--mode", "foo");
    assertThat(mode.status()).isEqualTo(CliOptions.USAGE_ERROR);
    assertThat(mode.err()).contains("--mode must be 'tree' or 'residual', got 'foo'");
    Run warmup =
        run(
            "bench",
            "som",
            "--vectors",
            x.toString(),
            "--rows",
            "2",
            "--cols",
            "2",
            "--warmup",
            "-1");
    assertThat(warmup.status()).isEqualTo(CliOptions.USAGE_ERROR);
    assertThat(warmup.err()).contains("--warmup must be >= 0, got -1");
    assertThat(warmup.out()).isEmpty();
  }

  // Case 18: temporary files of killed writes do not pile up in an export folder.

  @Test
  void anExportCleansTheTemporaryFilesOfAKilledExport() throws IOException {
    long dead = 999_999_999L; // above Linux's pid_max
    assumeTrue(ProcessHandle.of(dead).isEmpty(), "a process with the test's dead pid exists");
    Path out = Files.createDirectories(dir.resolve("a"));
    Path stale =
        Files.write(
            out.resolve(".trl-test.jsonl." + dead + ".0123456789abcdef.tmp"), new byte[1 << 20]);
    export("a");
    assertThat(stale).doesNotExist();
  }

  // Case 19: export and ids follow the same lattice rule.

  @Test
  void exportRefusesTheLatticesIdsRefuses() throws IOException {
    Run export =
        run("export", "--synthetic", "--levels", "1x1", "--out", dir.resolve("e").toString());
    assertThat(export.status()).isEqualTo(CliOptions.USAGE_ERROR);
    assertThat(export.err()).contains("each of at least 2 cells, got '1x1'");
    Run ids =
        run(
            "ids",
            "--data",
            tinyTsmc().toString(),
            "--out",
            dir.resolve("o").toString(),
            "--level1",
            "1x1");
    assertThat(ids.status()).isEqualTo(CliOptions.USAGE_ERROR);
    assertThat(ids.err()).contains("with at least 2 cells");
  }
}
