package org.refinepoi.core.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.synth.SyntheticCity;

class PoiFeatureBuilderTest {

  private static CheckInDataset city;
  private static List<CheckIn> train;
  private static List<CheckIn> test;

  @BeforeAll
  static void smallCity() {
    city =
        SyntheticCity.builder()
            .seed(3)
            .users(150)
            .pois(500)
            .neighbourhoods(10)
            .checkIns(15_000)
            .build()
            .generate();
    int cut = (int) (city.checkIns().size() * 0.8);
    train = city.checkIns().subList(0, cut);
    test = city.checkIns().subList(cut, city.checkIns().size());
  }

  private static double blockNorm(FloatMatrix m, int row, FeatureBlock b) {
    double sum = 0;
    for (int j = b.offset(); j < b.end(); j++) {
      sum += (double) m.get(row, j) * m.get(row, j);
    }
    return Math.sqrt(sum);
  }

  private static int categoryCount() {
    TreeSet<String> names = new TreeSet<>();
    for (Poi p : city.pois()) {
      names.add(p.categoryName());
    }
    return names.size();
  }

  @Test
  void defaultLayoutAndShape() {
    PoiFeatures f = PoiFeatureBuilder.create().fit(city, train);
    int categories = categoryCount();
    assertThat(f.poiCount()).isEqualTo(500);
    assertThat(f.blocks())
        .extracting(FeatureBlock::name)
        .containsExactly("category", "location", "time", "popularity", "collaborative");
    assertThat(f.blocks())
        .extracting(FeatureBlock::width)
        .containsExactly(categories, 16, 48, 2, 24);
    assertThat(f.dimension()).isEqualTo(categories + 16 + 48 + 2 + 24);
    assertThat(f.trainingCheckIns()).isEqualTo(train.size());
    assertThat(f.describe()).contains("collaborative").contains("one-hot over " + categories);
  }

  @Test
  void blockNormsEqualTheirWeightsWhereThereIsData() {
    PoiFeatures f =
        PoiFeatureBuilder.create()
            .categoryWeight(2.5)
            .locationWeight(0.5)
            .timeWeight(1.5)
            .popularityWeight(0.25)
            .collaborativeWeight(3)
            .fit(city, train);
    int[] visits = new int[city.poiCount()];
    for (CheckIn c : train) {
      visits[c.poi()]++;
    }
    int withCollaborative = 0;
    for (int p = 0; p < f.poiCount(); p++) {
      for (FeatureBlock b : f.blocks()) {
        double norm = blockNorm(f.matrix(), p, b);
        boolean behavioural = !b.name().equals("category") && !b.name().equals("location");
        if (behavioural && visits[p] == 0) {
          assertThat(norm).as("%s of unvisited POI %s", b.name(), p).isZero();
        } else if (b.name().equals("collaborative") && norm == 0) {
          continue; // visited, but never within a session with another POI
        } else {
          assertThat(norm).as("%s of POI %s", b.name(), p).isCloseTo(b.weight(), within(1e-5));
          withCollaborative += b.name().equals("collaborative") ? 1 : 0;
        }
      }
    }
    long visited = java.util.Arrays.stream(visits).filter(v -> v > 0).count();
    assertThat(withCollaborative).isGreaterThan((int) (0.8 * visited));
  }

  @Test
  void zeroWeightDropsTheBlock() {
    PoiFeatures f =
        PoiFeatureBuilder.create().timeWeight(0).collaborativeWeight(0).fit(city, train);
    assertThat(f.blocks())
        .extracting(FeatureBlock::name)
        .containsExactly("category", "location", "popularity");
    assertThat(f.block("time")).isEmpty();
    assertThat(f.dimension()).isEqualTo(categoryCount() + 16 + 2);
  }

  @Test
  void deterministicForTheSameSettings() {
    PoiFeatures a = PoiFeatureBuilder.create().seed(5).fit(city, train);
    PoiFeatures b = PoiFeatureBuilder.create().seed(5).fit(city, train);
    assertThat(a.matrix()).isEqualTo(b.matrix());
  }

