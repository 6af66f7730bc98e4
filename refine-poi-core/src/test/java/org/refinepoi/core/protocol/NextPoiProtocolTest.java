package org.refinepoi.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.data.Trajectory;

/** The protocol on tiny hand-made datasets whose expected results are worked out by hand. */
class NextPoiProtocolTest {

  private static final long HOUR = 3600;

  /** Builds datasets from (user, POI, hour) triples; users and POIs are indices. */
  private static final class Log {
    private final List<CheckIn> checkIns = new ArrayList<>();
    private final int users;
    private final int pois;

    Log(int users, int pois) {
      this.users = users;
      this.pois = pois;
    }

    Log at(int user, int poi, double hours) {
      checkIns.add(new CheckIn(user, poi, Math.round(hours * HOUR), 0));
      return this;
    }

    CheckInDataset build() {
      List<Poi> catalogue = new ArrayList<>();
      for (int p = 0; p < pois; p++) {
        catalogue.add(new Poi("p" + p, "c" + (p % 2), "cat" + (p % 2), 40, -74));
      }
      List<String> ids = new ArrayList<>();
      for (int u = 0; u < users; u++) {
        ids.add("u" + u);
      }
      return CheckInDataset.of("tiny", catalogue, ids, checkIns);
    }
  }

  private static ProtocolConfig.Builder noFilter() {
    return ProtocolConfig.builder().minCheckInsPerUser(1).minCheckInsPerPoi(1);
  }

  private static List<Long> hours(List<CheckIn> checkIns) {
    return checkIns.stream().map(c -> c.utcEpochSecond() / HOUR).toList();
  }

  @Test
  void defaultsAreTheStandardProtocol() {
    ProtocolConfig d = ProtocolConfig.defaults();
    assertThat(d.minCheckInsPerUser()).isEqualTo(10);
    assertThat(d.minCheckInsPerPoi()).isEqualTo(10);
    assertThat(d.filterToFixedPoint()).isTrue();
    assertThat(d.sessionGap()).isEqualTo(Duration.ofHours(24));
    assertThat(d.trainFraction()).isEqualTo(0.8);
    assertThat(d.validationFraction()).isEqualTo(0.1);
    assertThat(d.sampleMode()).isEqualTo(SampleMode.LAST_CHECK_IN);
    assertThat(d.coldStartFraction()).isEqualTo(0.3);
    assertThat(d.maxLongTermCheckIns()).isEqualTo(200);
    assertThat(d.toBuilder().build()).isEqualTo(d).hasSameHashCodeAs(d);
    assertThat(d.toBuilder().maxLongTermCheckIns(5).build()).isNotEqualTo(d);
    assertThat(d.toString()).contains("sessionGap=PT24H");
  }

  @Test
  void builderRejectsInvalidSettings() {
    assertThatThrownBy(() -> ProtocolConfig.builder().minCheckInsPerUser(-1))
        .hasMessageContaining("minCheckInsPerUser must be >= 0");
    assertThatThrownBy(() -> ProtocolConfig.builder().sessionGap(Duration.ZERO))
        .hasMessageContaining("sessionGap must be positive");
    assertThatThrownBy(() -> ProtocolConfig.builder().trainFraction(0))
        .hasMessageContaining("trainFraction");
    assertThatThrownBy(() -> ProtocolConfig.builder().validationFraction(1))
        .hasMessageContaining("validationFraction");
    assertThatThrownBy(() -> ProtocolConfig.builder().coldStartFraction(1.5))
        .hasMessageContaining("coldStartFraction");
    assertThatThrownBy(
            () -> ProtocolConfig.builder().trainFraction(0.9).validationFraction(0.2).build())
        .hasMessageContaining("must be <= 1");
    assertThatThrownBy(() -> ProtocolConfig.builder().sampleMode(null))
        .isInstanceOf(NullPointerException.class);
  }

