package org.refinepoi.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.io.Npy;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.backend.BmuResult;
import org.refinepoi.som.backend.JavaSomBackend;
import org.refinepoi.som.backend.SomSession;
import org.refinepoi.som.train.SomQuality;
import picocli.CommandLine;

class BenchSomCommandTest {

  @TempDir Path dir;

  private Path matrix(int rows, int cols) throws IOException {
    SplittableRandom r = new SplittableRandom(1);
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    Path file = dir.resolve("x.npy");
    Npy.write(file, FloatMatrix.wrap(rows, cols, v));
    return file;
  }

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new BenchCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void benchSomPrintsTheContractLineAndWritesTheCodebook() throws IOException {
    Path x = matrix(600, 6);
    Path codebook = dir.resolve("w.npy");
    String[] r =
        run(
            "som",
            "--vectors",
            x.toString(),
            "--rows",
            "4",
            "--cols",
            "5",
            "--epochs",
            "3",
            "--backend",
            "java",
            "--seed",
            "3",
            "--codebook",
            codebook.toString());
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    JsonNode json = new ObjectMapper().readTree(r[1]);
    assertThat(json.get("impl").asText()).isEqualTo("refine-poi-java");
    assertThat(json.get("n").asInt()).isEqualTo(600);
    assertThat(json.get("d").asInt()).isEqualTo(6);
    assertThat(json.get("rows").asInt()).isEqualTo(4);
    assertThat(json.get("cols").asInt()).isEqualTo(5);
    assertThat(json.get("epochs").asInt()).isEqualTo(3);
    assertThat(json.get("s_per_epoch").asDouble()).isPositive();
    // QE and TE in the line are those of the written codebook.
    FloatMatrix w = Npy.read(codebook);
    assertThat(w.rows()).isEqualTo(20);
    try (SomSession s = new JavaSomBackend(1).open(Npy.read(x))) {
      BmuResult b = s.bmu(w, true);
      assertThat(json.get("qe").asDouble()).isEqualTo(b.quantizationError());
      assertThat(json.get("te").asDouble())
          .isEqualTo(SomQuality.topographicError(b, LatticeSpec.rectangular(4, 5)));
    }
  }

  @Test
  void benchSomStatesItsRegimeAndStartsFromTheWrittenInitialCodebook() throws IOException {
    Path x = matrix(500, 4);
    Path init = dir.resolve("w0.npy");
    String[] defaults = run("som", "--vectors", x.toString(), "--rows", "3", "--cols", "6");
    assertThat(defaults[0]).as(defaults[2]).isEqualTo("0");
    JsonNode d = new ObjectMapper().readTree(defaults[1]);
    // The SDK's defaults: PCA, Gaussian, linear from half the longer side (>= 1) to 1.
    assertThat(d.get("init").asText()).isEqualTo("pca");
    assertThat(d.get("neighbourhood").asText()).isEqualTo("gaussian");
    assertThat(d.get("radius_decay").asText()).isEqualTo("linear");
    assertThat(d.get("radius_start").asDouble()).isEqualTo(3.0);
    assertThat(d.get("radius_end").asDouble()).isEqualTo(1.0);
    String[] r =
        run(
            "som",
            "--vectors",
            x.toString(),
            "--rows",
            "3",
            "--cols",
            "6",
            "--init",
            "random",
            "--radius-decay",
            "exponential",
            "--radius-start",
            "2.5",
            "--radius-end",
            "0.5",
            "--seed",
            "9",
            "--init-codebook-out",
            init.toString());
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    JsonNode json = new ObjectMapper().readTree(r[1]);
    assertThat(json.get("init").asText()).isEqualTo("random");
    assertThat(json.get("radius_decay").asText()).isEqualTo("exponential");
    assertThat(json.get("radius_start").asDouble()).isEqualTo(2.5);
    assertThat(json.get("radius_end").asDouble()).isEqualTo(0.5);
    assertThat(json.get("seed").asLong()).isEqualTo(9);
    assertThat(Npy.read(init))
        .isEqualTo(
            org.refinepoi.som.train.Initialization.RANDOM_SAMPLES.initialize(
                Npy.read(x), LatticeSpec.rectangular(3, 6), 9));
  }

  @Test
  void badRegimeValuesFailBeforeTheDataIsRead() {
    String[] init = run("som", "--vectors", "missing.npy", "--init", "kmeans++");
    assertThat(init[0]).isNotEqualTo("0");
    assertThat(init[2]).contains("--init must be 'pca' or 'random'").doesNotContain("missing");
    String[] decay = run("som", "--vectors", "missing.npy", "--radius-decay", "cosine");
    assertThat(decay[2]).contains("--radius-decay must be");
    String[] zero =
        run(
            "som",
            "--vectors",
            "missing.npy",
            "--radius-decay",
            "exponential",
            "--radius-end",
            "0");
    assertThat(zero[0]).isNotEqualTo("0");
    assertThat(zero[2]).contains("needs start and end > 0");
  }

  @Test
  void benchHsomTimesAFit() throws IOException {
    String[] r = run("hsom", "--vectors", matrix(400, 5).toString(), "--repeat", "1");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    JsonNode json = new ObjectMapper().readTree(r[1]);
    assertThat(json.get("n").asInt()).isEqualTo(400);
    assertThat(json.get("fit_s_median").asDouble()).isPositive();
    assertThat(json.get("qe_per_level").size()).isEqualTo(2);
  }

  @Test
  void missingFilesAndUnknownBackendsFailWithOneLine() {
    String[] r = run("som", "--vectors", dir.resolve("nope.npy").toString());
    assertThat(r[0]).isNotEqualTo("0");
    assertThat(r[2]).contains("nope.npy");
    String[] unknown = run("som", "--vectors", "x.npy", "--backend", "quantum");
    assertThat(unknown[0]).isNotEqualTo("0");
  }
}
