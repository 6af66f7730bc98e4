package org.refinepoi.rl.reward;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the Python rewards bridge's unit tests ({@code python3 -m unittest} in {@code
 * interop/python}), which check the Python rewards against the golden file that {@link
 * RewardsGoldenFileTest} keeps equal to the Java ones. Skipped, with the reason, when no {@code
 * python3} of version 3.9 or newer is on the PATH; fails with Python's output on any mismatch.
 */
class PythonRewardsBridgeTest {

  /** A guard against a hung interpreter, far above the run's few seconds; not a timing test. */
  private static final long GUARD_MINUTES = 5;

  @Test
  void pythonRewardsEqualTheJavaOnesOnTheGoldenFile() throws Exception {
    Optional<Path> python = onPath("python3");
    assumeTrue(python.isPresent(), "python3 is not on the PATH: the Python bridge is not tested");
    Result version =
        run(
            List.of(
                python.get().toString(),
                "-c",
                "import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)"),
            Path.of("."));
    assumeTrue(version.exit() == 0, "python3 is older than 3.9: the Python bridge is not tested");

    Path bridge = Path.of("..", "interop", "python").toAbsolutePath().normalize();
    assertThat(bridge.resolve("refine_poi_rewards")).as("the Python bridge").isDirectory();
    Path golden = Path.of(RewardsGoldenFileTest.SOURCE).toAbsolutePath();
    assertThat(golden).as("the golden file").isRegularFile();

    ProcessBuilder pb =
        new ProcessBuilder(python.get().toString(), "-B", "-m", "unittest", "-v")
            .directory(bridge.toFile())
            .redirectErrorStream(true);
    pb.environment().put("REFINE_POI_GOLDEN", golden.toString());
    pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    Result result = run(pb);
    assertThat(result.exit())
        .as("python3 -m unittest in %s failed:%n%s", bridge, result.output())
        .isZero();
    assertThat(result.output()).contains("OK");
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command, Path dir)
      throws IOException, InterruptedException {
    return run(new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true));
  }

  private static Result run(ProcessBuilder pb) throws IOException, InterruptedException {
    Path log = Files.createTempFile("python-bridge", ".log");
    try {
      Process p = pb.redirectOutput(log.toFile()).start();
      p.getOutputStream().close();
      boolean done = p.waitFor(GUARD_MINUTES, TimeUnit.MINUTES);
      if (!done) {
        p.destroyForcibly().waitFor();
      }
      String output = Files.readString(log, UTF_8);
      return done
          ? new Result(p.exitValue(), output)
          : new Result(-1, output + "\n(killed after " + GUARD_MINUTES + " minutes)");
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** The first executable of that name on the PATH. */
  private static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