  /**
   * a: x, x, y; b: y, z with minimum 2. Pass 1 drops z (1 check-in), then b (1 left). Pass 2 drops
   * y (a's single y). Pass 3 changes nothing. Once: only z and b go, y stays.
   */
  @Test
  void filterToFixedPointVersusOnce() {
    CheckInDataset raw =
        new Log(2, 3).at(0, 0, 0).at(0, 0, 1).at(0, 1, 2).at(1, 1, 3).at(1, 2, 4).build();
    ProtocolConfig.Builder config =
        ProtocolConfig.builder().minCheckInsPerUser(2).minCheckInsPerPoi(2);

    PreparedData fixed = NextPoiProtocol.prepare(raw, config.build());
    assertThat(fixed.dataset().userIds()).containsExactly("u0");
    assertThat(fixed.dataset().pois()).extracting(Poi::id).containsExactly("p0");
    assertThat(hours(fixed.dataset().checkIns())).containsExactly(0L, 1L);
    assertThat(fixed.stats().filterRounds()).isEqualTo(3);

    PreparedData once = NextPoiProtocol.prepare(raw, config.filterToFixedPoint(false).build());
    assertThat(once.dataset().userIds()).containsExactly("u0");
    assertThat(once.dataset().pois()).extracting(Poi::id).containsExactly("p0", "p1");
    assertThat(hours(once.dataset().checkIns())).containsExactly(0L, 1L, 2L);
    assertThat(once.stats().filterRounds()).isEqualTo(1);
    // Re-indexed densely: p1 is now index 1.
    assertThat(once.dataset().checkIns().get(2).poi()).isEqualTo(1);

    assertThatThrownBy(
            () ->
                NextPoiProtocol.prepare(
                    raw, ProtocolConfig.builder().minCheckInsPerUser(50).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no check-in of tiny is left");
  }

  /**
   * u0: 0,1,2 | 29,31 | 100 (gaps 27 h and 69 h cut); u1: 5,6,30 | 60 (6 to 30 is exactly 24 h:
   * same session). Ranks: 0:u0@0 1:u0@1 2:u0@2 3:u1@5 4:u1@6 5:u0@29 6:u1@30 7:u0@31 8:u1@60
   * 9:u0@100; n = 10, train ranks 0-7, validation 8, test 9.
   */
  private static CheckInDataset sessionsLog() {
    return new Log(2, 3)
        .at(0, 0, 0)
        .at(0, 1, 1)
        .at(0, 2, 2)
        .at(1, 0, 5)
        .at(1, 1, 6)
        .at(0, 0, 29)
        .at(1, 2, 30)
        .at(0, 1, 31)
        .at(1, 0, 60)
        .at(0, 2, 100)
        .build();
  }

  @Test
  void sessionsSplitsAndLastCheckInSamples() {
    PreparedData data = NextPoiProtocol.prepare(sessionsLog(), noFilter().build());

    assertThat(hours(data.checkIns(Split.TRAIN)))
        .containsExactly(0L, 1L, 2L, 5L, 6L, 29L, 30L, 31L);
    assertThat(hours(data.checkIns(Split.VALIDATION))).containsExactly(60L);
    assertThat(hours(data.checkIns(Split.TEST))).containsExactly(100L);

    assertThat(data.trajectoriesOf(0))
        .extracting(t -> hours(t.checkIns()))
        .containsExactly(List.of(0L, 1L, 2L), List.of(29L, 31L), List.of(100L));
    assertThat(data.trajectoriesOf(1))
        .extracting(t -> hours(t.checkIns()))
        .containsExactly(List.of(5L, 6L, 30L), List.of(60L));
    // Split of a trajectory = split of its last check-in; ordered by that check-in.
    assertThat(data.trajectories(Split.TRAIN))
        .extracting(Trajectory::user, Trajectory::ordinal)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, 0),
            org.assertj.core.groups.Tuple.tuple(1, 0),
            org.assertj.core.groups.Tuple.tuple(0, 1));
    assertThat(data.trajectories(Split.VALIDATION)).extracting(Trajectory::user).containsExactly(1);
    assertThat(data.trajectories(Split.TEST)).extracting(Trajectory::user).containsExactly(0);

    List<Sample> train = data.samples(Split.TRAIN);
    assertThat(train)
        .extracting(s -> s.target().utcEpochSecond() / HOUR)
        .containsExactly(2L, 30L, 31L);
    assertThat(hours(train.get(0).shortTerm())).containsExactly(0L, 1L);
    assertThat(train.get(0).longTerm()).isEmpty();
    assertThat(hours(train.get(1).shortTerm())).containsExactly(5L, 6L);
    assertThat(hours(train.get(2).shortTerm())).containsExactly(29L);
    assertThat(hours(train.get(2).longTerm())).containsExactly(0L, 1L, 2L);
    assertThat(train.get(2).trajectory()).isEqualTo(1);
    assertThat(train).allMatch(s -> s.split() == Split.TRAIN);
    // Single check-in trajectories carry no target.
    assertThat(data.samples(Split.VALIDATION)).isEmpty();
    assertThat(data.samples(Split.TEST)).isEmpty();

    assertThat(data.splitOfRank(7)).isEqualTo(Split.TRAIN);
    assertThat(data.splitOfRank(8)).isEqualTo(Split.VALIDATION);
    assertThat(data.splitOfRank(9)).isEqualTo(Split.TEST);
    assertThat(data.trainTrajectoryCount(0)).isEqualTo(2);
    assertThat(data.trainTrajectoryCount(1)).isEqualTo(1);
  }

