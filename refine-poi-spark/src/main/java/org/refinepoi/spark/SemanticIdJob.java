package org.refinepoi.spark;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.refinepoi.core.features.PoiFeatureBuilder;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.som.HierarchicalSom;
import org.refinepoi.som.HierarchicalSomModel;
import org.refinepoi.som.HierarchyMode;
import org.refinepoi.som.train.Initialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code spark-submit} entry point: check-ins or POI vectors (Parquet or CSV) → POI features →
 * hierarchical SOM → semantic IDs, written under an output directory on any file system Spark
 * writes to: {@code features/} (Parquet, from check-ins), {@code model.hsom} (the model file {@link
 * HierarchicalSomModel#load} reads), {@code ids/} (Parquet: {@code poi_id, sid, cells, slot,
 * leaf_distance}) and, with {@code --index}, {@code index.sid} (the {@link SemanticIdIndex} file).
 * Run {@code --help} for the options; see the module's README for standalone, YARN and Kubernetes
 * command lines.
 */
@Command(
    name = "refine-poi-spark",
    mixinStandardHelpOptions = true,
    description = "Check-ins or POI vectors -> POI features -> hierarchical SOM -> semantic IDs.")
public final class SemanticIdJob implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(SemanticIdJob.class);

  @Option(
      names = "--checkins",
      description =
          "Check-in table (poi_id, category, latitude,"
              + " longitude, utc_epoch_second, utc_offset_minutes; user_id with --covisit).")
  private String checkIns;

  @Option(
      names = "--pois",
      description =
          "Optional POI table (poi_id, category, latitude," + " longitude) for --checkins.")
  private String pois;

  @Option(
      names = "--vectors",
      description =
          "POI vectors: poi_id and an array column 'vector'"
              + " (Parquet) or poi_id and numeric columns (CSV).")
  private String vectors;

  @Option(
      names = "--format",
      defaultValue = "parquet",
      description = "Input format: parquet or csv (with a header row); default parquet.")
  private String format;

  @Option(
      names = "--covisit",
      description =
          "Add the co-visit (collaborative) feature block, with PoiFeatureBuilder's defaults; the"
              + " check-in table then needs a user_id column. Off by default.")
  private boolean covisit;

  @Option(names = "--out", required = true, description = "Output directory.")
  private String out;

  @Option(
      names = "--levels",
      defaultValue = "16x16,4x4",
      description = "Rectangular lattices, coarsest first (default 16x16,4x4).")
  private String levels;

  @Option(names = "--mode", defaultValue = "tree", description = "tree or residual (default tree).")
  private String mode;

  @Option(names = "--epochs", description = "Epochs per level (default 30 then 20).")
  private String epochs;

  @Option(names = "--init", defaultValue = "pca", description = "pca or random (default pca).")
  private String init;

  @Option(names = "--seed", defaultValue = "42", description = "Seed (default 42).")
  private long seed;

  @Option(names = "--id-column", defaultValue = "poi_id", description = "POI id column.")
  private String idColumn;

  @Option(names = "--vector-column", defaultValue = "vector", description = "Vector column.")
  private String vectorColumn;

  @Option(
      names = "--order-column",
      description =
          "Integer column of distinct values fixing the row order (default: input order).")
  private String orderColumn;

  @Option(
      names = "--index",
      description = "Also write index.sid (the catalogue must fit the driver).")
  private boolean index;

  /** Picocli builds it. */
  public SemanticIdJob() {}

  /**
   * Runs the job.
   *
   * @param args the command line (see {@code --help})
   */
  public static void main(String[] args) {
    int code = new CommandLine(new SemanticIdJob()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() throws IOException {
    if ((checkIns == null) == (vectors == null)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "give exactly one of --checkins and --vectors");
    }
    boolean existing =
        SparkSession.getActiveSession().isDefined() || SparkSession.getDefaultSession().isDefined();
    SparkSession spark = SparkSession.builder().appName("refine-poi semantic IDs").getOrCreate();
    try {
      Dataset<Row> poiVectors;
      if (checkIns != null) {
        SparkPoiFeatures featureBuilder =
            SparkPoiFeatures.builder()
                .collaborative(covisit ? PoiFeatureBuilder.create() : null)
                .build();
        SparkPoiFeatures.Features features =
            pois == null
                ? featureBuilder.build(read(spark, checkIns))
                : featureBuilder.build(read(spark, checkIns), read(spark, pois));
        features.vectors().write().parquet(out + "/features");
        poiVectors = spark.read().parquet(out + "/features");
        idColumn = "poi_id";
        vectorColumn = "vector";
        LOG.info("{} POI features of width {} written", features.pois(), features.dimension());
      } else {
        poiVectors = read(spark, vectors);
        if (format.equals("csv")) {
          poiVectors = assembleCsvVectors(poiVectors);
        }
      }
      HierarchicalSom.Builder hsom =
          HierarchicalSom.builder()
              .levels(parseLevels(levels))
              .mode(HierarchyMode.valueOf(mode.toUpperCase(java.util.Locale.ROOT)))
              .initialization(
                  init.equals("random") ? Initialization.RANDOM_SAMPLES : Initialization.PCA)
              .seed(seed);
      if (epochs != null) {
        hsom.epochs(Arrays.stream(epochs.split(",")).mapToInt(Integer::parseInt).toArray());
      }
      SparkHierarchicalSom.Builder trainer =
          SparkHierarchicalSom.builder(hsom.build()).vectorColumn(vectorColumn).idColumn(idColumn);
      if (orderColumn != null) {
        trainer.orderColumn(orderColumn);
      }
      HierarchicalSomModel model = trainer.build().fit(poiVectors);
      copyOut(spark, "model.hsom", file -> model.save(file));
      SparkSemanticIds.Builder ids =
          SparkSemanticIds.builder(model).idColumn(idColumn).vectorColumn(vectorColumn);
      if (orderColumn != null) {
        ids.orderColumn(orderColumn);
      }
      try (SemanticIdAssignment assignment = ids.build().assign(poiVectors)) {
        assignment.writeParquet(out + "/ids");
        LOG.info("{} semantic IDs written to {}/ids", assignment.count(), out);
        if (index) {
          SemanticIdIndex built = assignment.toIndex();
          copyOut(spark, "index.sid", built::save);
          LOG.info("index: {}", built.collisionStats());
        }
      }
      return 0;
    } finally {
      if (!existing) {
        spark.stop();
      }
    }
  }

  private Dataset<Row> read(SparkSession spark, String path) {
    return switch (format) {
      case "parquet" -> spark.read().parquet(path);
      case "csv" -> spark.read().option("header", "true").option("inferSchema", "true").csv(path);
      default -> throw new IllegalArgumentException("--format must be parquet or csv: " + format);
    };
  }

  /** CSV vectors: every numeric column except the order column, in file order, as the vector. */
  private Dataset<Row> assembleCsvVectors(Dataset<Row> csv) {
    List<Column> parts = new ArrayList<>();
    for (StructField f : csv.schema().fields()) {
      if (f.dataType() instanceof NumericType && !f.name().equals(orderColumn)) {
        parts.add(col(f.name()).cast("float"));
      }
    }
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("the CSV file has no numeric columns to use as vectors");
    }
    vectorColumn = "vector";
    return csv.withColumn("vector", array(parts.toArray(new Column[0])));
  }

  /**
   * Parses rectangular lattices written {@code ROWSxCOLS}, comma-separated, coarsest first (for
   * example {@code 64x64,4x4}).
   *
   * @throws IllegalArgumentException on a malformed level
   */
  public static LatticeSpec[] parseLevels(String text) {
    String[] parts = text.split(",");
    LatticeSpec[] out = new LatticeSpec[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String[] rc = parts[i].trim().split("x");
      if (rc.length != 2) {
        throw new IllegalArgumentException("a level is ROWSxCOLS, got '" + parts[i] + "'");
      }
      out[i] = LatticeSpec.rectangular(Integer.parseInt(rc[0]), Integer.parseInt(rc[1]));
    }
    return out;
  }

  @FunctionalInterface
  private interface Writer {
    void write(java.nio.file.Path file) throws IOException;
  }

  /** Writes a file locally, then copies it into the output directory's file system. */
  private void copyOut(SparkSession spark, String name, Writer writer) throws IOException {
    java.nio.file.Path tmp = Files.createTempDirectory("refine-poi-spark");
    java.nio.file.Path file = tmp.resolve(name);
    try {
      writer.write(file);
      org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(out, name);
      FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(file.toUri()), target);
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(tmp);
    }
  }
}
