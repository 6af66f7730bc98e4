package org.refinepoi.spark.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.HierarchicalSom;
import org.refinepoi.som.HierarchicalSomModel;
import org.refinepoi.som.backend.JavaSomBackend;
import org.refinepoi.som.backend.SomSession;
import org.refinepoi.som.train.SomConfig;
import org.refinepoi.som.train.SomMap;
import org.refinepoi.som.train.SomTrainer;
import org.refinepoi.spark.SparkHierarchicalSom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Times one hierarchical-SOM fit (first level: timed batch-map epochs; second level: every TREE
 * child) either on the single-JVM Java backend or through {@link SparkHierarchicalSom} in a Spark
 * master such as {@code local[2]}, on rows generated from a seed (a Gaussian mixture, the same rows
 * in both), and prints one JSON line: phase times, per-epoch times, heap figures and the model
 * file's SHA-256 (equal hashes: bit-identical models). Run each implementation in its own JVM so
 * their heaps do not mix; {@code refine-poi-examples/bench/spark-som.sh} interleaves them.
 */
@Command(
    name = "spark-som-bench",
    mixinStandardHelpOptions = true,
    description = "Hierarchical SOM fit: single-JVM Java backend or Spark, one JSON line.")
public final class SparkSomBenchmark implements Callable<Integer> {

  @Option(names = "--impl", required = true, description = "java or spark.")
  private String impl;

  @Option(names = "--rows", required = true, description = "Rows N.")
  private long rows;

  @Option(names = "--dims", defaultValue = "64", description = "Columns D (default 64).")
  private int dims;

  @Option(
      names = "--levels",
      defaultValue = "64x64,4x4",
      description = "Lattices (default 64x64,4x4).")
  private String levels;

  @Option(
      names = "--epochs",
      defaultValue = "4",
      description = "First-level epochs; the first is a warm-up (default 4).")
  private int epochs;

  @Option(names = "--child-epochs", defaultValue = "5", description = "Child epochs (default 5).")
  private int childEpochs;

  @Option(names = "--master", defaultValue = "local[2]", description = "Spark master.")
  private String master;

  @Option(names = "--partitions", defaultValue = "8", description = "Input partitions (default 8).")
  private int partitions;

  @Option(names = "--seed", defaultValue = "7", description = "Seed (default 7).")
  private long seed;

  @Option(names = "--round", defaultValue = "0", description = "Round number, echoed.")
  private int round;

  @Option(names = "--model-out", description = "Write the model file here.")
  private Path modelOut;

  /** Picocli builds it. */
  public SparkSomBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args see {@code --help}
   */
  public static void main(String[] args) {
    System.exit(new CommandLine(new SparkSomBenchmark()).execute(args));
  }

  /** Row i of the generated data: one of 48 Gaussian clusters, from the seed and i alone. */
  static void row(long seed, long i, float[] centres, int dims, float[] out, int offset) {
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
    int c = r.nextInt(centres.length / dims);
    for (int k = 0; k < dims; k++) {
      out[offset + k] = centres[c * dims + k] + (float) (r.nextGaussian() * 0.6);
    }
  }