  @Test
  void fitReadsOnlyTheTrainingCheckIns() {
    // A POI visited in the test part only gets zero behavioural blocks.
    List<CheckIn> training = train;
    int[] trainVisits = new int[city.poiCount()];
    for (CheckIn c : training) {
      trainVisits[c.poi()]++;
    }
    int testOnly = -1;
    for (CheckIn c : test) {
      if (trainVisits[c.poi()] == 0) {
        testOnly = c.poi();
        break;
      }
    }
    if (testOnly < 0) {
      // Make one: drop every training check-in of a POI that the test part visits.
      int target = test.getFirst().poi();
      List<CheckIn> reduced = new ArrayList<>();
      for (CheckIn c : training) {
        if (c.poi() != target) {
          reduced.add(c);
        }
      }
      training = List.copyOf(reduced);
      testOnly = target;
    }
    PoiFeatures f = PoiFeatureBuilder.create().fit(city, training);
    for (String name : List.of("time", "popularity", "collaborative")) {
      FeatureBlock b = f.block(name).orElseThrow();
      assertThat(blockNorm(f.matrix(), testOnly, b)).as(name).isZero();
    }
    assertThat(blockNorm(f.matrix(), testOnly, f.block("category").orElseThrow()))
        .isCloseTo(1, within(1e-5));

    // The data set's other check-ins make no difference: the same catalogue with only the
    // training check-ins gives the identical matrix.
    CheckInDataset trainOnly =
        CheckInDataset.of("train-only", city.pois(), city.userIds(), training);
    PoiFeatures g = PoiFeatureBuilder.create().fit(trainOnly, training);
    assertThat(g.matrix()).isEqualTo(f.matrix());
  }

  @Test
  void oneHotBlockMarksTheSortedCategoryIndex() {
    PoiFeatures f = PoiFeatureBuilder.create().fit(city, train);
    List<String> sorted =
        new ArrayList<>(new TreeSet<>(city.pois().stream().map(Poi::categoryName).toList()));
    FeatureBlock b = f.block("category").orElseThrow();
    for (int p = 0; p < city.poiCount(); p++) {
      int expected = sorted.indexOf(city.poi(p).categoryName());
      for (int j = 0; j < b.width(); j++) {
        assertThat(f.matrix().get(p, b.offset() + j)).isEqualTo(j == expected ? 1f : 0f);
      }
    }
  }

  @Test
  void timeProfileFollowsVisitHours() {
    // Hand-made data: POI 0 visited at 08:xx on weekdays, POI 1 never.
    List<Poi> pois =
        List.of(
            new Poi("a", "c1", "Office", 40.0, -74.0),
            new Poi("b", "c2", "Bar", 40.01, -74.01),
            new Poi("c", "c2", "Bar", 40.02, -74.0));
    long monday8am = 1_333_368_000L; // 2012-04-02T12:00Z = 08:00 at UTC-4
    List<CheckIn> checkIns = new ArrayList<>();
    for (int d = 0; d < 5; d++) {
      checkIns.add(new CheckIn(0, 0, monday8am + d * 86_400L, -240));
      checkIns.add(new CheckIn(0, 2, monday8am + d * 86_400L + 3_600, -240));
    }
    CheckInDataset data = CheckInDataset.of("hand", pois, List.of("u"), checkIns);
    PoiFeatures f = PoiFeatureBuilder.create().fit(data, checkIns);
    FeatureBlock time = f.block("time").orElseThrow();
    float[] row = f.matrix().row(0);
    // Smoothed histogram (5 + 1) at 8h weekday, 1 elsewhere, then L2-normalized.
    double norm = Math.sqrt(36 + 47);
    assertThat(row[time.offset() + 8]).isCloseTo((float) (6 / norm), within(1e-6f));
    assertThat(row[time.offset() + 9]).isCloseTo((float) (1 / norm), within(1e-6f));
    assertThat(f.matrix().row(2)[time.offset() + 9]).isCloseTo((float) (6 / norm), within(1e-6f));
    assertThat(blockNorm(f.matrix(), 1, time)).isZero();
    // Popularity: both visited POIs have 5 visits, the maximum: angle pi / 2.
    FeatureBlock pop = f.block("popularity").orElseThrow();
    assertThat(f.matrix().get(0, pop.offset() + 1)).isCloseTo(1f, within(1e-6f));
    // Co-visits: POIs 0 and 2 co-occur, so both have collaborative vectors; POI 1 none.
    FeatureBlock co = f.block("collaborative").orElseThrow();
    assertThat(blockNorm(f.matrix(), 0, co)).isCloseTo(1, within(1e-5));
    assertThat(blockNorm(f.matrix(), 1, co)).isZero();
  }

