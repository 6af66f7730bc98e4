package org.refinepoi.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.refinepoi.core.io.Npy;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.backend.BmuResult;
import org.refinepoi.som.backend.JavaSomBackend;
import org.refinepoi.som.backend.SomBackend;
import org.refinepoi.som.backend.SomBackends;
import org.refinepoi.som.backend.SomSession;
import org.refinepoi.som.train.Decay;
import org.refinepoi.som.train.Initialization;
import org.refinepoi.som.train.Schedule;
import org.refinepoi.som.train.SomConfig;
import org.refinepoi.som.train.SomMap;
import org.refinepoi.som.train.SomQuality;
import org.refinepoi.som.train.SomTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code refine-poi bench som}: trains a batch-map SOM on a float32 {@code .npy} matrix with one
 * backend and prints the docs/benchmarks.md JSON line. The timed region is the epochs only (the
 * data is already resident in the backend session; initialization and the final QE/TE pass are not
 * timed), so {@code s_per_epoch} compares directly with other tools' per-epoch figures.
 *
 * <p>The regime is the SDK's by default (PCA initialization, Gaussian neighbourhood, radius linear
 * from half the longer lattice side to 1) and is printed in the JSON line ({@code init}, {@code
 * radius_decay}, {@code radius_start}, {@code radius_end}), so a peer can be run under the same
 * one; {@code --init-codebook-out} writes the initial codebook for a peer to start from.
 */
@Command(
    name = "som",
    header = "Times batch-map SOM epochs on a .npy matrix.",
    mixinStandardHelpOptions = true,
    description = "Time batch-map SOM epochs on a .npy matrix; prints one JSON line.")
public final class BenchSomCommand implements Callable<Integer> {

  @Option(names = "--vectors", required = true, description = "float32 .npy matrix (N x D).")
  Path data;

  @Option(names = "--rows", defaultValue = "32", description = "Lattice rows (default 32).")
  int rows;

  @Option(names = "--cols", defaultValue = "32", description = "Lattice columns (default 32).")
  int cols;

  @Option(names = "--epochs", defaultValue = "5", description = "Timed epochs (default 5).")
  int epochs;

  @Option(
      names = "--backend",
      defaultValue = "auto",
      description = "java, nd4j, cuda or auto (default auto).")
  String backend;

  @Option(names = "--seed", defaultValue = "42", description = "Seed (default 42).")
  long seed;

  @Option(
      names = "--threads",
      description = "Worker threads of the java backend (default: all processors).")
  Integer threads;

  @Option(
      names = "--warmup",
      defaultValue = "1",
      description = "Untimed warm-up epochs before the timed ones (default 1; JIT and caches).")
  int warmup;

  @Option(names = "--codebook", description = "Write the trained codebook here (.npy).")
  Path codebook;

  @Option(
      names = "--init",
      defaultValue = "pca",
      description = "Initialization: pca (the SDK default) or random (distinct samples).")
  String init;

  @Option(
      names = "--radius-decay",
      defaultValue = "linear",
      description = "Radius schedule: linear (the SDK default), exponential or asymptotic.")
  String radiusDecay;

  @Option(
      names = "--radius-start",
      description = "First-epoch radius (default: half the longer lattice side, at least 1).")
  Double radiusStart;

  @Option(names = "--radius-end", description = "Last-epoch radius (default 1).")
  Double radiusEnd;

  @Option(
      names = "--init-codebook-out",
      description = "Write the initial codebook here (.npy), for a peer to start from it.")
  Path initCodebookOut;

  @Spec CommandSpec spec;

  /** Created by picocli. */
  public BenchSomCommand() {}

