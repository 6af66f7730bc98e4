package org.refinepoi.spark;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.HierarchicalSom;
import org.refinepoi.som.HierarchicalSomModel;
import org.refinepoi.som.HierarchyMode;
import org.refinepoi.som.backend.JavaSomBackend;
import org.refinepoi.som.train.Initialization;
import org.refinepoi.som.train.TrainingAlgorithm;

/** The distributed fit equals the single-JVM Java backend's, and refuses bad rows by name. */
class SparkHierarchicalSomTest {

  static HierarchicalSom tree(Initialization init) {
    return HierarchicalSom.builder()
        .levels(LatticeSpec.rectangular(6, 6), LatticeSpec.rectangular(2, 3))
        .epochs(6, 5)
        .initialization(init)
        .seed(9)
        .smallMapSamples(100)
        .backend(new JavaSomBackend(2))
        .build();
  }

  static byte[] bytes(HierarchicalSomModel model) throws IOException {
    Path f = Files.createTempFile("model", ".hsom");
    try {
      model.save(f);
      return Files.readAllBytes(f);
    } finally {
      Files.delete(f);
    }
  }

  @Test
  void treeWithPcaEqualsTheLocalFitBitForBit() throws IOException {
    FloatMatrix x = SparkTests.clustered(2000, 1);
    HierarchicalSom hsom = tree(Initialization.PCA);
    HierarchicalSomModel distributed =
        SparkHierarchicalSom.builder(hsom).blockRows(300).build().fit(SparkTests.vectors(x, 3));
    assertThat(bytes(distributed)).isEqualTo(bytes(hsom.fit(x)));
  }

  @Test
  void residualWithRandomInitEqualsTheLocalFitBitForBit() throws IOException {
    FloatMatrix x = SparkTests.clustered(1500, 2);
    HierarchicalSom hsom =
        HierarchicalSom.builder()
            .levels(LatticeSpec.rectangular(5, 5), LatticeSpec.hexagonal(2, 2))
            .mode(HierarchyMode.RESIDUAL)
            .epochs(5, 4)
            .initialization(Initialization.RANDOM_SAMPLES)
            .seed(4)
            .build();
    HierarchicalSomModel distributed =
        SparkHierarchicalSom.builder(hsom).build().fit(SparkTests.vectors(x, 4));
    assertThat(bytes(distributed)).isEqualTo(bytes(hsom.fit(x)));
  }

  @Test
  void anOrderColumnMakesAShuffledDataSetEqualTheLocalFit() throws IOException {
    FloatMatrix x = SparkTests.clustered(1200, 3);
    Dataset<Row> shuffled = SparkTests.vectors(x, 2).repartition(5);
    for (Initialization init : Initialization.values()) {
      HierarchicalSom hsom = tree(init);
      HierarchicalSomModel distributed =
          SparkHierarchicalSom.builder(hsom).orderColumn("row").build().fit(shuffled);
      assertThat(bytes(distributed)).as("%s", init).isEqualTo(bytes(hsom.fit(x)));
    }
  }

  @Test
  void doubleAndMlVectorColumnsGiveTheSameModel() throws IOException {
    FloatMatrix x = SparkTests.clustered(800, 4);
    HierarchicalSom hsom = tree(Initialization.PCA);
    byte[] expected = bytes(hsom.fit(x));
    Dataset<Row> floats = SparkTests.vectors(x, 2);
    Dataset<Row> doubles = floats.withColumn("vector", col("vector").cast("array<double>"));
    assertThat(bytes(SparkHierarchicalSom.builder(hsom).build().fit(doubles))).isEqualTo(expected);
    Dataset<Row> ml =
        doubles.withColumn("vector", org.apache.spark.ml.functions.array_to_vector(col("vector")));
    assertThat(bytes(SparkHierarchicalSom.builder(hsom).build().fit(ml))).isEqualTo(expected);
  }