  @Test
  void locationBlockKeepsNeighboursClose() {
    // 0 and 1 are 100 m apart, 2 is 3 km away, 3 is 12 km away; all at unit norm.
    List<Poi> pois =
        List.of(
            new Poi("a", "c", "Park", 40.3000, -74.4000),
            new Poi("b", "c", "Park", 40.3009, -74.4000),
            new Poi("c", "c", "Park", 40.3270, -74.4000),
            new Poi("d", "c", "Park", 40.4080, -74.4000));
    List<CheckIn> checkIns = List.of(new CheckIn(0, 0, 1_333_368_000L, -240));
    CheckInDataset data = CheckInDataset.of("line", pois, List.of("u"), checkIns);
    PoiFeatures f =
        PoiFeatureBuilder.create()
            .categoryWeight(0)
            .timeWeight(0)
            .popularityWeight(0)
            .collaborativeWeight(0)
            .fit(data, checkIns);
    assertThat(f.dimension()).isEqualTo(16);
    double d01 = distance(f.matrix().row(0), f.matrix().row(1));
    double d02 = distance(f.matrix().row(0), f.matrix().row(2));
    double d03 = distance(f.matrix().row(0), f.matrix().row(3));
    assertThat(d01).isLessThan(0.2 * d02);
    assertThat(d02).isLessThan(d03);
    for (int p = 0; p < 4; p++) {
      assertThat(blockNorm(f.matrix(), p, f.blocks().getFirst())).isCloseTo(1, within(1e-5));
    }
  }

