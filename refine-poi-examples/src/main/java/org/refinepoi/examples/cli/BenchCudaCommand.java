package org.refinepoi.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.refinepoi.core.io.AtomicFiles;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.backend.BmuResult;
import org.refinepoi.som.backend.JavaSomBackend;
import org.refinepoi.som.backend.SomSession;
import org.refinepoi.som.cuda.Cublas;
import org.refinepoi.som.cuda.CudaContext;
import org.refinepoi.som.cuda.CudaDriver;
import org.refinepoi.som.cuda.CudaEvent;
import org.refinepoi.som.cuda.CudaPrecision;
import org.refinepoi.som.cuda.CudaSomBackend;
import org.refinepoi.som.cuda.CudaSomSession;
import org.refinepoi.som.cuda.CudaStream;
import org.refinepoi.som.cuda.DeviceBuffer;
import org.refinepoi.som.train.Neighbourhood;
import org.refinepoi.som.train.NeighbourhoodMatrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code refine-poi bench cuda}: the GPU SOM benchmark and check in one run. For each N it draws
 * standard-normal data (seeded, like the PyTorch anchor {@code torch_batch_som.py}), initialises
 * the codebook from random samples, and for each backend: checks BMUs against an exact double
 * oracle on a sample of rows, times batch-map epochs (device events around the device work; wall
 * clock through the lattice-aware and the host-matrix epoch APIs), reports QE/TE and, for the
 * tensor-core modes, the codebook's distance from the FP32 run. It also measures the device's
 * cuBLAS SGEMM rate at the BMU shape, the ceiling the fused kernel is compared with. Prints JSON
 * lines, then a table.
 */
@Command(
    name = "cuda",
    header = "Checks and times the CUDA SOM backend against the Java one.",
    mixinStandardHelpOptions = true,
    description = "Check and time the CUDA SOM backend (and the Java one) on random data.")
public final class BenchCudaCommand implements Callable<Integer> {

  @Option(
      names = "--sizes",
      split = ",",
      defaultValue = "100000,1000000,10000000",
      description = "Sample counts N (default 100000,1000000,10000000).")
  List<Integer> sizes;

  @Option(names = "--dims", defaultValue = "64", description = "Features D (default 64).")
  int dims;

  @Option(names = "--rows", defaultValue = "64", description = "Lattice rows (default 64).")
  int rows;

  @Option(names = "--cols", defaultValue = "64", description = "Lattice columns (default 64).")
  int cols;

  @Option(
      names = "--backends",
      split = ",",
      defaultValue = "cuda-fp32,cuda,cuda-3xtf32,java",
      description =
          "Backends: cuda-fp32 (the FP32 reference; list it first for the comparisons), cuda (TF32"
              + " with an FP32 re-rank, the default mode), cuda-3xtf32, java.")
  List<String> backends;

  @Option(names = "--epochs", defaultValue = "5", description = "Epochs per timing (default 5).")
  int epochs;

  @Option(names = "--reps", defaultValue = "5", description = "Timing repetitions (default 5).")
  int reps;

  @Option(
      names = "--java-max-n",
      defaultValue = "1000000",
      description =
          "Largest N the java backend is timed on (default 1000000; up to 3 epochs after a"
              + " warm-up).")
  int javaMaxN;

  @Option(
      names = "--check-rows",
      defaultValue = "2000",
      description = "Rows checked against the exact oracle (default 2000).")
  int checkRows;

  @Option(names = "--seed", defaultValue = "42", description = "Seed (default 42).")
  long seed;

  @Option(names = "--out", description = "Also write the JSON lines to this file.")
  Path out;

  @Option(
      names = "--skip-sgemm",
      description = "Do not measure the cuBLAS SGEMM ceiling (for runs under compute-sanitizer).")
  boolean skipSgemm;

  @Option(
      names = "--require-all",
      description =
          "Fail (exit 3) when any listed CUDA backend is unavailable, instead of skipping it, so a"
              + " missing mode cannot pass unnoticed.")
  boolean requireAll;

