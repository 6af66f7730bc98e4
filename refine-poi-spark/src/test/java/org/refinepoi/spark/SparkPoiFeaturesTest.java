package org.refinepoi.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.features.FeatureBlock;
import org.refinepoi.core.features.PoiFeatureBuilder;
import org.refinepoi.core.features.PoiFeatures;
import org.refinepoi.core.synth.SyntheticCity;

/** The distributed features equal PoiFeatureBuilder's within 1e-6, co-visit block included. */
class SparkPoiFeaturesTest {

  /** Largest allowed difference per value: only the coordinate means are summed differently. */
  private static final double TOLERANCE = 1e-6;

  static final StructType CHECKINS =
      new StructType()
          .add("poi_id", DataTypes.StringType)
          .add("category", DataTypes.StringType)
          .add("latitude", DataTypes.DoubleType)
          .add("longitude", DataTypes.DoubleType)
          .add("utc_epoch_second", DataTypes.LongType)
          .add("utc_offset_minutes", DataTypes.IntegerType);

  static final StructType CHECKINS_WITH_USERS = CHECKINS.add("user_id", DataTypes.StringType);

  static final StructType POIS =
      new StructType()
          .add("poi_id", DataTypes.StringType)
          .add("category", DataTypes.StringType)
          .add("latitude", DataTypes.DoubleType)
          .add("longitude", DataTypes.DoubleType);

  private static CheckInDataset city() {
    return SyntheticCity.builder()
        .seed(3)
        .users(60)
        .pois(400)
        .checkIns(5000)
        .days(30)
        .build()
        .generate();
  }

  static Dataset<Row> checkIns(CheckInDataset d, List<CheckIn> list, int partitions) {
    return checkIns(d, list, partitions, false);
  }

  static Dataset<Row> checkInsWithUsers(CheckInDataset d, List<CheckIn> list, int partitions) {
    return checkIns(d, list, partitions, true);
  }

  private static Dataset<Row> checkIns(
      CheckInDataset d, List<CheckIn> list, int partitions, boolean withUsers) {
    List<Row> rows = new ArrayList<>();
    for (CheckIn c : list) {
      Poi p = d.poi(c.poi());
      List<Object> values =
          new ArrayList<>(
              List.of(
                  p.id(),
                  p.categoryName(),
                  p.latitude(),
                  p.longitude(),
                  c.utcEpochSecond(),
                  c.utcOffsetMinutes()));
      if (withUsers) {
        values.add(d.userIds().get(c.user()));
      }
      rows.add(RowFactory.create(values.toArray()));
    }
    return SparkTests.spark()
        .createDataFrame(
            SparkTests.jsc().parallelize(rows, partitions),
            withUsers ? CHECKINS_WITH_USERS : CHECKINS);
  }

  static Dataset<Row> pois(CheckInDataset d) {
    List<Row> rows = new ArrayList<>();
    for (Poi p : d.pois()) {
      rows.add(RowFactory.create(p.id(), p.categoryName(), p.latitude(), p.longitude()));
    }
    return SparkTests.spark().createDataFrame(rows, POIS);
  }

  private static Map<String, float[]> byPoi(Dataset<Row> vectors) {
    Map<String, float[]> out = new HashMap<>();
    for (Row r : vectors.collectAsList()) {
      List<Float> v = r.getList(1);
      float[] f = new float[v.size()];
      for (int i = 0; i < f.length; i++) {
        f[i] = v.get(i);
      }
      out.put(r.getString(0), f);
    }
    return out;
  }

  @Test
  void featuresEqualTheLocalBuildersWithinTolerance() {
    CheckInDataset d = city();
    // Leave out some POIs' check-ins so the catalogue holds POIs without visits.
    List<CheckIn> training = new ArrayList<>();
    for (CheckIn c : d.checkIns()) {
      if (c.poi() % 17 != 0) {
        training.add(c);
      }
    }
    PoiFeatures local = PoiFeatureBuilder.create().collaborativeWeight(0).fit(d, training);
    SparkPoiFeatures.Features distributed =
        SparkPoiFeatures.builder().build().build(checkIns(d, training, 3), pois(d));
    assertThat(distributed.pois()).isEqualTo(d.poiCount());
    assertThat(distributed.blocks().stream().map(FeatureBlock::name).toList())
        .isEqualTo(local.blocks().stream().map(FeatureBlock::name).toList());
    assertThat(distributed.dimension()).isEqualTo(local.dimension());
    Map<String, float[]> got = byPoi(distributed.vectors());
    assertThat(got).hasSize(d.poiCount());
    double worst = 0;
    for (int p = 0; p < d.poiCount(); p++) {
      float[] expected = local.matrix().row(p);
      float[] actual = got.get(d.poi(p).id());
      for (int j = 0; j < expected.length; j++) {
        worst = Math.max(worst, Math.abs(expected[j] - actual[j]));
        assertThat((double) actual[j])
            .as("POI %s value %s", p, j)
            .isCloseTo(expected[j], within(TOLERANCE));
      }
    }
    assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
  }