  @Test
  void emptyPartitionsAndFewerRowsThanFeaturesAreFine() throws IOException {
    FloatMatrix x = SparkTests.clustered(6, 5); // 6 rows, 8 features: the Gram-matrix PCA route
    HierarchicalSom hsom =
        HierarchicalSom.builder()
            .levels(LatticeSpec.rectangular(2, 2), LatticeSpec.rectangular(2, 2))
            .epochs(3, 2)
            .build();
    HierarchicalSomModel distributed =
        SparkHierarchicalSom.builder(hsom).build().fit(SparkTests.vectors(x, 9));
    assertThat(bytes(distributed)).isEqualTo(bytes(hsom.fit(x)));
  }

  private static Dataset<Row> withRow(FloatMatrix x, int at, Row replacement, int partitions) {
    List<Row> rows = SparkTests.rows(x);
    rows.set(at, replacement);
    return SparkTests.spark()
        .createDataFrame(SparkTests.jsc().parallelize(rows, partitions), SparkTests.SCHEMA);
  }

  @Test
  void badRowsAreRefusedWithTheRowNamed() {
    FloatMatrix x = SparkTests.clustered(300, 6);
    float[] nan = x.row(217);
    nan[3] = Float.NaN;
    SparkHierarchicalSom byId =
        SparkHierarchicalSom.builder(tree(Initialization.PCA)).idColumn("poi_id").build();
    SparkHierarchicalSom byPosition =
        SparkHierarchicalSom.builder(tree(Initialization.PCA)).build();
    Dataset<Row> withNan =
        withRow(x, 217, RowFactory.create("p217", 217L, SparkTests.boxed(nan)), 3);
    assertThatThrownBy(() -> byId.fit(withNan))
        .isInstanceOf(InvalidRowException.class)
        .hasMessage("POI 'p217': vector value 3 is NaN");
    assertThatThrownBy(() -> byPosition.fit(withNan))
        .isInstanceOf(InvalidRowException.class)
        .hasMessage("row 217: vector value 3 is NaN");
    Dataset<Row> shortRow =
        withRow(x, 150, RowFactory.create("p150", 150L, SparkTests.boxed(new float[7])), 4);
    assertThatThrownBy(() -> byId.fit(shortRow))
        .isInstanceOf(InvalidRowException.class)
        .hasMessage("POI 'p150': vector column 'vector' has 7 values, expected 8");
    Dataset<Row> nullRow = withRow(x, 42, RowFactory.create("p42", 42L, null), 2);
    assertThatThrownBy(() -> byPosition.fit(nullRow))
        .isInstanceOf(InvalidRowException.class)
        .hasMessage("row 42: vector column 'vector' is null");
    Dataset<Row> duplicate =
        withRow(x, 10, RowFactory.create("p10", 11L, SparkTests.boxed(x.row(11))), 2);
    assertThatThrownBy(
            () ->
                SparkHierarchicalSom.builder(tree(Initialization.PCA))
                    .orderColumn("row")
                    .build()
                    .fit(duplicate))
        .isInstanceOf(InvalidRowException.class)
        .hasMessageContaining("row with order value 11");
    Dataset<Row> empty = SparkTests.vectors(x, 2).limit(0);
    assertThatThrownBy(() -> byId.fit(empty)).hasMessageContaining("no rows");
    assertThatThrownBy(() -> byId.fit(SparkTests.vectors(x, 2).drop("vector")))
        .hasMessageContaining("no vector column 'vector'");
    assertThatThrownBy(
            () ->
                byId.fit(
                    SparkTests.vectors(x, 2).withColumn("vector", col("vector").cast("string"))))
        .hasMessageContaining("must be array<float>, array<double> or a Spark ML Vector");
    assertThatThrownBy(
            () ->
                SparkHierarchicalSom.builder(
                    HierarchicalSom.builder().algorithm(TrainingAlgorithm.ONLINE).build()))
        .hasMessageContaining("batch map");
  }
}
