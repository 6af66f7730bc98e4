package org.refinepoi.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeTokenFormat;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.som.HierarchicalSom;
import org.refinepoi.som.HierarchicalSomModel;
import org.refinepoi.som.HierarchyMode;
import org.refinepoi.som.train.Initialization;

/** Distributed ID assignment equals the local index, collision slots included. */
class SparkSemanticIdsTest {

  private static List<String> ids(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("p" + i);
    }
    return out;
  }

  @Test
  void assignmentEqualsTheLocalIndexAndRoundTripsThroughParquet(@TempDir Path dir) {
    // Duplicated rows make exact distance ties, which row order must break as locally.
    FloatMatrix base = SparkTests.clustered(700, 7);
    float[] data = new float[1000 * 8];
    System.arraycopy(base.unsafeData(), 0, data, 0, 700 * 8);
    System.arraycopy(base.unsafeData(), 0, data, 700 * 8, 300 * 8);
    FloatMatrix x = FloatMatrix.wrap(1000, 8, data);
    for (HierarchyMode mode : HierarchyMode.values()) {
      HierarchicalSomModel model =
          HierarchicalSom.builder()
              .levels(
                  org.refinepoi.core.sid.LatticeSpec.rectangular(4, 4),
                  org.refinepoi.core.sid.LatticeSpec.rectangular(2, 2))
              .mode(mode)
              .epochs(5, 4)
              .initialization(Initialization.PCA)
              .build()
              .fit(x);
      SemanticIdIndex local = model.index(ids(1000), x);
      try (SemanticIdAssignment a =
          SparkSemanticIds.builder(model).build().assign(SparkTests.vectors(x, 3))) {
        assertThat(a.count()).isEqualTo(1000);
        SemanticIdIndex distributed = a.toIndex();
        assertThat(distributed).as("%s", mode).isEqualTo(local);
        assertThat(local.collisionStats().collidingPoiCount()).isPositive();
        String out = dir.resolve("ids-" + mode).toString();
        a.writeParquet(out);
        Dataset<Row> back = SparkTests.spark().read().parquet(out);
        assertThat(back.count()).isEqualTo(1000);
        LatticeTokenFormat format = LatticeTokenFormat.of(model.idSpace());
        for (Row r : back.collectAsList()) {
          SemanticId id = local.idOf(r.getString(r.fieldIndex("poi_id")));
          assertThat(r.getString(r.fieldIndex("sid"))).isEqualTo(format.render(id));
          assertThat(r.getInt(r.fieldIndex("slot"))).isEqualTo(id.collisionSlot());
        }
        assertThatThrownBy(() -> a.toIndex(999)).hasMessageContaining("do not fit");
      }
    }
  }

  @Test
  void anOrderColumnBreaksTiesOnAShuffledDataSetAsTheLocalRowOrderDoes() {
    FloatMatrix base = SparkTests.clustered(200, 8);
    float[] data = new float[400 * 8];
    System.arraycopy(base.unsafeData(), 0, data, 0, 200 * 8);
    System.arraycopy(base.unsafeData(), 0, data, 200 * 8, 200 * 8);
    FloatMatrix x = FloatMatrix.wrap(400, 8, data);
    HierarchicalSomModel model =
        HierarchicalSom.builder()
            .levels(org.refinepoi.core.sid.LatticeSpec.rectangular(3, 3))
            .epochs(4)
            .build()
            .fit(x);
    try (SemanticIdAssignment a =
        SparkSemanticIds.builder(model)
            .orderColumn("row")
            .build()
            .assign(SparkTests.vectors(x, 2).repartition(4))) {
      assertThat(a.toIndex()).isEqualTo(model.index(ids(400), x));
    }
  }

  @Test
  void badRowsAreRefusedWithTheRowNamed() {
    FloatMatrix x = SparkTests.clustered(100, 9);
    HierarchicalSomModel model =
        HierarchicalSom.builder()
            .levels(org.refinepoi.core.sid.LatticeSpec.rectangular(3, 3))
            .epochs(3)
            .build()
            .fit(x);
    List<Row> rows = SparkTests.rows(x);
    rows.set(61, RowFactory.create(null, 61L, SparkTests.boxed(x.row(61))));
    Dataset<Row> noId =
        SparkTests.spark()
            .createDataFrame(SparkTests.jsc().parallelize(rows, 3), SparkTests.SCHEMA);
    assertThatThrownBy(() -> SparkSemanticIds.builder(model).build().assign(noId))
        .isInstanceOf(InvalidRowException.class)
        .hasMessage("row 61: POI id column 'poi_id' is null");
    float[] inf = x.row(5);
    inf[0] = Float.POSITIVE_INFINITY;
    rows = SparkTests.rows(x);
    rows.set(5, RowFactory.create("p5", 5L, SparkTests.boxed(inf)));
    Dataset<Row> infinite =
        SparkTests.spark()
            .createDataFrame(SparkTests.jsc().parallelize(rows, 3), SparkTests.SCHEMA);
    assertThatThrownBy(() -> SparkSemanticIds.builder(model).build().assign(infinite))
        .isInstanceOf(InvalidRowException.class)
        .hasMessage("POI 'p5': vector value 0 is Infinity");
    rows = SparkTests.rows(x);
    rows.set(70, RowFactory.create("p12", 70L, SparkTests.boxed(x.row(70))));
    Dataset<Row> repeatedId =
        SparkTests.spark()
            .createDataFrame(SparkTests.jsc().parallelize(rows, 3), SparkTests.SCHEMA);
    assertThatThrownBy(() -> SparkSemanticIds.builder(model).build().assign(repeatedId))
        .isInstanceOf(InvalidRowException.class)
        .hasMessage("POI 'p12': it appears 2 times in the data set");
    rows = SparkTests.rows(x);
    rows.set(70, RowFactory.create("p70", 12L, SparkTests.boxed(x.row(70))));
    Dataset<Row> repeatedOrder =
        SparkTests.spark()
            .createDataFrame(SparkTests.jsc().parallelize(rows, 3), SparkTests.SCHEMA);
    assertThatThrownBy(
            () -> SparkSemanticIds.builder(model).orderColumn("row").build().assign(repeatedOrder))
        .isInstanceOf(InvalidRowException.class)
        .hasMessage("row with order value 12: the order value appears on 2 rows");
    assertThatThrownBy(
            () -> SparkSemanticIds.builder(model).build().assign(SparkTests.vectors(x, 2).limit(0)))
        .hasMessageContaining("no POIs");
  }
}
