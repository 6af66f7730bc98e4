package org.refinepoi.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.refinepoi.core.math.FloatMatrix;

/** One local[2] Spark session for every test of the module, and test data. */
final class SparkTests {

  private static SparkSession spark;

  private SparkTests() {}

  static synchronized SparkSession spark() {
    if (spark == null) {
      spark =
          SparkSession.builder()
              .master("local[2]")
              .appName("refine-poi-spark-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.ui.showConsoleProgress", "false")
              .config("spark.sql.shuffle.partitions", "4")
              .config("spark.default.parallelism", "4")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
    }
    return spark;
  }

  static JavaSparkContext jsc() {
    return JavaSparkContext.fromSparkContext(spark().sparkContext());
  }

  /** Points around 12 cluster centres in 8-D (the SOM module's test data), so leaves collide. */
  static FloatMatrix clustered(int n, long seed) {
    return org.refinepoi.som.SomTestMatrices.clustered(n, seed);
  }

  static final StructType SCHEMA =
      new StructType()
          .add("poi_id", DataTypes.StringType, true)
          .add("row", DataTypes.LongType, true)
          .add("vector", DataTypes.createArrayType(DataTypes.FloatType, true), true);

  /** Row i: ("p" + i, i, x[i]), in {@code partitions} order-preserving slices. */
  static Dataset<Row> vectors(FloatMatrix x, int partitions) {
    return spark().createDataFrame(jsc().parallelize(rows(x), partitions), SCHEMA);
  }

  static List<Row> rows(FloatMatrix x) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < x.rows(); i++) {
      rows.add(RowFactory.create("p" + i, (long) i, boxed(x.row(i))));
    }
    return rows;
  }

  static Object boxed(float[] v) {
    return Seqs.of(v);
  }
}
