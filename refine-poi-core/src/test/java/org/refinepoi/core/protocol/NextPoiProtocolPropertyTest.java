package org.refinepoi.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.data.Trajectory;

/** Invariants of the protocol on random small logs and random settings. */
class NextPoiProtocolPropertyTest {

  /** A random log and settings, with the filters loose enough that something survives. */
  record Case(CheckInDataset raw, ProtocolConfig config) {}

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<Integer> users = Arbitraries.integers().between(1, 6);
    Arbitrary<Integer> pois = Arbitraries.integers().between(1, 8);
    // (minute over ten days, user seed, POI seed); times repeat often enough to exercise ties.
    Arbitrary<List<long[]>> rows =
        Combinators.combine(
                Arbitraries.longs().between(0, 10L * 24 * 60),
                Arbitraries.longs().between(0, 999),
                Arbitraries.longs().between(0, 999))
            .as((minute, user, poi) -> new long[] {minute, user, poi})
            .list()
            .ofMinSize(1)
            .ofMaxSize(80);
    Arbitrary<ProtocolConfig> configs =
        Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, 3),
                Arbitraries.of(true, false),
                Arbitraries.integers().between(1, 48),
                Arbitraries.of(0.5, 0.6, 0.8, 1.0),
                Arbitraries.of(0.0, 0.1, 0.2),
                Arbitraries.of(SampleMode.values()),
                Arbitraries.integers().between(0, 5))
            .as(
                (minUser, minPoi, fixed, gapHours, train, val, mode, longTerm) ->
                    ProtocolConfig.builder()
                        .minCheckInsPerUser(minUser)
                        .minCheckInsPerPoi(minPoi)
                        .filterToFixedPoint(fixed)
                        .sessionGap(Duration.ofHours(gapHours))
                        .trainFraction(train)
                        .validationFraction(Math.min(val, 1 - train))
                        .sampleMode(mode)
                        .maxLongTermCheckIns(longTerm)
                        .build());
    return Combinators.combine(users, pois, rows, configs)
        .as(
            (u, p, r, config) -> {
              List<CheckIn> checkIns = new ArrayList<>();
              for (long[] row : r) {
                checkIns.add(new CheckIn((int) (row[1] % u), (int) (row[2] % p), row[0] * 60, 0));
              }
              List<Poi> catalogue = new ArrayList<>();
              for (int i = 0; i < p; i++) {
                catalogue.add(new Poi("p" + i, "c" + i % 3, "n" + i % 3, 0, 0));
              }
              List<String> ids = new ArrayList<>();
              for (int i = 0; i < u; i++) {
                ids.add("u" + i);
              }
              return new Case(CheckInDataset.of("random", catalogue, ids, checkIns), config);
            })
        .filter(c -> survives(c.raw(), c.config()));
  }

  private static boolean survives(CheckInDataset raw, ProtocolConfig config) {
    try {
      NextPoiProtocol.prepare(raw, config);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Property(tries = 300)
  void splitsPartitionTheCheckInsInTimeOrder(@ForAll("cases") Case c) {
    PreparedData data = NextPoiProtocol.prepare(c.raw(), c.config());
    List<CheckIn> joined = new ArrayList<>();
    long previousMax = Long.MIN_VALUE;
    for (Split s : Split.values()) {
      List<CheckIn> part = data.checkIns(s);
      for (CheckIn x : part) {
        assertThat(x.utcEpochSecond()).isGreaterThanOrEqualTo(previousMax);
      }
      for (CheckIn x : part) {
        previousMax = Math.max(previousMax, x.utcEpochSecond());
      }
      joined.addAll(part);
      assertThat(data.stats().checkInsPerSplit().get(s)).isEqualTo(part.size());
    }
    assertThat(joined).isEqualTo(data.dataset().checkIns());
  }

  @Property(tries = 300)
  void samplesNeverSeeTheFuture(@ForAll("cases") Case c) {
    PreparedData data = NextPoiProtocol.prepare(c.raw(), c.config());
    for (Split s : Split.values()) {
      for (Sample sample : data.samples(s)) {
        long target = sample.target().utcEpochSecond();
        long currentStart = sample.shortTerm().getFirst().utcEpochSecond();
        for (CheckIn x : sample.shortTerm()) {
          assertThat(x.utcEpochSecond()).isLessThanOrEqualTo(target);
          assertThat(x.user()).isEqualTo(sample.user());
        }
        for (CheckIn x : sample.longTerm()) {
          // Earlier trajectories ended before the current one began.
          assertThat(x.utcEpochSecond()).isLessThan(currentStart);
          assertThat(x.user()).isEqualTo(sample.user());
        }
        assertThat(sample.longTerm().size()).isLessThanOrEqualTo(c.config().maxLongTermCheckIns());
        assertThat(sample.split()).isEqualTo(s);
      }
    }
  }

  @Property(tries = 300)
  void everyValidationAndTestTargetIsKnownFromTraining(@ForAll("cases") Case c) {
    PreparedData data = NextPoiProtocol.prepare(c.raw(), c.config());
    Set<Integer> trainUsers = new HashSet<>();
    Set<Integer> trainPois = new HashSet<>();
    for (CheckIn x : data.checkIns(Split.TRAIN)) {
      trainUsers.add(x.user());
      trainPois.add(x.poi());
    }
    for (Split s : List.of(Split.VALIDATION, Split.TEST)) {
      for (Sample sample : data.samples(s)) {
        assertThat(trainUsers).contains(sample.user());
        assertThat(trainPois).contains(sample.targetPoi());
      }
    }
  }

  @Property(tries = 300)
  void trajectoriesCutTheTimelineAtTheSessionGap(@ForAll("cases") Case c) {
    PreparedData data = NextPoiProtocol.prepare(c.raw(), c.config());
    long gap = c.config().sessionGap().getSeconds();
    Map<Integer, List<CheckIn>> byUser = new HashMap<>();
    for (CheckIn x : data.dataset().checkIns()) {
      byUser.computeIfAbsent(x.user(), k -> new ArrayList<>()).add(x);
    }
    int total = 0;
    int withTargets = 0;
    for (int u = 0; u < data.dataset().userCount(); u++) {
      List<CheckIn> joined = new ArrayList<>();
      Trajectory previous = null;
      for (Trajectory t : data.trajectoriesOf(u)) {
        for (int i = 1; i < t.size(); i++) {
          assertThat(
                  t.checkIns().get(i).utcEpochSecond() - t.checkIns().get(i - 1).utcEpochSecond())
              .isLessThanOrEqualTo(gap);
        }
        if (previous != null) {
          assertThat(t.startEpochSecond() - previous.endEpochSecond()).isGreaterThan(gap);
        }
        joined.addAll(t.checkIns());
        previous = t;
        total++;
        withTargets +=
            c.config().sampleMode() == SampleMode.LAST_CHECK_IN
                ? (t.size() >= 2 ? 1 : 0)
                : t.size() - 1;
      }
      assertThat(joined).isEqualTo(byUser.get(u));
    }
    DatasetStats stats = data.stats();
    assertThat(stats.trajectories()).isEqualTo(total);
    int dropped =
        stats.droppedSamplesPerSplit().values().stream().mapToInt(Integer::intValue).sum();
    assertThat(stats.samples() + dropped).isEqualTo(withTargets);
  }

  @Property(tries = 300)
  void fixedPointFilterLeavesEveryUserAndPoiAboveItsMinimum(@ForAll("cases") Case c) {
    PreparedData data = NextPoiProtocol.prepare(c.raw(), c.config());
    int[] users = new int[data.dataset().userCount()];
    int[] pois = new int[data.dataset().poiCount()];
    for (CheckIn x : data.dataset().checkIns()) {
      users[x.user()]++;
      pois[x.poi()]++;
    }
    for (int count : users) {
      assertThat(count).isPositive();
      if (c.config().filterToFixedPoint()) {
        assertThat(count).isGreaterThanOrEqualTo(c.config().minCheckInsPerUser());
      }
    }
    for (int count : pois) {
      assertThat(count).isPositive();
      if (c.config().filterToFixedPoint()) {
        assertThat(count).isGreaterThanOrEqualTo(c.config().minCheckInsPerPoi());
      }
    }
  }
}