  @Option(
      names = "--kernel-report",
      description =
          "Only print each CUDA mode's kernels with their registers and local memory (spills) as"
              + " NVRTC compiled them for the device, then exit (3 if a kernel spills).")
  boolean kernelReport;

  @Spec CommandSpec spec;

  /** Created by picocli. */
  public BenchCudaCommand() {}

  /** The precision a CUDA backend name selects ({@code cuda} is the default mode). */
  static CudaPrecision precisionOf(String name) {
    return name.equals("cuda")
        ? CudaPrecision.DEFAULT
        : CudaPrecision.parse(name.substring("cuda-".length()));
  }

  /** Availability of every listed CUDA backend; prints and returns the unavailable ones. */
  private List<String> unavailable() {
    List<String> missing = new ArrayList<>();
    for (String name : backends) {
      if (name.startsWith("cuda")) {
        var a = CudaSomBackend.probe(precisionOf(name), 0);
        if (!a.available()) {
          missing.add(name + ": " + a.reason());
        }
      }
    }
    return missing;
  }

  private int kernelReport() {
    FloatMatrix x = gaussian(4096, dims, seed);
    int spilling = 0;
    for (String name : backends) {
      if (!name.startsWith("cuda")) {
        continue;
      }
      CudaPrecision p = precisionOf(name);
      try (CudaSomSession s = new CudaSomBackend(p).open(x)) {
        System.out.println("## " + name + " on " + s.device());
        System.out.println("| kernel | registers | local bytes (spills, stack) |");
        System.out.println("|---|---|---|");
        for (CudaSomSession.KernelResources k : s.kernelResources()) {
          System.out.printf("| %s | %d | %d |%n", k.kernel(), k.registers(), k.localBytes());
          spilling += k.localBytes() > 0 ? 1 : 0;
        }
      }
    }
    if (spilling > 0) {
      System.out.println("FAIL: " + spilling + " kernel(s) use local memory (spills)");
      return 3;
    }
    System.out.println("OK: no kernel uses local memory");
    return 0;
  }

  @Override
  public Integer call() throws IOException {
    CliOptions.outputFile(spec, "--out", out);
    List<String> missing = unavailable();
    if ((requireAll || kernelReport) && !missing.isEmpty()) {
      for (String m : missing) {
        System.err.println("CUDA backend unavailable: " + m);
      }
      return 3;
    }
    if (kernelReport) {
      return kernelReport();
    }
    ObjectMapper json = new ObjectMapper();
    List<ObjectNode> results = new ArrayList<>();
    LatticeSpec lattice = LatticeSpec.rectangular(rows, cols);
    double radius = Math.max(rows, cols) / 2.0; // the anchor's sigma for its timed epochs
    int m = lattice.size();
    Map<String, Double> sgemmTflops =
        skipSgemm ? new LinkedHashMap<>() : measureSgemm(json, results);
    for (int n : sizes) {
      FloatMatrix x = gaussian(n, dims, seed);
      FloatMatrix w0 = x.selectRows(new SplittableRandom(seed + 1).ints(m, 0, n).toArray());
      FloatMatrix fp32Codebook = null;
      double javaSeconds = Double.NaN;
      for (String name : backends) {
        ObjectNode r = json.createObjectNode();
        r.put("impl", "refine-poi-" + name);
        r.put("n", n);
        r.put("d", dims);
        r.put("rows", rows);
        r.put("cols", cols);
        r.put("epochs", epochs);
        r.put("reps", reps);
        if (name.equals("java")) {
          if (n > javaMaxN) {
            continue;
          }
          javaSeconds = timeJava(x, w0, lattice, radius, r);
        } else {
          CudaPrecision p = precisionOf(name);
          var availability = CudaSomBackend.probe(p, 0);
          if (!availability.available()) {
            r.put("skipped", availability.reason());
            emit(json, results, r);
            continue;
          }
          FloatMatrix trained = timeCuda(new CudaSomBackend(p), x, w0, lattice, radius, r);
          double flops = 2.0 * n * (double) m * dims;
          double perEpoch = r.get("device_s_per_epoch_median").asDouble();
          r.put("tflops_bmu", flops / perEpoch / 1e12);
          Double ceiling = sgemmTflops.get(p == CudaPrecision.TF32 ? "tf32" : "fp32");
          if (ceiling != null) {
            r.put("fraction_of_sgemm_rate", flops / perEpoch / 1e12 / ceiling);
          }
          if (p == CudaPrecision.FP32) {
            fp32Codebook = trained;
          } else if (fp32Codebook != null) {
            r.put("codebook_rel_err_vs_fp32", relativeError(trained, fp32Codebook));
          }
        }
        emit(json, results, r);
      }
      if (!Double.isNaN(javaSeconds)) {
        for (ObjectNode r : results) {
          if (r.path("n").asInt() == n
              && r.has("s_per_epoch")
              && !r.get("impl").asText().equals("refine-poi-java")) {
            r.put("java_over_this", javaSeconds / r.get("s_per_epoch").asDouble());
          }
        }
      }
    }
    printTable(results);
    if (out != null) {
      AtomicFiles.writeStream(
          out,
          stream -> {
            for (ObjectNode r : results) {
              stream.write((json.writeValueAsString(r) + "\n").getBytes(StandardCharsets.UTF_8));
            }
          });
    }
    return 0;
  }