  @Test
  void allPrefixesYieldsOneSamplePerNonFirstCheckIn() {
    PreparedData data =
        NextPoiProtocol.prepare(
            sessionsLog(), noFilter().sampleMode(SampleMode.ALL_PREFIXES).build());
    List<Sample> train = data.samples(Split.TRAIN);
    assertThat(train)
        .extracting(s -> s.target().utcEpochSecond() / HOUR)
        .containsExactly(1L, 2L, 6L, 30L, 31L);
    assertThat(train)
        .extracting(s -> hours(s.shortTerm()))
        .containsExactly(List.of(0L), List.of(0L, 1L), List.of(5L), List.of(5L, 6L), List.of(29L));
    assertThat(data.stats().samplesPerSplit()).containsEntry(Split.TRAIN, 5);
  }

  @Test
  void sessionGapIsConfigurable() {
    PreparedData data =
        NextPoiProtocol.prepare(sessionsLog(), noFilter().sessionGap(Duration.ofHours(23)).build());
    // 6 to 30 (24 h) now exceeds the gap.
    assertThat(data.trajectoriesOf(1))
        .extracting(t -> hours(t.checkIns()))
        .containsExactly(List.of(5L, 6L), List.of(30L), List.of(60L));
  }

  /**
   * u0: p0@0 p1@1 p0@2 p1@3 | p0@50 p2@51 | p1@100 p0@101; u1: p0@102 p1@103. Train 0.4, val 0.2:
   * ranks 0-3 train, 4-5 validation, 6-9 test. The validation target p2 was never seen in train; u1
   * has no training check-in.
   */
  private static CheckInDataset unseenLog() {
    return new Log(2, 3)
        .at(0, 0, 0)
        .at(0, 1, 1)
        .at(0, 0, 2)
        .at(0, 1, 3)
        .at(0, 0, 50)
        .at(0, 2, 51)
        .at(0, 1, 100)
        .at(0, 0, 101)
        .at(1, 0, 102)
        .at(1, 1, 103)
        .build();
  }

