package org.refinepoi.core.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.math.FloatMatrix;

class PoiFeaturePropertiesTest {

  private static double norm(FloatMatrix m, int row, FeatureBlock b) {
    double sum = 0;
    for (int j = b.offset(); j < b.end(); j++) {
      sum += (double) m.get(row, j) * m.get(row, j);
    }
    return Math.sqrt(sum);
  }

  /**
   * On any small data set (including degenerate ones: one POI, identical coordinates, one category,
   * a single check-in) and any weights, every block of every POI has norm equal to its weight, or
   * zero exactly where the POI has no training data for a behavioural block.
   */
  @Property(tries = 60)
  void blockNormsAreWeightsOrZero(
      @ForAll @IntRange(min = 1, max = 30) int poiCount,
      @ForAll @IntRange(min = 1, max = 5) int categoryCount,
      @ForAll @IntRange(min = 1, max = 200) int checkInCount,
      @ForAll @IntRange(min = 1, max = 8) int svdDimensions,
      @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    boolean samePlace = random.nextInt(5) == 0;
    List<Poi> pois = new ArrayList<>();
    for (int p = 0; p < poiCount; p++) {
      int c = random.nextInt(categoryCount);
      double lat = samePlace ? 40 : 40 + random.nextDouble() * 0.3;
      double lon = samePlace ? -74 : -74 + random.nextDouble() * 0.3;
      pois.add(new Poi("p" + p, "c" + c, "Category " + c, lat, lon));
    }
    int users = 1 + random.nextInt(5);
    List<String> userIds = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      userIds.add("u" + u);
    }
    List<CheckIn> checkIns = new ArrayList<>();
    long t = 1_333_368_000L;
    for (int i = 0; i < checkInCount; i++) {
      t += random.nextLong(3 * 86_400);
      checkIns.add(new CheckIn(random.nextInt(users), random.nextInt(poiCount), t, -240));
    }
    CheckInDataset data = CheckInDataset.of("random", pois, userIds, checkIns);
    List<CheckIn> training = data.checkIns().subList(0, Math.max(1, checkInCount * 3 / 4));
    double[] weights = new double[5];
    for (int b = 0; b < 5; b++) {
      weights[b] = random.nextInt(4) == 0 ? 0 : random.nextDouble() * 3;
    }
    if (weights[0] + weights[1] + weights[2] + weights[3] + weights[4] == 0) {
      weights[0] = 1;
    }
    PoiFeatures f =
        PoiFeatureBuilder.create()
            .categoryWeight(weights[0])
            .locationWeight(weights[1])
            .timeWeight(weights[2])
            .popularityWeight(weights[3])
            .collaborativeWeight(weights[4])
            .svdDimensions(svdDimensions)
            .seed(seed)
            .fit(data, training);
    int[] visits = new int[poiCount];
    for (CheckIn c : training) {
      visits[c.poi()]++;
    }
    assertThat(f.blocks())
        .hasSize((int) java.util.Arrays.stream(weights).filter(w -> w > 0).count());
    for (int p = 0; p < poiCount; p++) {
      for (FeatureBlock b : f.blocks()) {
        double n = norm(f.matrix(), p, b);
        switch (b.name()) {
          case "category", "location" -> assertThat(n).isCloseTo(b.weight(), within(1e-5));
          case "time", "popularity" ->
              assertThat(n).isCloseTo(visits[p] > 0 ? b.weight() : 0, within(1e-5));
          case "collaborative" -> {
            if (visits[p] == 0) {
              assertThat(n).isZero();
            } else if (n != 0) {
              assertThat(n).isCloseTo(b.weight(), within(1e-5));
            }
          }
          default -> throw new AssertionError("unexpected block " + b.name());
        }
      }
    }
  }
}
