package org.refinepoi.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.refinepoi.core.eval.TinyData.CHECK_INS;
import static org.refinepoi.core.eval.TinyData.POIS;
import static org.refinepoi.core.eval.TinyData.TRAJECTORIES;
import static org.refinepoi.core.eval.TinyData.ci;
import static org.refinepoi.core.eval.TinyData.sample;

import java.util.List;
import org.junit.jupiter.api.Test;

class BaselinesTest {

  @Test
  void most_popular_ranks_by_count_then_index() {
    MostPopular pop = MostPopular.fit(5, CHECK_INS);
    assertThat(pop.recommend(sample(0, 4, 1), 10)).containsExactly(1, 0, 2, 3, 4);
    assertThat(pop.recommend(sample(1, 2, 1), 2)).containsExactly(1, 0);
    assertThat(pop.total()).isEqualTo(8);
  }

  @Test
  void user_most_visited_then_popularity() {
    UserMostVisited user = UserMostVisited.fit(5, CHECK_INS);
    // User 0: POIs 0 and 1 twice each (tie -> lower index), 2 once, and the sample's own
    // last check-in (POI 4, after training) once; then popularity fills 3.
    assertThat(user.recommend(sample(0, 4, 1), 10)).containsExactly(0, 1, 2, 4, 3);
    // User 1: POI 1 twice, POI 3 once, POI 4 once (the sample's context).
    assertThat(user.recommend(sample(1, 4, 1), 10)).containsExactly(1, 3, 4, 0, 2);
    assertThat(user.recommend(sample(1, 4, 1), 1)).containsExactly(1);
  }

  @Test
  void user_most_visited_counts_memory_after_training_only() {
    UserMostVisited user = UserMostVisited.fit(5, CHECK_INS);
    // Two visits to POI 4 after training plus a memory copy of a training check-in (time 400),
    // which must not be counted twice: 1 -> 2, 4 -> 2, 3 -> 1.
    var s =
        sample(
            1, List.of(ci(1, 4, 1_500_000)), List.of(ci(1, 1, 400), ci(1, 4, 1_000_000)), 2, false);
    assertThat(user.recommend(s, 10)).containsExactly(1, 4, 3, 0, 2);
    // An unknown user: only their memory, then popularity.
    var stranger = sample(7, List.of(ci(7, 3, 10)), List.of(), 0, true);
    assertThat(user.recommend(stranger, 10)).containsExactly(3, 1, 0, 2, 4);
  }

  @Test
  void markov_transitions_then_user_then_popularity() {
    MarkovTransition markov = MarkovTransition.fit(5, CHECK_INS, TRAJECTORIES);
    // From POI 1: 1->2 and 1->1 once each (tie -> lower index); user 1 adds 3; popularity 0, 4.
    assertThat(markov.recommend(sample(1, 1, 2), 10)).containsExactly(1, 2, 3, 0, 4);
    // From POI 0: 0->1 twice; user 0's POIs 0, 2; popularity 3, 4.
    assertThat(markov.recommend(sample(0, 0, 2), 10)).containsExactly(1, 0, 2, 3, 4);
    // From POI 4 nothing was observed: the user's own ranking (with the context's POI 4).
    assertThat(markov.recommend(sample(0, 4, 2), 10)).containsExactly(0, 1, 2, 4, 3);
    // The transition 2 -> 0 spans two trajectories and is not counted.
    assertThat(markov.outgoingTransitions(2)).isZero();
    assertThat(markov.outgoingTransitions(1)).isEqualTo(2);
  }

  @Test
  void markov_smoothing_towards_the_users_visits() {
    // User 1 sees POI 1 three times (two in training, one in the context) and POI 3 once: shares
    // 3/4 and 1/4. From POI 1 the transitions are 1 -> 1 and 1 -> 2, once each.
    // alpha = 0.5: 1 -> 1 + 0.375, 2 -> 1, 3 -> 0.125: the same order as without smoothing.
    MarkovTransition light = MarkovTransition.fit(5, CHECK_INS, TRAJECTORIES, 0.5);
    assertThat(light.recommend(sample(1, 1, 2), 10)).containsExactly(1, 2, 3, 0, 4);
    // alpha = 10: 1 -> 8.5, 3 -> 2.5, 2 -> 1: the user's habit outranks the rare transition.
    MarkovTransition heavy = MarkovTransition.fit(5, CHECK_INS, TRAJECTORIES, 10);
    assertThat(heavy.recommend(sample(1, 1, 2), 10)).containsExactly(1, 3, 2, 0, 4);
    assertThat(heavy.recommend(sample(1, 1, 2), 2)).containsExactly(1, 3);
    assertThat(heavy.smoothing()).isEqualTo(10);
    assertThatThrownBy(() -> MarkovTransition.fit(5, CHECK_INS, TRAJECTORIES, Double.NaN))
        .hasMessageContaining("smoothing");
  }

