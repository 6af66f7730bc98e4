package org.refinepoi.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.LoadResult;
import org.refinepoi.core.data.PreprocessedCsvLoader;
import org.refinepoi.core.data.Tsmc2014Loader;
import org.refinepoi.core.testing.SharedData;

/**
 * The loaders and the protocol on the real Foursquare NYC files (skipped when absent). The stats of
 * {@code checkins_NYC.tsv} are recomputed here independently, with plain maps and loops over {@code
 * String.split} and {@code java.time} parsing, and compared number by number.
 */
class NycRealDataTest {

  private static final DateTimeFormatter TSMC_TIME =
      DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss Z yyyy", Locale.US);

  private static Path nyc(String name) {
    return SharedData.nyc(name);
  }

  /** One line of the raw file as the independent count sees it. */
  private record Row(String user, String poi, String category, long time) {}

  /** What the independent count expects. */
  private record Expected(
      int rawUsers,
      int rawPois,
      int rawCategories,
      int rawCheckIns,
      int users,
      int pois,
      int categories,
      int checkIns,
      int passes,
      Map<Split, Integer> users_,
      Map<Split, Integer> pois_,
      Map<Split, Integer> checkIns_,
      Map<Split, Integer> trajectories,
      Map<Split, Integer> samples,
      Map<Split, Integer> dropped,
      int coldStart) {}

