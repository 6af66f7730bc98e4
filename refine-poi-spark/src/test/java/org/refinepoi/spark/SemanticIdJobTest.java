package org.refinepoi.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.features.PoiFeatureBuilder;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.core.synth.SyntheticCity;
import org.refinepoi.som.HierarchicalSomModel;
import picocli.CommandLine;

/** The spark-submit entry point end to end on a small city, in the test's Spark session. */
class SemanticIdJobTest {

  @Test
  void checkInsToFeaturesToModelToIds(@TempDir Path dir) throws Exception {
    CheckInDataset city =
        SyntheticCity.builder()
            .seed(8)
            .users(40)
            .pois(300)
            .checkIns(3000)
            .days(30)
            .build()
            .generate();
    Path checkIns = dir.resolve("checkins");
    SparkPoiFeaturesTest.checkInsWithUsers(city, city.checkIns(), 2)
        .write()
        .parquet(checkIns.toString());
    Path out = dir.resolve("out");
    int code =
        new CommandLine(new SemanticIdJob())
            .execute(
                "--checkins",
                checkIns.toString(),
                "--out",
                out.toString(),
                "--levels",
                "4x4,2x2",
                "--epochs",
                "4,3",
                "--index",
                "--covisit");
    assertThat(code).isZero();
    HierarchicalSomModel model = HierarchicalSomModel.load(out.resolve("model.hsom"));
    assertThat(model.levelCount()).isEqualTo(2);
    SemanticIdIndex index = SemanticIdIndex.load(out.resolve("index.sid"));
    Dataset<Row> ids = SparkTests.spark().read().parquet(out.resolve("ids").toString());
    Dataset<Row> features = SparkTests.spark().read().parquet(out.resolve("features").toString());
    long pois = features.count();
    // --covisit: the vectors are as wide as the local builder's, co-visit block included.
    assertThat(features.first().getList(1))
        .hasSize(PoiFeatureBuilder.create().fit(city, city.checkIns()).dimension());
    assertThat(ids.count()).isEqualTo(pois).isEqualTo(index.size());
    List<Row> some = ids.limit(5).collectAsList();
    for (Row r : some) {
      assertThat(index.format().render(index.idOf(r.getString(0)))).isEqualTo(r.getString(1));
    }
    // The session the job found stays usable (the job stops only a session it created).
    assertThat(SparkTests.spark().range(3).count()).isEqualTo(3);
    assertThat(Files.exists(out.resolve("ids"))).isTrue();
  }

  @Test
  void badArgumentsExitNonZero(@TempDir Path dir) {
    assertThat(new CommandLine(new SemanticIdJob()).execute("--out", dir.toString())).isNotZero();
  }
}