  private Initialization initialization(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "pca" -> Initialization.PCA;
      case "random" -> Initialization.RANDOM_SAMPLES;
      default ->
          throw new ParameterException(
              spec.commandLine(), "--init must be 'pca' or 'random', got '" + value + "'");
    };
  }

  private Decay decay(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "linear" -> Decay.LINEAR;
      case "exponential" -> Decay.EXPONENTIAL;
      case "asymptotic" -> Decay.ASYMPTOTIC;
      default ->
          throw new ParameterException(
              spec.commandLine(),
              "--radius-decay must be 'linear', 'exponential' or 'asymptotic', got '"
                  + value
                  + "'");
    };
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  @Override
  public Integer call() {
    checkOptions();
    try {
      return run();
    } catch (ParameterException e) {
      throw e; // a usage error (--init, --radius-decay): picocli prints it with the usage
    } catch (java.io.IOException | RuntimeException e) {
      return CliOptions.fail(spec, e);
    }
  }

  /** The option checks, before the data is read: a typo or an unwritable output fails at once. */
  private void checkOptions() {
    CliOptions.atLeast(spec, "--rows", rows, 1);
    CliOptions.atLeast(spec, "--cols", cols, 1);
    CliOptions.atLeast(spec, "--epochs", epochs, 1);
    CliOptions.atLeast(spec, "--warmup", warmup, 0);
    if (threads != null) {
      CliOptions.atLeast(spec, "--threads", threads, 1);
    }
    LatticeSpec lattice;
    try {
      lattice = LatticeSpec.rectangular(rows, cols);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--rows x --cols: " + e.getMessage());
    }
    initialization(init);
    try {
      radius(lattice);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "the radius: " + e.getMessage());
    }
    CliOptions.inputFile(spec, "--vectors", data);
    CliOptions.outputFile(spec, "--codebook", codebook, data);
    CliOptions.outputFile(spec, "--init-codebook-out", initCodebookOut, data, codebook);
  }

  /** The radius schedule the options give for a lattice. */
  private Schedule radius(LatticeSpec lattice) {
    Schedule defaults = SomConfig.defaultRadius(lattice);
    return new Schedule(
        decay(radiusDecay),
        radiusStart != null ? radiusStart : defaults.start(),
        radiusEnd != null ? radiusEnd : defaults.end());
  }

  private int run() throws java.io.IOException {
    LatticeSpec lattice = LatticeSpec.rectangular(rows, cols);
    Initialization initialization = initialization(init);
    Schedule radius = radius(lattice);
    FloatMatrix x = Npy.read(data);
    SomBackend be =
        threads != null && backend.equals("java")
            ? new JavaSomBackend(threads)
            : SomBackends.byName(backend);
    SomConfig config =
        SomConfig.builder(lattice)
            .epochs(epochs)
            .initialization(initialization)
            .radius(radius)
            .seed(seed)
            .build();
    SomTrainer trainer = new SomTrainer(config);
    SomTrainer.requireMemory(lattice, x.cols());
    FloatMatrix initial = config.initialization().initialize(x, lattice, seed);
    if (initCodebookOut != null) {
      Npy.write(initCodebookOut, initial);
    }
    double trainSeconds;
    double cpuSeconds;
    double[] epochSeconds = new double[epochs];
    SomMap map;
    BmuResult quality;
    try (SomSession session = be.open(x)) {
      if (warmup > 0) {
        new SomTrainer(config.toBuilder().epochs(warmup).build()).trainBatch(session, initial);
      }
      long[] last = {System.nanoTime()};
      long t0 = last[0];
      long cpu0 = processCpuNanos();
      SomMap trained =
          trainer.trainBatch(
              session,
              initial,
              (epoch, r, w) -> {
                long now = System.nanoTime();
                epochSeconds[epoch] = (now - last[0]) / 1e9;
                last[0] = now;
              });
      trainSeconds = (System.nanoTime() - t0) / 1e9;
      cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
      map = trained;
      quality = session.bmu(map.codebook(), lattice.size() >= 2);
    }
    double[] sorted = epochSeconds.clone();
    Arrays.sort(sorted);
    ObjectNode json = new ObjectMapper().createObjectNode();
    json.put("impl", "refine-poi-" + be.name());
    json.put("n", x.rows());
    json.put("d", x.cols());
    json.put("rows", rows);
    json.put("cols", cols);
    json.put("epochs", epochs);
    json.put("init", init.toLowerCase(Locale.ROOT));
    json.put("neighbourhood", "gaussian");
    json.put("radius_decay", radius.decay().name().toLowerCase(Locale.ROOT));
    json.put("radius_start", radius.start());
    json.put("radius_end", radius.end());
    json.put("seed", seed);
    json.put("train_s", trainSeconds);
    json.put("s_per_epoch", trainSeconds / epochs);
    json.put("s_per_epoch_median", sorted[epochs / 2]);
    json.put("s_per_epoch_min", sorted[0]);
    json.put("s_per_epoch_max", sorted[epochs - 1]);
    // CPU seconds of the whole process (all threads) per epoch: steadier than wall time when
    // other processes share the cores.
    json.put("cpu_s_per_epoch", cpuSeconds / epochs);
    json.put("qe", SomQuality.quantizationError(quality));
    json.put(
        "te", quality.second() == null ? 0.0 : SomQuality.topographicError(quality, map.lattice()));
    json.put("backend_detail", be.toString());
    spec.commandLine().getOut().println(json);
    spec.commandLine().getOut().flush();
    if (codebook != null) {
      Npy.write(codebook, map.codebook());
    }
    return 0;
  }
}
