package org.refinepoi.core.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.Poi;

class SyntheticCityTest {

  private static CheckInDataset city;

  @BeforeAll
  static void generateDefaultCity() {
    city = SyntheticCity.defaults().generate();
  }

  @Test
  void defaultSizesAreAsRequested() {
    assertThat(city.userCount()).isEqualTo(1_000);
    assertThat(city.poiCount()).isEqualTo(3_000);
    assertThat(city.checkIns()).hasSize(100_000);
    Set<Integer> activeUsers = new HashSet<>();
    Set<Integer> visitedPois = new HashSet<>();
    for (CheckIn c : city.checkIns()) {
      activeUsers.add(c.user());
      visitedPois.add(c.poi());
    }
    assertThat(activeUsers).hasSize(1_000);
    // Most of the catalogue is visited; the Zipf tail leaves some POIs unvisited, as in real logs.
    assertThat(visitedPois.size()).isGreaterThan(1_500);
  }

  @Test
  void sameSeedGivesTheSameDatasetAndAnotherSeedAnotherOne() {
    SyntheticCity.Builder small = SyntheticCity.builder().users(120).pois(400).checkIns(8_000);
    CheckInDataset a = small.seed(11).build().generate();
    CheckInDataset b = small.seed(11).build().generate();
    CheckInDataset c = small.seed(12).build().generate();
    assertThat(a.pois()).isEqualTo(b.pois());
    assertThat(a.userIds()).isEqualTo(b.userIds());
    assertThat(a.checkIns()).isEqualTo(b.checkIns());
    assertThat(c.checkIns()).isNotEqualTo(a.checkIns());
    assertThat(c.pois()).isNotEqualTo(a.pois());
    assertThat(a.checkIns()).hasSize(8_000);
  }

  @Test
  void poisAreInsideTheCityAndCoverTheCatalogue() {
    Set<String> categories = new HashSet<>();
    for (Poi p : city.pois()) {
      categories.add(p.categoryName());
      // Radius 10 km around 40.30 N 74.40 W: within 0.1 deg of latitude, 0.13 of longitude.
      assertThat(Math.abs(p.latitude() - 40.30)).isLessThan(0.1);
      assertThat(Math.abs(p.longitude() + 74.40)).isLessThan(0.13);
    }
    assertThat(categories).hasSize(CityCategory.ALL.size());
    assertThat(categories.size()).isBetween(30, 61);
  }

  @Test
  void checkInsFollowDailyRoutinesWithDst() {
    Map<Integer, Integer> offsets = new HashMap<>();
    int nightTime = 0;
    int officeMorning = 0;
    int officeTotal = 0;
    int nightlifeEvening = 0;
    int nightlifeTotal = 0;
    for (CheckIn c : city.checkIns()) {
      offsets.merge(c.utcOffsetMinutes(), 1, Integer::sum);
      int hour = c.localHour();
      if (hour >= 2 && hour < 5) {
        nightTime++;
      }
      String category = city.poi(c.poi()).categoryName();
      if (category.equals("Office")) {
        officeTotal++;
        if (hour >= 7 && hour < 16 && c.localDayOfWeek() < 5) {
          officeMorning++;
        }
      }
      if (category.equals("Bar") || category.equals("Pub") || category.equals("Cocktail Bar")) {
        nightlifeTotal++;
        if (hour >= 19 || hour < 3) {
          nightlifeEvening++;
        }
      }
    }
    // April to mid-November 2012 in New York: daylight time, then standard time after Nov 4.
    assertThat(offsets.keySet()).containsExactlyInAnyOrder(-240, -300);
    assertThat(nightTime).isLessThan(city.checkIns().size() / 100);
    assertThat((double) officeMorning / officeTotal).isGreaterThan(0.8);
    assertThat((double) nightlifeEvening / nightlifeTotal).isGreaterThan(0.6);
  }

  @Test
  void usersRevisitFavouritePois() {
    Map<Long, Integer> visitsPerUserPoi = new HashMap<>();
    for (CheckIn c : city.checkIns()) {
      visitsPerUserPoi.merge(((long) c.user() << 32) | c.poi(), 1, Integer::sum);
    }
    long repeats =
        visitsPerUserPoi.values().stream().filter(v -> v > 1).mapToLong(v -> v - 1).sum();
    // Real Foursquare logs: a majority of check-ins go to places the user has been before.
    assertThat((double) repeats / city.checkIns().size()).isBetween(0.4, 0.9);
  }

  @Test
  void twentyFourHourSessionsHaveSeveralCheckIns() {
    Map<Integer, List<CheckIn>> byUser = byUser(city.checkIns());
    int sessions = 0;
    int multi = 0;
    for (List<CheckIn> seq : byUser.values()) {
      int length = 1;
      for (int i = 1; i <= seq.size(); i++) {
        boolean ends =
            i == seq.size()
                || seq.get(i).utcEpochSecond() - seq.get(i - 1).utcEpochSecond() > 24 * 3600;
        if (ends) {
          sessions++;
          if (length >= 2) {
            multi++;
          }
          length = 1;
        } else {
          length++;
        }
      }
    }
    assertThat((double) multi / sessions).isGreaterThan(0.6);
    assertThat((double) city.checkIns().size() / sessions).isBetween(2.5, 12.0);
  }