  @Test
  void popular_near_last_check_in_trades_popularity_for_distance() {
    // From POI 2 (lon 0.02) with scale 1 km; 0.01 degree of longitude on the equator = 1.112 km.
    // ln(1+count) - d: 0 -> ln 3 - 2.224 = -1.13, 1 -> ln 5 - 1.112 = 0.50, 2 -> ln 2 = 0.69,
    // 3 -> ln 2 - 3.336 = -2.64, 4 -> 0 - 108.9.
    PopularNearLastCheckIn near = PopularNearLastCheckIn.fit(POIS, CHECK_INS, 1.0);
    assertThat(near.recommend(sample(0, 2, 1), 10)).containsExactly(2, 1, 0, 3, 4);
    // Scale 10 km: 0 -> 0.88, 1 -> 1.50, 2 -> 0.69, 3 -> 0.36.
    PopularNearLastCheckIn wide = PopularNearLastCheckIn.fit(POIS, CHECK_INS, 10.0);
    assertThat(wide.recommend(sample(0, 2, 1), 10)).containsExactly(1, 0, 2, 3, 4);
    assertThat(wide.recommend(sample(0, 2, 1), 2)).containsExactly(1, 0);
    assertThatThrownBy(() -> PopularNearLastCheckIn.fit(POIS, CHECK_INS, 0.0))
        .hasMessageContaining("distance scale");
  }

  @Test
  void haversine_matches_the_spherical_law_of_cosines() {
    var cities =
        List.of(
            new org.refinepoi.core.data.Poi("nyc", "c", "City", 40.7128, -74.0060),
            new org.refinepoi.core.data.Poi("ldn", "c", "City", 51.5074, -0.1278));
    PopularNearLastCheckIn near = PopularNearLastCheckIn.fit(cities, List.of(ci(0, 0, 0)), 1.0);
    double p1 = Math.toRadians(40.7128);
    double p2 = Math.toRadians(51.5074);
    double dl = Math.toRadians(-0.1278 + 74.0060);
    double reference =
        org.refinepoi.core.data.PoiDistances.EARTH_RADIUS_KM
            * Math.acos(Math.sin(p1) * Math.sin(p2) + Math.cos(p1) * Math.cos(p2) * Math.cos(dl));
    // Both formulas are exact on the sphere; they differ by rounding only (about 5570 km).
    assertThat(near.distanceKm(0, 1)).isCloseTo(reference, within(1e-6));
    assertThat(near.distanceKm(0, 1)).isBetween(5560.0, 5580.0);
  }

  @Test
  void fit_all_returns_the_four_in_order_and_lists_never_repeat() {
    List<Recommender> all = Baselines.fitAll(POIS, CHECK_INS, TRAJECTORIES);
    assertThat(all)
        .extracting(Recommender::name)
        .containsExactly(
            MostPopular.NAME,
            UserMostVisited.NAME,
            MarkovTransition.NAME,
            PopularNearLastCheckIn.NAME);
    for (Recommender r : all) {
      for (int user = 0; user < 3; user++) {
        for (int last = 0; last < 5; last++) {
          int[] list = r.recommend(sample(user, last, 0), 100);
          assertThat(list).as(r.name()).hasSize(5).doesNotHaveDuplicates();
        }
      }
    }
  }

  @Test
  void bad_training_data_is_refused() {
    assertThatThrownBy(() -> MostPopular.fit(3, CHECK_INS))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("POI index");
    assertThatThrownBy(() -> MostPopular.fit(0, List.of()))
        .hasMessageContaining("at least one POI");
    assertThatThrownBy(() -> MostPopular.fit(5, CHECK_INS).recommend(sample(0, 1, 1), 0))
        .hasMessageContaining("k must be >= 1");
  }
}