  static float[] centres(long seed, int dims) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] c = new float[48 * dims];
    for (int i = 0; i < c.length; i++) {
      c[i] = (float) (r.nextDouble() * 8 - 4);
    }
    return c;
  }

  private HierarchicalSom hsom() {
    LatticeSpec[] l = org.refinepoi.spark.SemanticIdJob.parseLevels(levels);
    int[] e = new int[l.length];
    java.util.Arrays.fill(e, childEpochs);
    e[0] = epochs;
    return HierarchicalSom.builder().levels(l).epochs(e).seed(seed).build();
  }

  @Override
  public Integer call() throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("impl", impl.equals("spark") ? "spark-" + master : "java");
    out.put("round", round);
    out.put("n", rows);
    out.put("d", dims);
    out.put("levels", levels);
    out.put("epochs", epochs);
    out.put("child_epochs", childEpochs);
    out.put("cores", Runtime.getRuntime().availableProcessors());
    out.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
    out.put("load_start", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    List<Double> epochSeconds = new ArrayList<>();
    Map<String, Double> phases = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    HierarchicalSomModel model;
    if (impl.equals("spark")) {
      model = spark(epochSeconds, phases, out);
    } else if (impl.equals("java")) {
      model = local(epochSeconds, phases, out);
    } else {
      throw new IllegalArgumentException("--impl must be java or spark");
    }
    out.put("total_s", (System.nanoTime() - t0) / 1e9);
    out.put("load_end", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    out.put("phases_s", phases);
    out.put("epoch_s", epochSeconds);
    // The first epoch warms the JIT up: the median is over the others when there are any.
    List<Double> sorted =
        new ArrayList<>(
            epochSeconds.size() > 1 ? epochSeconds.subList(1, epochSeconds.size()) : epochSeconds);
    sorted.sort(null);
    int k = sorted.size();
    out.put(
        "s_per_epoch",
        k % 2 == 1 ? sorted.get(k / 2) : (sorted.get(k / 2 - 1) + sorted.get(k / 2)) / 2);
    out.put("heap_pool_peaks_mb", heapPoolPeaksMb());
    Path file = modelOut != null ? modelOut : Files.createTempFile("bench", ".hsom");
    model.save(file);
    out.put(
        "model_sha256",
        HexFormat.of()
            .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
    if (modelOut == null) {
      Files.delete(file);
    }
    System.out.println(new ObjectMapper().writeValueAsString(out));
    return 0;
  }

  private HierarchicalSomModel local(
      List<Double> epochSeconds, Map<String, Double> phases, Map<String, Object> out) {
    long t = System.nanoTime();
    int n = Math.toIntExact(rows);
    float[] centres = centres(seed, dims);
    float[] data = new float[Math.multiplyExact(n, dims)];
    IntStream.range(0, n).parallel().forEach(i -> row(seed, i, centres, dims, data, i * dims));
    FloatMatrix x = FloatMatrix.wrap(n, dims, data);
    phases.put("generate", secondsSince(t));
    HierarchicalSom hsom = hsom();
    SomConfig c0 = hsom.levelConfig(0);
    t = System.nanoTime();
    FloatMatrix init = c0.initialization().initialize(x, c0.lattice(), c0.seed());
    phases.put("init", secondsSince(t));
    SomMap root;
    int[] bmu;
    try (SomSession session = new JavaSomBackend().open(x)) {
      long[] last = {System.nanoTime()};
      root =
          new SomTrainer(c0)
              .trainBatch(
                  session,
                  init,
                  (e, r, w) -> {
                    long now = System.nanoTime();
                    epochSeconds.add((now - last[0]) / 1e9);
                    last[0] = now;
                  });
      t = System.nanoTime();
      bmu = session.bmu(root.codebook(), false).best();
    }
    out.put("heap_after_level0_mb", usedAfterGcMb());
    int cells = root.lattice().size();
    int[] counts = new int[cells];
    for (int b : bmu) {
      counts[b]++;
    }
    int[][] members = new int[cells][];
    for (int u = 0; u < cells; u++) {
      members[u] = new int[counts[u]];
    }
    int[] fill = new int[cells];
    for (int i = 0; i < n; i++) {
      members[bmu[i]][fill[bmu[i]]++] = i;
    }
    HierarchicalSom single = hsom.withBackend(new JavaSomBackend(1));
    HierarchicalSomModel[] subtrees = new HierarchicalSomModel[cells];
    IntStream.range(0, cells)
        .parallel()
        .forEach(
            u -> {
              if (members[u].length > 0) {
                subtrees[u] = single.fitSubtree(u, x.selectRows(members[u]));
              }
            });
    phases.put("children", secondsSince(t));
    return HierarchicalSomModel.ofTree(hsom.levels(), root, java.util.Arrays.asList(subtrees));
  }

  private HierarchicalSomModel spark(
      List<Double> epochSeconds, Map<String, Double> phases, Map<String, Object> out) {
    SparkSession spark =
        SparkSession.builder()
            .master(master)
            .appName("refine-poi spark-som bench")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", Integer.toString(partitions))
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      StructType schema =
          new StructType()
              .add("row", DataTypes.LongType, false)
              .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false);
      long s = seed;
      int d = dims;
      float[] centres = centres(seed, dims);
      Dataset<Row> data =
          spark
              .range(0, rows, 1, partitions)
              .mapPartitions(
                  (MapPartitionsFunction<Long, Row>) it -> new Generated(it, s, centres, d),
                  Encoders.row(schema));
      SparkHierarchicalSom trainer =
          SparkHierarchicalSom.builder(hsom())
              .listener(
                  new SparkHierarchicalSom.EpochListener() {
                    @Override
                    public void epochDone(int level, int epoch, double seconds) {
                      epochSeconds.add(seconds);
                    }

                    @Override
                    public void phaseDone(String phase, int level, double seconds) {
                      phases.put(phase, seconds);
                      if (phase.equals("load")) {
                        out.put("storage_mb", storageMb(spark));
                        out.put("heap_after_load_mb", usedAfterGcMb());
                      }
                      if (phase.equals("children")) {
                        out.put("heap_after_children_mb", usedAfterGcMb());
                      }
                    }
                  })
              .build();
      HierarchicalSomModel model = trainer.fit(data);
      out.put("partitions", partitions);
      return model;
    } finally {
      spark.stop();
    }
  }

  /** The generated rows of one partition of {@code spark.range}. */
  private static final class Generated implements java.util.Iterator<Row> {
    private final java.util.Iterator<Long> ids;
    private final long seed;
    private final float[] centres;
    private final int dims;
    private final float[] v;

    Generated(java.util.Iterator<Long> ids, long seed, float[] centres, int dims) {
      this.ids = ids;
      this.seed = seed;
      this.centres = centres;
      this.dims = dims;
      this.v = new float[dims];
    }

    @Override
    public boolean hasNext() {
      return ids.hasNext();
    }

    @Override
    public Row next() {
      long i = ids.next();
      row(seed, i, centres, dims, v, 0);
      List<Object> boxed = new ArrayList<>(dims);
      for (float f : v) {
        boxed.add(f);
      }
      return RowFactory.create(i, scala.jdk.javaapi.CollectionConverters.asScala(boxed).toSeq());
    }
  }

  private static long storageMb(SparkSession spark) {
    long bytes = 0;
    for (org.apache.spark.storage.RDDInfo info : spark.sparkContext().getRDDStorageInfo()) {
      bytes += info.memSize();
    }
    return bytes >> 20;
  }

  private static double secondsSince(long t) {
    return (System.nanoTime() - t) / 1e9;
  }

  private static long usedAfterGcMb() {
    System.gc();
    Runtime r = Runtime.getRuntime();
    return (r.totalMemory() - r.freeMemory()) >> 20;
  }

  private static long heapPoolPeaksMb() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak >> 20;
  }
}