  private static void emit(ObjectMapper json, List<ObjectNode> results, ObjectNode r)
      throws IOException {
    results.add(r);
    System.out.println(json.writeValueAsString(r));
  }

  /** N × D standard normals, generated in parallel blocks with their own seeds (deterministic). */
  static FloatMatrix gaussian(int n, int d, long seed) {
    float[] v = new float[Math.multiplyExact(n, d)];
    int block = 65536;
    IntStream.range(0, (n + block - 1) / block)
        .parallel()
        .forEach(
            b -> {
              SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + b);
              int from = b * block * d;
              int to = Math.min(n, (b + 1) * block) * d;
              for (int i = from; i < to; i++) {
                v[i] = (float) rnd.nextGaussian();
              }
            });
    return FloatMatrix.wrap(n, d, v);
  }

  private FloatMatrix timeCuda(
      CudaSomBackend backend,
      FloatMatrix x,
      FloatMatrix w0,
      LatticeSpec lattice,
      double radius,
      ObjectNode r) {
    long t0 = System.nanoTime();
    try (CudaSomSession s = backend.open(x)) {
      r.put("open_s", (System.nanoTime() - t0) / 1e9);
      r.put("device", s.device().toString());
      r.put("resident", s.resident());
      // Correctness: BMUs against the exact oracle on a sample of rows.
      BmuResult b = s.bmu(w0, true);
      checkBmus(x, w0, b, r);
      // Device time of whole epochs (events), repeated.
      double[] device = new double[reps];
      FloatMatrix w = w0;
      for (int i = 0; i < reps; i++) {
        device[i] =
            s.deviceMillisPerEpoch(w, lattice, Neighbourhood.GAUSSIAN, radius, epochs) / 1e3;
      }
      putStats(r, "device_s_per_epoch", device);
      // Wall clock through the lattice-aware epoch (H built on the device).
      double[] wall = new double[reps];
      for (int i = 0; i < reps; i++) {
        long t = System.nanoTime();
        for (int e = 0; e < epochs; e++) {
          w = s.batchEpoch(w, lattice, Neighbourhood.GAUSSIAN, radius);
        }
        wall[i] = (System.nanoTime() - t) / 1e9 / epochs;
      }
      putStats(r, "s_per_epoch", wall);
      // Wall clock through the generic API the trainer uses (M x M weights built on the host).
      NeighbourhoodMatrix nm = new NeighbourhoodMatrix(lattice);
      double[] host = new double[Math.max(1, reps / 2)];
      for (int i = 0; i < host.length; i++) {
        long t = System.nanoTime();
        w = s.batchEpoch(w, nm.weights(Neighbourhood.GAUSSIAN, radius));
        host[i] = (System.nanoTime() - t) / 1e9;
      }
      putStats(r, "host_matrix_s_per_epoch", host);
      // A fixed 5-epoch run from the common start, for QE/TE and the cross-precision comparison.
      FloatMatrix trained = w0;
      for (int e = 0; e < 5; e++) {
        trained = s.batchEpoch(trained, lattice, Neighbourhood.GAUSSIAN, radius * (1 - 0.15 * e));
      }
      double[] qt = s.quality(trained, lattice);
      r.put("qe", qt[0]);
      r.put("te", qt[1]);
      return trained;
    }
  }

  /**
   * The Java baseline on the path the trainer takes: the lattice-form epoch, which smooths a
   * Gaussian on a rectangular lattice separably (O(M (R + C) D)) instead of the dense O(M^2 D)
   * product. One warm-up epoch, then {@code reps} timed epochs (median, min, max).
   */
  private double timeJava(
      FloatMatrix x, FloatMatrix w0, LatticeSpec lattice, double radius, ObjectNode r) {
    try (SomSession s = new JavaSomBackend().open(x)) {
      FloatMatrix w = s.batchEpoch(w0, lattice, Neighbourhood.GAUSSIAN, radius); // warm-up
      double[] sec = new double[Math.max(1, Math.min(reps, 3))];
      for (int i = 0; i < sec.length; i++) {
        long t = System.nanoTime();
        w = s.batchEpoch(w, lattice, Neighbourhood.GAUSSIAN, radius);
        sec[i] = (System.nanoTime() - t) / 1e9;
      }
      putStats(r, "s_per_epoch", sec);
      r.put("threads", Runtime.getRuntime().availableProcessors());
      r.put("smoothing", "separable");
      BmuResult b = s.bmu(w, true);
      r.put("qe", b.quantizationError());
      return r.get("s_per_epoch").asDouble();
    }
  }

  private void checkBmus(FloatMatrix x, FloatMatrix w, BmuResult b, ObjectNode r) {
    SplittableRandom rnd = new SplittableRandom(seed + 2);
    int rowsChecked = Math.min(checkRows, x.rows());
    int agree = 0;
    int clear = 0;
    int clearAgree = 0;
    double maxDistErr = 0;
    int d = x.cols();
    float[] xs = x.unsafeData();
    float[] ws = w.unsafeData();
    for (int t = 0; t < rowsChecked; t++) {
      int i = rnd.nextInt(x.rows());
      double best = Double.MAX_VALUE;
      double second = Double.MAX_VALUE;
      int bi = -1;
      for (int u = 0; u < w.rows(); u++) {
        double s = 0;
        for (int k = 0; k < d; k++) {
          double diff = (double) xs[i * d + k] - ws[u * d + k];
          s += diff * diff;
        }
        if (s < best) {
          second = best;
          best = s;
          bi = u;
        } else if (s < second) {
          second = s;
        }
      }
      if (b.best()[i] == bi) {
        agree++;
      }
      if (second - best > 1e-4 * Math.max(best, 1e-3 * d)) {
        clear++;
        if (b.best()[i] == bi) {
          clearAgree++;
        }
      }
      maxDistErr =
          Math.max(maxDistErr, Math.abs(b.bestDistance()[i] - Math.sqrt(best)) / Math.sqrt(best));
    }
    r.put("bmu_checked", rowsChecked);
    r.put("bmu_agree_exact", agree / (double) rowsChecked);
    r.put("bmu_agree_clear", clear == 0 ? 1.0 : clearAgree / (double) clear);
    r.put("bmu_dist_max_rel_err", maxDistErr);
    r.put("check_passed", clear == clearAgree);
  }

  private static void putStats(ObjectNode r, String key, double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    r.put(key + "_median", s[s.length / 2]);
    r.put(key + "_min", s[0]);
    r.put(key + "_max", s[s.length - 1]);
    if (key.equals("s_per_epoch")) {
      r.put("s_per_epoch", s[s.length / 2]);
    }
  }

  static double relativeError(FloatMatrix a, FloatMatrix b) {
    double num = 0;
    double den = 0;
    float[] p = a.unsafeData();
    float[] q = b.unsafeData();
    for (int i = 0; i < p.length; i++) {
      num += ((double) p[i] - q[i]) * ((double) p[i] - q[i]);
      den += (double) q[i] * q[i];
    }
    return Math.sqrt(num / den);
  }

  /** cuBLAS SGEMM at the BMU shape (M units × N=65536 samples × D), FP32 and TF32, in TFLOP/s. */
  private Map<String, Double> measureSgemm(ObjectMapper json, List<ObjectNode> results)
      throws IOException {
    Map<String, Double> rates = new LinkedHashMap<>();
    CudaDriver.Loaded driver = CudaDriver.load();
    Cublas.Loaded cublas = Cublas.load();
    if (!driver.available() || !cublas.available()) {
      return rates;
    }
    int m = rows * cols;
    int n = 65536;
    int k = dims;
    try (CudaContext ctx = CudaContext.open(driver.driver(), 0);
        CudaStream stream = ctx.createStream();
        DeviceBuffer a = ctx.allocate(4L * m * k);
        DeviceBuffer b = ctx.allocate(4L * n * k);
        DeviceBuffer c = ctx.allocate(4L * m * n);
        CudaEvent start = ctx.createEvent();
        CudaEvent end = ctx.createEvent()) {
      a.upload(gaussian(m, k, 5).unsafeData());
      b.upload(gaussian(n, k, 6).unsafeData());
      for (String mode : new String[] {"fp32", "tf32"}) {
        try (Cublas.Handle h =
            cublas
                .cublas()
                .create(
                    ctx, stream, mode.equals("tf32") ? Cublas.MATH_TF32 : Cublas.MATH_DEFAULT)) {
          Runnable gemm =
              () ->
                  h.sgemm(
                      true, false, m, n, k, 1f, a.pointer(), k, b.pointer(), k, 0f, c.pointer(), m);
          for (int i = 0; i < 3; i++) {
            gemm.run();
          }
          int iters = 20;
          start.record(stream);
          for (int i = 0; i < iters; i++) {
            gemm.run();
          }
          end.record(stream);
          end.synchronize();
          double sec = end.millisSince(start) / 1e3 / iters;
          double tflops = 2.0 * m * n * k / sec / 1e12;
          rates.put(mode, tflops);
          ObjectNode r = json.createObjectNode();
          r.put("impl", "cublas-sgemm-" + mode);
          r.put("m", m);
          r.put("n", n);
          r.put("k", k);
          r.put("s", sec);
          r.put("tflops", tflops);
          emit(json, results, r);
        }
      }
    }
    return rates;
  }

  private static void printTable(List<ObjectNode> results) {
    System.out.println();
    System.out.println(
        "| impl | N | device ms/epoch (median [min,max]) | wall ms/epoch | host-H wall ms | TFLOP/s"
            + " | of SGEMM | QE | TE | BMU ok (clear) | rel err vs fp32 | java/this |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (ObjectNode r : results) {
      if (!r.has("n")) {
        continue;
      }
      System.out.printf(
          "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
          r.get("impl").asText(),
          r.get("n").asInt(),
          r.has("device_s_per_epoch_median")
              ? String.format(
                  "%.2f [%.2f, %.2f]",
                  1e3 * r.get("device_s_per_epoch_median").asDouble(),
                  1e3 * r.get("device_s_per_epoch_min").asDouble(),
                  1e3 * r.get("device_s_per_epoch_max").asDouble())
              : (r.has("skipped") ? "skipped: " + r.get("skipped").asText() : "-"),
          ms(r, "s_per_epoch"),
          ms(r, "host_matrix_s_per_epoch_median"),
          num(r, "tflops_bmu", "%.1f"),
          num(r, "fraction_of_sgemm_rate", "%.2f"),
          num(r, "qe", "%.5f"),
          num(r, "te", "%.4f"),
          num(r, "bmu_agree_clear", "%.4f"),
          num(r, "codebook_rel_err_vs_fp32", "%.2e"),
          num(r, "java_over_this", "%.1f"));
    }
  }

  private static String ms(ObjectNode r, String key) {
    return r.has(key) ? String.format("%.2f", 1e3 * r.get(key).asDouble()) : "-";
  }

  private static String num(ObjectNode r, String key, String format) {
    return r.has(key) ? String.format(format, r.get(key).asDouble()) : "-";
  }
}