  private static List<Row> readIndependently(Path file) throws IOException {
    List<Row> rows = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        String[] f = line.split("\t");
        assertThat(f).hasSize(8);
        long time = ZonedDateTime.parse(f[7], TSMC_TIME).toEpochSecond();
        rows.add(new Row(f[0], f[1], f[2], time));
      }
    }
    return rows;
  }

  private static <K> Map<K, Integer> count(List<Row> rows, Function<Row, K> key) {
    Map<K, Integer> counts = new HashMap<>();
    for (Row r : rows) {
      counts.merge(key.apply(r), 1, Integer::sum);
    }
    return counts;
  }

  private static Map<Split, Integer> zeros() {
    Map<Split, Integer> m = new EnumMap<>(Split.class);
    for (Split s : Split.values()) {
      m.put(s, 0);
    }
    return m;
  }

  private static Expected expected(List<Row> rows, boolean allPrefixes) {
    Map<String, String> firstCategory = new HashMap<>();
    for (Row r : rows) {
      firstCategory.putIfAbsent(r.poi(), r.category());
    }
    int rawUsers = count(rows, Row::user).size();

    List<Row> kept = rows;
    int passes = 0;
    while (true) {
      passes++;
      Map<String, Integer> perPoi = count(kept, Row::poi);
      List<Row> a = new ArrayList<>();
      for (Row r : kept) {
        if (perPoi.get(r.poi()) >= 10) {
          a.add(r);
        }
      }
      Map<String, Integer> perUser = count(a, Row::user);
      List<Row> b = new ArrayList<>();
      for (Row r : a) {
        if (perUser.get(r.user()) >= 10) {
          b.add(r);
        }
      }
      boolean changed = b.size() != kept.size();
      kept = b;
      if (!changed) {
        break;
      }
    }
    kept = new ArrayList<>(kept);
    kept.sort(Comparator.comparingLong(Row::time)); // stable: ties keep file order
    int n = kept.size();
    int trainEnd = (int) (n * 0.8);
    int valEnd = (int) (n * 0.9);
    Function<Integer, Split> split =
        r -> r < trainEnd ? Split.TRAIN : r < valEnd ? Split.VALIDATION : Split.TEST;

    Set<String> trainUsers = new HashSet<>();
    Set<String> trainPois = new HashSet<>();
    Map<Split, Set<String>> usersIn = new EnumMap<>(Split.class);
    Map<Split, Set<String>> poisIn = new EnumMap<>(Split.class);
    Map<Split, Integer> checkInsIn = zeros();
    for (Split s : Split.values()) {
      usersIn.put(s, new HashSet<>());
      poisIn.put(s, new HashSet<>());
    }
    Map<String, List<Integer>> ranksByUser = new LinkedHashMap<>();
    for (int r = 0; r < n; r++) {
      Row row = kept.get(r);
      Split s = split.apply(r);
      usersIn.get(s).add(row.user());
      poisIn.get(s).add(row.poi());
      checkInsIn.merge(s, 1, Integer::sum);
      if (s == Split.TRAIN) {
        trainUsers.add(row.user());
        trainPois.add(row.poi());
      }
      ranksByUser.computeIfAbsent(row.user(), u -> new ArrayList<>()).add(r);
    }

    Map<Split, Integer> trajectories = zeros();
    Map<Split, Integer> samples = zeros();
    Map<Split, Integer> dropped = zeros();
    for (Map.Entry<String, List<Integer>> e : ranksByUser.entrySet()) {
      List<List<Integer>> sessions = new ArrayList<>();
      List<Integer> current = new ArrayList<>();
      for (int r : e.getValue()) {
        if (!current.isEmpty()
            && kept.get(r).time() - kept.get(current.getLast()).time() > 86_400) {
          sessions.add(current);
          current = new ArrayList<>();
        }
        current.add(r);
      }
      sessions.add(current);
      for (List<Integer> session : sessions) {
        trajectories.merge(split.apply(session.getLast()), 1, Integer::sum);
        int firstTarget = allPrefixes ? 1 : session.size() - 1;
        for (int k = Math.max(1, firstTarget); k < session.size(); k++) {
          int target = session.get(k);
          Split s = split.apply(target);
          boolean known =
              trainUsers.contains(e.getKey()) && trainPois.contains(kept.get(target).poi());
          if (s == Split.TRAIN || known) {
            samples.merge(s, 1, Integer::sum);
          } else {
            dropped.merge(s, 1, Integer::sum);
          }
        }
      }
    }
    Map<Split, Integer> usersPerSplit = zeros();
    Map<Split, Integer> poisPerSplit = zeros();
    for (Split s : Split.values()) {
      usersPerSplit.put(s, usersIn.get(s).size());
      poisPerSplit.put(s, poisIn.get(s).size());
    }
    Set<String> keptPois = new HashSet<>();
    Set<String> keptCategories = new HashSet<>();
    for (Row r : kept) {
      keptPois.add(r.poi());
      keptCategories.add(firstCategory.get(r.poi()));
    }
    int users = ranksByUser.size();
    return new Expected(
        rawUsers,
        firstCategory.size(),
        new HashSet<>(firstCategory.values()).size(),
        rows.size(),
        users,
        keptPois.size(),
        keptCategories.size(),
        n,
        passes,
        usersPerSplit,
        poisPerSplit,
        checkInsIn,
        trajectories,
        samples,
        dropped,
        (int) (users * 0.3));
  }

  private static void assertStatsMatch(DatasetStats stats, Expected e) {
    assertThat(stats.rawUsers()).isEqualTo(e.rawUsers());
    assertThat(stats.rawPois()).isEqualTo(e.rawPois());
    assertThat(stats.rawCategories()).isEqualTo(e.rawCategories());
    assertThat(stats.rawCheckIns()).isEqualTo(e.rawCheckIns());
    assertThat(stats.users()).isEqualTo(e.users());
    assertThat(stats.pois()).isEqualTo(e.pois());
    assertThat(stats.categories()).isEqualTo(e.categories());
    assertThat(stats.checkIns()).isEqualTo(e.checkIns());
    assertThat(stats.filterRounds()).isEqualTo(e.passes());
    assertThat(stats.usersPerSplit()).isEqualTo(e.users_());
    assertThat(stats.poisPerSplit()).isEqualTo(e.pois_());
    assertThat(stats.checkInsPerSplit()).isEqualTo(e.checkIns_());
    assertThat(stats.trajectoriesPerSplit()).isEqualTo(e.trajectories());
    assertThat(stats.samplesPerSplit()).isEqualTo(e.samples());
    assertThat(stats.droppedSamplesPerSplit()).isEqualTo(e.dropped());
    assertThat(stats.coldStartUsers()).isEqualTo(e.coldStart());
  }

  @Test
  void statsOfTheRawNycLogMatchAnIndependentCount() throws IOException {
    Path file = nyc("checkins_NYC.tsv");
    LoadResult loaded = new Tsmc2014Loader().load(file);
    CheckInDataset raw = loaded.dataset();
    // The counts the data's README gives.
    assertThat(raw.checkIns()).hasSize(77_495);
    assertThat(raw.userCount()).isEqualTo(816);
    assertThat(raw.poiCount()).isEqualTo(2_802);
    assertThat(loaded.report().skippedLines()).isZero();

    List<Row> rows = readIndependently(file);
    PreparedData last = NextPoiProtocol.prepare(raw, ProtocolConfig.defaults());
    Expected expected = expected(rows, false);
    assertStatsMatch(last.stats(), expected);
    // Sanity of the independent count itself: the protocol keeps most of this pre-filtered log.
    assertThat(expected.checkIns()).isBetween(70_000, 77_495);
    assertThat(expected.samples().get(Split.TEST)).isPositive();

    PreparedData prefixes =
        NextPoiProtocol.prepare(
            raw, ProtocolConfig.builder().sampleMode(SampleMode.ALL_PREFIXES).build());
    assertStatsMatch(prefixes.stats(), expected(rows, true));

    // Every check-in time agrees with java.time's reading of the file.
    List<Long> times = new ArrayList<>();
    for (CheckIn c : raw.checkIns()) {
      times.add(c.utcEpochSecond());
    }
    List<Long> independentTimes = new ArrayList<>();
    for (Row r : rows) {
      independentTimes.add(r.time());
    }
    independentTimes.sort(null);
    assertThat(times).isEqualTo(independentTimes);
  }

  @Test
  void preprocessedSplitsHaveTheCountsOfTheirReadme() throws IOException {
    checkCsv("NYC_val.csv", 10_339, 513, 2_558, "2012-11-09", "2012-12-21");
    checkCsv("NYC_test.csv", 10_374, 461, 2_403, "2012-12-21", "2013-02-14");
  }

  private static void checkCsv(
      String name, int rows, int users, int pois, String firstDay, String lastDay)
      throws IOException {
    LoadResult loaded = new PreprocessedCsvLoader().load(nyc(name));
    CheckInDataset data = loaded.dataset();
    assertThat(data.checkIns()).hasSize(rows);
    assertThat(data.userCount()).isEqualTo(users);
    assertThat(data.poiCount()).isEqualTo(pois);
    assertThat(loaded.report().linesRead()).isEqualTo(rows + 1L);
    assertThat(loaded.report().skippedLines()).isZero();
    assertThat(day(data.checkIns().getFirst())).isEqualTo(firstDay);
    assertThat(day(data.checkIns().getLast())).isEqualTo(lastDay);
  }

  private static String day(CheckIn c) {
    return LocalDate.ofInstant(c.utcTime(), ZoneOffset.UTC).toString();
  }
}