  @Test
  void theCatalogueCanComeFromTheCheckInsThemselves() {
    CheckInDataset d = city();
    Dataset<Row> checkIns = checkIns(d, d.checkIns(), 2);
    Map<String, float[]> derived =
        byPoi(SparkPoiFeatures.builder().build().build(checkIns).vectors());
    // The same catalogue given as a table: the visited POIs.
    Dataset<Row> visited =
        checkIns.select("poi_id", "category", "latitude", "longitude").distinct();
    Map<String, float[]> tabled =
        byPoi(SparkPoiFeatures.builder().build().build(checkIns, visited).vectors());
    assertThat(derived.keySet()).isEqualTo(tabled.keySet());
    // Equal up to the order Spark sums the coordinate means in.
    for (Map.Entry<String, float[]> e : derived.entrySet()) {
      float[] t = tabled.get(e.getKey());
      for (int j = 0; j < t.length; j++) {
        assertThat((double) e.getValue()[j])
            .as("POI %s value %s", e.getKey(), j)
            .isCloseTo(t[j], within(TOLERANCE));
      }
    }
  }

  @Test
  void theCoVisitBlockEqualsTheLocalBuildersWithinTolerance() {
    CheckInDataset d = city();
    List<CheckIn> training = new ArrayList<>();
    for (CheckIn c : d.checkIns()) {
      if (c.poi() % 17 != 0) {
        training.add(c);
      }
    }
    PoiFeatureBuilder settings = PoiFeatureBuilder.create().coVisitWindow(3).sessionGapHours(12);
    PoiFeatures local = settings.fit(d, training);
    SparkPoiFeatures.Features distributed =
        SparkPoiFeatures.builder()
            .collaborative(settings)
            .build()
            .build(checkInsWithUsers(d, training, 4), pois(d));
    assertThat(distributed.blocks().stream().map(b -> b.name() + b.offset() + "+" + b.width()))
        .isEqualTo(
            local.blocks().stream().map(b -> b.name() + b.offset() + "+" + b.width()).toList());
    Map<String, float[]> got = byPoi(distributed.vectors());
    FeatureBlock covisit = local.blocks().get(local.blocks().size() - 1);
    assertThat(covisit.name()).isEqualTo(PoiFeatureBuilder.COLLABORATIVE);
    // Same counts, so the same PPMI entry count and leading singular value in the detail.
    assertThat(distributed.blocks().get(local.blocks().size() - 1)).isEqualTo(covisit);
    int filled = 0;
    for (int p = 0; p < d.poiCount(); p++) {
      float[] expected = local.matrix().row(p);
      float[] actual = got.get(d.poi(p).id());
      filled += expected[covisit.offset()] != 0 ? 1 : 0;
      for (int j = 0; j < expected.length; j++) {
        assertThat((double) actual[j])
            .as("POI %s value %s", p, j)
            .isCloseTo(expected[j], within(TOLERANCE));
      }
    }
    // The block carries data: most visited POIs have co-visits.
    assertThat(filled).isGreaterThan(d.poiCount() / 2);
    // Without the user column the block cannot be counted.
    assertThatThrownBy(
            () ->
                SparkPoiFeatures.builder()
                    .collaborative(settings)
                    .build()
                    .build(checkIns(d, training, 2), pois(d)))
        .hasMessageContaining("user_id");
  }

  @Test
  void badCheckInsAndPoisAreRefusedWithTheirNames() {
    List<Row> rows =
        List.of(
            RowFactory.create("a", "Cafe", 40.7, -74.0, 1_600_000_000L, -240),
            RowFactory.create("a", "Bar", 40.7, -74.0, 1_600_003_600L, -240),
            RowFactory.create("b", "Bar", 40.8, -74.1, 1_600_007_200L, -240));
    Dataset<Row> conflicting = SparkTests.spark().createDataFrame(rows, CHECKINS);
    assertThatThrownBy(() -> SparkPoiFeatures.builder().build().build(conflicting))
        .isInstanceOf(InvalidRowException.class)
        .hasMessageStartingWith("POI 'a': its check-ins disagree");
    Dataset<Row> badOffset =
        SparkTests.spark()
            .createDataFrame(
                List.of(RowFactory.create("b", "Bar", 40.8, -74.1, 1_600_007_200L, 5000)),
                CHECKINS);
    assertThatThrownBy(() -> SparkPoiFeatures.builder().build().build(badOffset))
        .isInstanceOf(InvalidRowException.class)
        .hasMessageStartingWith("check-in of POI 'b' at 1600007200");
    Dataset<Row> badLatitude =
        SparkTests.spark()
            .createDataFrame(
                List.of(RowFactory.create("c", "Bar", 95.0, -74.1, 1_600_007_200L, 0)), CHECKINS);
    assertThatThrownBy(() -> SparkPoiFeatures.builder().build().build(badLatitude))
        .isInstanceOf(InvalidRowException.class)
        .hasMessageStartingWith("POI 'c'");
    Dataset<Row> unknown =
        SparkTests.spark()
            .createDataFrame(
                List.of(RowFactory.create("zz", "Bar", 40.0, -74.1, 1_600_007_200L, 0)), CHECKINS);
    assertThatThrownBy(() -> SparkPoiFeatures.builder().build().build(unknown, pois(city())))
        .hasMessageContaining("not in the POI table");
  }
}