  @Test
  void dropsValidationAndTestSamplesWithUnseenUserOrPoiAndCountsThem() {
    ProtocolConfig config = noFilter().trainFraction(0.4).validationFraction(0.2).build();
    PreparedData data = NextPoiProtocol.prepare(unseenLog(), config);
    assertThat(data.samples(Split.TRAIN))
        .extracting(s -> s.target().utcEpochSecond() / HOUR)
        .containsExactly(3L);
    assertThat(data.samples(Split.VALIDATION)).isEmpty();
    assertThat(data.samples(Split.TEST))
        .extracting(s -> s.target().utcEpochSecond() / HOUR)
        .containsExactly(101L);
    Sample test = data.samples(Split.TEST).getFirst();
    assertThat(hours(test.longTerm())).containsExactly(0L, 1L, 2L, 3L, 50L, 51L);
    assertThat(hours(test.shortTerm())).containsExactly(100L);

    DatasetStats stats = data.stats();
    assertThat(stats.checkInsPerSplit())
        .isEqualTo(Map.of(Split.TRAIN, 4, Split.VALIDATION, 2, Split.TEST, 4));
    assertThat(stats.trajectoriesPerSplit())
        .isEqualTo(Map.of(Split.TRAIN, 1, Split.VALIDATION, 1, Split.TEST, 2));
    assertThat(stats.samplesPerSplit())
        .isEqualTo(Map.of(Split.TRAIN, 1, Split.VALIDATION, 0, Split.TEST, 1));
    assertThat(stats.droppedSamplesPerSplit())
        .isEqualTo(Map.of(Split.TRAIN, 0, Split.VALIDATION, 1, Split.TEST, 1));
    assertThat(stats.usersPerSplit())
        .isEqualTo(Map.of(Split.TRAIN, 1, Split.VALIDATION, 1, Split.TEST, 2));
    assertThat(stats.poisPerSplit())
        .isEqualTo(Map.of(Split.TRAIN, 2, Split.VALIDATION, 2, Split.TEST, 2));
    assertThat(stats.rawCategories()).isEqualTo(2);
    assertThat(stats.trajectories()).isEqualTo(4);
    assertThat(stats.samples()).isEqualTo(2);
    assertThat(stats.toTable())
        .contains("| raw (as loaded) | 2 | 3 | 2 | 10 |")
        .contains("| validation | 1 | 2 |  | 2 | 1 | 0 | 1 |")
        .contains("| test | 2 | 2 |  | 4 | 2 | 1 | 1 |");

    PreparedData prefixes =
        NextPoiProtocol.prepare(
            unseenLog(), config.toBuilder().sampleMode(SampleMode.ALL_PREFIXES).build());
    assertThat(prefixes.samples(Split.TRAIN)).hasSize(3);
    assertThat(prefixes.stats().droppedSamplesPerSplit())
        .isEqualTo(Map.of(Split.TRAIN, 0, Split.VALIDATION, 1, Split.TEST, 1));
  }

  @Test
  void longTermMemoryKeepsTheMostRecentCheckIns() {
    ProtocolConfig config =
        noFilter().trainFraction(0.4).validationFraction(0.2).maxLongTermCheckIns(3).build();
    Sample test = NextPoiProtocol.prepare(unseenLog(), config).samples(Split.TEST).getFirst();
    assertThat(hours(test.longTerm())).containsExactly(3L, 50L, 51L);
    ProtocolConfig none = config.toBuilder().maxLongTermCheckIns(0).build();
    assertThat(NextPoiProtocol.prepare(unseenLog(), none).samples(Split.TEST).getFirst().longTerm())
        .isEmpty();
  }

  @Test
  void coldStartUsersHaveFewestTrainingTrajectoriesTiesByIndex() {
    ProtocolConfig config = noFilter().trainFraction(0.4).validationFraction(0.2).build();
    // Default 30% of 2 users: floor(0.6) = 0 cold users.
    PreparedData data = NextPoiProtocol.prepare(unseenLog(), config);
    assertThat(data.isColdStart(0)).isFalse();
    assertThat(data.isColdStart(1)).isFalse();
    PreparedData half =
        NextPoiProtocol.prepare(unseenLog(), config.toBuilder().coldStartFraction(0.5).build());
    assertThat(half.isColdStart(1)).isTrue(); // no training trajectory
    assertThat(half.isColdStart(0)).isFalse();
    assertThat(half.samples(Split.TRAIN)).noneMatch(Sample::coldStart);
    assertThat(half.stats().coldStartUsers()).isEqualTo(1);

    // Four users with one training trajectory each: ties go by index.
    Log tied = new Log(4, 1);
    for (int u = 0; u < 4; u++) {
      tied.at(u, 0, u).at(u, 0, u + 0.5);
    }
    PreparedData ties =
        NextPoiProtocol.prepare(
            tied.build(),
            noFilter().trainFraction(1).validationFraction(0).coldStartFraction(0.5).build());
    assertThat(
            List.of(
                ties.isColdStart(0), ties.isColdStart(1), ties.isColdStart(2), ties.isColdStart(3)))
        .containsExactly(true, true, false, false);
    assertThat(ties.samples(Split.TRAIN))
        .extracting(Sample::coldStart)
        .containsExactly(true, true, false, false);
    assertThatThrownBy(() -> ties.isColdStart(4)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void nothingFilteredKeepsTheDatasetAsIs() {
    CheckInDataset raw = sessionsLog();
    PreparedData data = NextPoiProtocol.prepare(raw, noFilter().build());
    assertThat(data.dataset()).isSameAs(raw);
    assertThat(data.config()).isEqualTo(noFilter().build());
  }
}