  private static double distance(float[] x, float[] y) {
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      sum += (x[i] - y[i]) * (x[i] - y[i]);
    }
    return Math.sqrt(sum);
  }

  @Test
  void coVisitedPoisAreCloserThanStrangers() {
    PoiFeatures f =
        PoiFeatureBuilder.create()
            .categoryWeight(0)
            .locationWeight(0)
            .timeWeight(0)
            .popularityWeight(0)
            .fit(city, train);
    // Pairs that follow each other in training sessions versus random pairs of visited POIs.
    double near = 0;
    int nearCount = 0;
    for (int i = 1; i < train.size() && nearCount < 2000; i++) {
      CheckIn a = train.get(i - 1);
      CheckIn b = train.get(i);
      if (a.user() == b.user() && a.poi() != b.poi()) {
        near += cosine(f.matrix().row(a.poi()), f.matrix().row(b.poi()));
        nearCount++;
      }
    }
    double far = 0;
    java.util.SplittableRandom random = new java.util.SplittableRandom(1);
    for (int k = 0; k < 2000; k++) {
      far +=
          cosine(
              f.matrix().row(train.get(random.nextInt(train.size())).poi()),
              f.matrix().row(train.get(random.nextInt(train.size())).poi()));
    }
    assertThat(nearCount).isGreaterThan(100);
    assertThat(near / nearCount).isGreaterThan(far / 2000 + 0.1);
  }

  /**
   * Co-visit counts made the plain way (every user's check-ins sorted by time, then POI id; a new
   * session after a gap over 24 h; pairs up to 5 check-ins apart), as an outside counter would.
   */
  private static CoVisitCounts countedIndependently(CheckInDataset d, List<CheckIn> training) {
    java.util.Map<Integer, List<CheckIn>> byUser = new java.util.TreeMap<>();
    for (CheckIn c : training) {
      byUser.computeIfAbsent(c.user(), u -> new ArrayList<>()).add(c);
    }
    java.util.Map<Long, Long> pairs = new java.util.HashMap<>();
    for (List<CheckIn> visits : byUser.values()) {
      visits.sort(
          java.util.Comparator.comparingLong(CheckIn::utcEpochSecond)
              .thenComparing(c -> d.poi(c.poi()).id()));
      int sessionStart = 0;
      for (int a = 0; a < visits.size(); a++) {
        if (a > 0 && visits.get(a).utcEpochSecond() - visits.get(a - 1).utcEpochSecond() > 86_400) {
          sessionStart = a;
        }
        for (int b = Math.max(sessionStart, a - 5); b < a; b++) {
          int i = visits.get(b).poi();
          int j = visits.get(a).poi();
          if (i != j) {
            pairs.merge((long) Math.min(i, j) * d.poiCount() + Math.max(i, j), 1L, Long::sum);
          }
        }
      }
    }
    int[] first = new int[pairs.size()];
    int[] second = new int[pairs.size()];
    long[] counts = new long[pairs.size()];
    int e = 0;
    for (var pair : pairs.entrySet()) {
      first[e] = (int) (pair.getKey() / d.poiCount());
      second[e] = (int) (pair.getKey() % d.poiCount());
      counts[e++] = pair.getValue();
    }
    return CoVisitCounts.of(d.poiCount(), first, second, counts);
  }

  @Test
  void collaborativeRowsFromOutsideCountsEqualWhatFitBuilds() {
    PoiFeatureBuilder builder =
        PoiFeatureBuilder.create()
            .categoryWeight(0)
            .locationWeight(0)
            .timeWeight(0)
            .popularityWeight(0);
    PoiFeatures fitted = builder.fit(city, train);
    List<String> ids = city.pois().stream().map(Poi::id).toList();
    PoiFeatureBuilder.CollaborativeRows outside =
        builder.collaborativeRows(ids, countedIndependently(city, train));
    assertThat(outside.detail()).isEqualTo(fitted.blocks().get(0).detail());
    float[] row = new float[builder.svdDimensions()];
    for (int p = 0; p < city.poiCount(); p++) {
      java.util.Arrays.fill(row, 0);
      FeatureRows.writeNormalized(outside.rows()[p], 1, row, 0);
      // The same counts through the same arithmetic: equal to the bit.
      assertThat(row).as("POI %s", p).containsExactly(fitted.matrix().row(p));
    }
    assertThatThrownBy(
            () ->
                builder.collaborativeRows(
                    ids.subList(1, ids.size()), countedIndependently(city, train)))
        .hasMessageContaining("499 POI ids for counts over 500 POIs");
  }

  @Test
  void featuresDoNotDependOnTheOrderOfTheCatalogueOrOfTheCheckIns() {
    // The same city with its POIs in reverse order and its check-ins shuffled: every POI keeps its
    // vector (the co-visit sketch is seeded by POI id; time ties are broken by POI id).
    int n = city.poiCount();
    List<Poi> reversed = new ArrayList<>();
    for (int p = n - 1; p >= 0; p--) {
      reversed.add(city.poi(p));
    }
    List<CheckIn> moved = new ArrayList<>();
    for (CheckIn c : train) {
      moved.add(new CheckIn(c.user(), n - 1 - c.poi(), c.utcEpochSecond(), c.utcOffsetMinutes()));
    }
    java.util.Collections.shuffle(moved, new java.util.Random(5));
    CheckInDataset other = CheckInDataset.of("reversed", reversed, city.userIds(), moved);
    PoiFeatures a = PoiFeatureBuilder.create().fit(city, train);
    PoiFeatures b = PoiFeatureBuilder.create().fit(other, moved);
    assertThat(b.blocks()).isEqualTo(a.blocks());
    for (int p = 0; p < n; p++) {
      float[] x = a.matrix().row(p);
      float[] y = b.matrix().row(n - 1 - p);
      for (int j = 0; j < x.length; j++) {
        // Sums in another order: equal to float rounding.
        assertThat((double) y[j]).as("POI %s value %s", p, j).isCloseTo(x[j], within(1e-5));
      }
    }
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
    return nx == 0 || ny == 0 ? 0 : dot / Math.sqrt(nx * ny);
  }

  @Test
  void rejectsBadInputAndSettings() {
    assertThatThrownBy(() -> PoiFeatureBuilder.create().fit(city, List.of()))
        .hasMessageContaining("no training check-ins");
    CheckIn outside = new CheckIn(0, city.poiCount(), 0, 0);
    assertThatThrownBy(() -> PoiFeatureBuilder.create().fit(city, List.of(outside)))
        .hasMessageContaining("outside");
    assertThatThrownBy(
            () ->
                PoiFeatureBuilder.create()
                    .categoryWeight(0)
                    .locationWeight(0)
                    .timeWeight(0)
                    .popularityWeight(0)
                    .collaborativeWeight(0)
                    .fit(city, train))
        .hasMessageContaining("every block weight is 0");
    assertThatThrownBy(() -> PoiFeatureBuilder.create().timeWeight(Double.NaN))
        .hasMessageContaining("time block");
    assertThatThrownBy(() -> PoiFeatureBuilder.create().locationScalesKm(1, -2))
        .hasMessageContaining("location scales");
    assertThatThrownBy(() -> PoiFeatureBuilder.create().svdDimensions(0))
        .hasMessageContaining("svdDimensions");
    CategoryEncoder broken =
        new CategoryEncoder() {
          @Override
          public FloatMatrix encode(List<String> names) {
            return FloatMatrix.of(1, 1, new float[] {1});
          }

          @Override
          public String description() {
            return "broken";
          }
        };
    assertThatThrownBy(() -> PoiFeatureBuilder.create().categoryEncoder(broken).fit(city, train))
        .hasMessageContaining("broken returned 1 rows");
  }
}