  /**
   * The learnable-structure check: a first-order transition model fitted on the first 80% of the
   * check-ins (in time) must clearly beat global popularity on Acc@10 over the last 20%.
   */
  @Test
  void firstOrderTransitionsClearlyBeatPopularity() {
    List<CheckIn> all = city.checkIns(); // sorted by time
    int cut = (int) (all.size() * 0.8);
    long cutTime = all.get(cut).utcEpochSecond();
    Map<Integer, Integer> popularity = new HashMap<>();
    Map<Integer, Map<Integer, Integer>> transitions = new HashMap<>();
    Map<Integer, CheckIn> lastOfUser = new HashMap<>();
    int hitsMarkov = 0;
    int hitsPopular = 0;
    int samples = 0;
    List<Integer> top10Popular = null;
    for (int i = 0; i < all.size(); i++) {
      CheckIn c = all.get(i);
      CheckIn previous = lastOfUser.put(c.user(), c);
      boolean sameSession =
          previous != null && c.utcEpochSecond() - previous.utcEpochSecond() <= 24 * 3600;
      if (i < cut) {
        popularity.merge(c.poi(), 1, Integer::sum);
        if (sameSession) {
          transitions
              .computeIfAbsent(previous.poi(), k -> new HashMap<>())
              .merge(c.poi(), 1, Integer::sum);
        }
        continue;
      }
      if (top10Popular == null) {
        top10Popular = topK(popularity, 10, List.of());
      }
      if (!sameSession) {
        continue;
      }
      samples++;
      if (top10Popular.contains(c.poi())) {
        hitsPopular++;
      }
      List<Integer> markov =
          topK(transitions.getOrDefault(previous.poi(), Map.of()), 10, top10Popular);
      if (markov.contains(c.poi())) {
        hitsMarkov++;
      }
    }
    assertThat(cutTime).isPositive();
    assertThat(samples).isGreaterThan(10_000);
    double accPopular = (double) hitsPopular / samples;
    double accMarkov = (double) hitsMarkov / samples;
    assertThat(accMarkov)
        .as("Acc@10 Markov %.4f vs popularity %.4f over %d samples", accMarkov, accPopular, samples)
        .isGreaterThan(1.5 * accPopular)
        .isGreaterThan(0.15);
  }

  /** The k keys with the highest counts (ties by key), filled up from {@code fallback}. */
  private static List<Integer> topK(Map<Integer, Integer> counts, int k, List<Integer> fallback) {
    List<Integer> keys = new ArrayList<>(counts.keySet());
    keys.sort(Comparator.<Integer>comparingInt(counts::get).reversed().thenComparing(x -> x));
    List<Integer> top = new ArrayList<>(keys.subList(0, Math.min(k, keys.size())));
    for (int f : fallback) {
      if (top.size() >= k) {
        break;
      }
      if (!top.contains(f)) {
        top.add(f);
      }
    }
    return top;
  }

  private static Map<Integer, List<CheckIn>> byUser(List<CheckIn> checkIns) {
    Map<Integer, List<CheckIn>> byUser = new HashMap<>();
    for (CheckIn c : checkIns) {
      byUser.computeIfAbsent(c.user(), k -> new ArrayList<>()).add(c);
    }
    return byUser;
  }

  @Test
  void builderRejectsBadSettings() {
    assertThatThrownBy(() -> SyntheticCity.builder().users(0))
        .hasMessageContaining("users must be >= 1");
    assertThatThrownBy(() -> SyntheticCity.builder().pois(10))
        .hasMessageContaining("pois must be >=");
    assertThatThrownBy(() -> SyntheticCity.builder().days(3)).hasMessageContaining("days");
    assertThatThrownBy(() -> SyntheticCity.builder().centre(Double.NaN, 0))
        .hasMessageContaining("latitude");
    assertThatThrownBy(() -> SyntheticCity.builder().zone(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> SyntheticCity.builder().pois(200).neighbourhoods(50).build())
        .hasMessageContaining("neighbourhoods need at least 500 POIs");
    assertThatThrownBy(() -> SyntheticCity.builder().radiusKm(0.5))
        .hasMessageContaining("radiusKm");
  }

  @Test
  void otherZonesAndSizesWork() {
    CheckInDataset tokyo =
        SyntheticCity.builder()
            .zone(ZoneId.of("Asia/Tokyo"))
            .centre(35.68, 139.76)
            .users(50)
            .pois(300)
            .neighbourhoods(8)
            .checkIns(3_000)
            .build()
            .generate();
    assertThat(tokyo.checkIns()).hasSize(3_000);
    assertThat(tokyo.checkIns()).allMatch(c -> c.utcOffsetMinutes() == 540);
  }
}
