package org.refinepoi.core.protocol;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.data.Trajectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standard next-POI protocol (METHOD section 1; GETNext / STHGCN / LLM4POI), step by step:
 *
 * <ol>
 *   <li><b>Filter.</b> Drop the check-ins of POIs with fewer than {@link
 *       ProtocolConfig#minCheckInsPerPoi()} check-ins, then those of users with fewer than {@link
 *       ProtocolConfig#minCheckInsPerUser()}. Dropping users can push POIs below the threshold, so
 *       by default the two passes repeat until nothing changes (a fixed point: every kept user and
 *       POI then meets its minimum); with {@code filterToFixedPoint(false)} they run once, POIs
 *       first. Kept users and POIs are re-indexed densely in their original order.
 *   <li><b>Trajectories.</b> Each user's check-ins, over the whole timeline, are cut into sessions
 *       wherever the gap between consecutive check-ins exceeds {@link ProtocolConfig#sessionGap()}
 *       (a gap of exactly the session gap stays in the session).
 *   <li><b>Split.</b> All kept check-ins in time order (ties in source order) are split by rank:
 *       ranks below {@code floor(n * trainFraction)} are training, below {@code floor(n * (train +
 *       validation fraction))} validation, the rest test. A trajectory belongs to the split of its
 *       <em>last</em> check-in, so training trajectories lie wholly in the training period and the
 *       last-check-in sample of a trajectory shares its split.
 *   <li><b>Samples.</b> In {@link SampleMode#LAST_CHECK_IN} mode each trajectory of at least two
 *       check-ins yields one sample whose target is its last check-in and whose short-term memory
 *       is the check-ins before it; in {@link SampleMode#ALL_PREFIXES} mode every check-in but the
 *       first is a target, with the check-ins before it in the trajectory as short-term memory. A
 *       sample's split is its target's. Long-term memory is the user's check-ins in earlier
 *       trajectories (sessions of one user never overlap, so these all ended before the current one
 *       began), the {@link ProtocolConfig#maxLongTermCheckIns()} most recent of them.
 *   <li><b>Unseen.</b> A validation or test sample is dropped when its user or its target POI has
 *       no check-in in the training split; the drops are counted in {@link DatasetStats}.
 *   <li><b>Cold start.</b> Users are ordered by their number of training trajectories (of any
 *       length), fewest first, ties by user index (the order of first appearance in the source);
 *       the first {@code floor(users * coldStartFraction)} are cold-start.
 * </ol>
 *
 * <p>Samples of each split are ordered by target time; trajectories of each split by their last
 * check-in. The result is deterministic.
 */
public final class NextPoiProtocol {

  private static final Logger log = LoggerFactory.getLogger(NextPoiProtocol.class);

  /** Guards floor(n * fraction) against fractions like 0.7 * 10 = 6.999... */
  private static final double EPSILON = 1e-9;

  private NextPoiProtocol() {}

  /**
   * Runs the protocol on a loaded dataset.
   *
   * @throws IllegalArgumentException if no check-in survives the filters
   */
  public static PreparedData prepare(CheckInDataset raw, ProtocolConfig config) {
    checkNotNull(raw, "raw");
    checkNotNull(config, "config");
    List<CheckIn> rawCheckIns = raw.checkIns();
    int rawCount = rawCheckIns.size();

    // 1. Filter users and POIs.
    boolean[] dropped = new boolean[rawCount];
    int[] userCounts = new int[raw.userCount()];
    int[] poiCounts = new int[raw.poiCount()];
    int rounds = 0;
    boolean changed = true;
    while (changed) {
      rounds++;
      changed = false;
      Arrays.fill(poiCounts, 0);
      for (int i = 0; i < rawCount; i++) {
        if (!dropped[i]) {
          poiCounts[rawCheckIns.get(i).poi()]++;
        }
      }
      for (int i = 0; i < rawCount; i++) {
        if (!dropped[i] && poiCounts[rawCheckIns.get(i).poi()] < config.minCheckInsPerPoi()) {
          dropped[i] = true;
          changed = true;
        }
      }
      Arrays.fill(userCounts, 0);
      for (int i = 0; i < rawCount; i++) {
        if (!dropped[i]) {
          userCounts[rawCheckIns.get(i).user()]++;
        }
      }
      for (int i = 0; i < rawCount; i++) {
        if (!dropped[i] && userCounts[rawCheckIns.get(i).user()] < config.minCheckInsPerUser()) {
          dropped[i] = true;
          changed = true;
        }
      }
      if (!config.filterToFixedPoint()) {
        break;
      }
    }
    int[] newUser = new int[raw.userCount()];
    int[] newPoi = new int[raw.poiCount()];
    Arrays.fill(newUser, -1);
    Arrays.fill(newPoi, -1);
    boolean[] userKept = new boolean[raw.userCount()];
    boolean[] poiKept = new boolean[raw.poiCount()];
    int kept = 0;
    for (int i = 0; i < rawCount; i++) {
      if (!dropped[i]) {
        userKept[rawCheckIns.get(i).user()] = true;
        poiKept[rawCheckIns.get(i).poi()] = true;
        kept++;
      }
    }
    checkArgument(
        kept > 0,
        "no check-in of %s is left after filtering users < %s and POIs < %s check-ins",
        raw.name(),
        config.minCheckInsPerUser(),
        config.minCheckInsPerPoi());
    List<String> userIds = new ArrayList<>();
    for (int u = 0; u < raw.userCount(); u++) {
      if (userKept[u]) {
        newUser[u] = userIds.size();
        userIds.add(raw.userIds().get(u));
      }
    }
    List<Poi> pois = new ArrayList<>();
    for (int p = 0; p < raw.poiCount(); p++) {
      if (poiKept[p]) {
        newPoi[p] = pois.size();
        pois.add(raw.poi(p));
      }
    }
    List<CheckIn> keptCheckIns = new ArrayList<>(kept);
    for (int i = 0; i < rawCount; i++) {
      if (!dropped[i]) {
        CheckIn c = rawCheckIns.get(i);
        keptCheckIns.add(
            new CheckIn(
                newUser[c.user()], newPoi[c.poi()], c.utcEpochSecond(), c.utcOffsetMinutes()));
      }
    }
    // Already in time order: the dataset's stable sort keeps it as is.
    CheckInDataset dataset = CheckInDataset.of(raw.name(), pois, userIds, keptCheckIns);
    ImmutableList<CheckIn> all = dataset.checkIns();
    int n = all.size();
    int users = dataset.userCount();

    // 3. Split boundaries by rank.
    int trainEnd = boundary(n, config.trainFraction());
    int validationEnd =
        Math.max(trainEnd, boundary(n, config.trainFraction() + config.validationFraction()));

    // Each user's check-in ranks, chronological (counting sort by user).
    int[] userStart = new int[users + 1];
    for (CheckIn c : all) {
      userStart[c.user() + 1]++;
    }
    for (int u = 0; u < users; u++) {
      userStart[u + 1] += userStart[u];
    }
    int[] byUser = new int[n];
    int[] fill = Arrays.copyOf(userStart, users);
    for (int r = 0; r < n; r++) {
      byUser[fill[all.get(r).user()]++] = r;
    }

    boolean[] userInTrain = new boolean[users];
    boolean[] poiInTrain = new boolean[dataset.poiCount()];
    for (int r = 0; r < trainEnd; r++) {
      userInTrain[all.get(r).user()] = true;
      poiInTrain[all.get(r).poi()] = true;
    }

    // 2. Trajectories, per user; the last rank of each trajectory decides its split.
    long gap = config.sessionGap().getSeconds();
    Trajectory[] trajectoryByLastRank = new Trajectory[n];
    int[] trainTrajectories = new int[users];
    List<ImmutableList<Trajectory>> trajectoriesByUser = new ArrayList<>(users);
    List<ImmutableList<CheckIn>> histories = new ArrayList<>(users);
    List<int[]> trajectoryStarts = new ArrayList<>(users);
    for (int u = 0; u < users; u++) {
      int from = userStart[u];
      int to = userStart[u + 1];
      ImmutableList.Builder<CheckIn> history = ImmutableList.builderWithExpectedSize(to - from);
      for (int i = from; i < to; i++) {
        history.add(all.get(byUser[i]));
      }
      ImmutableList<CheckIn> h = history.build();
      histories.add(h);
      List<Integer> starts = new ArrayList<>();
      starts.add(0);
      for (int i = 1; i < h.size(); i++) {
        if (h.get(i).utcEpochSecond() - h.get(i - 1).utcEpochSecond() > gap) {
          starts.add(i);
        }
      }
      int[] s = new int[starts.size() + 1];
      for (int t = 0; t < starts.size(); t++) {
        s[t] = starts.get(t);
      }
      s[starts.size()] = h.size();
      trajectoryStarts.add(s);
      ImmutableList.Builder<Trajectory> mine = ImmutableList.builderWithExpectedSize(s.length - 1);
      for (int t = 0; t + 1 < s.length; t++) {
        Trajectory trajectory = new Trajectory(u, t, h.subList(s[t], s[t + 1]));
        mine.add(trajectory);
        int lastRank = byUser[from + s[t + 1] - 1];
        trajectoryByLastRank[lastRank] = trajectory;
        if (lastRank < trainEnd) {
          trainTrajectories[u]++;
        }
      }
      trajectoriesByUser.add(mine.build());
    }

    // 6. Cold-start users: fewest training trajectories first, ties by index.
    BitSet coldStart = new BitSet(users);
    Integer[] order = new Integer[users];
    for (int u = 0; u < users; u++) {
      order[u] = u;
    }
    Arrays.sort(
        order,
        (a, b) ->
            trainTrajectories[a] != trainTrajectories[b]
                ? Integer.compare(trainTrajectories[a], trainTrajectories[b])
                : Integer.compare(a, b));
    int coldCount = boundary(users, config.coldStartFraction());
    for (int i = 0; i < coldCount; i++) {
      coldStart.set(order[i]);
    }

    // 4-5. Samples, keyed by the rank of their target (each check-in is a target at most once).
    Sample[] sampleByTargetRank = new Sample[n];
    EnumMap<Split, Integer> droppedSamples = zeros();
    int maxLongTerm = config.maxLongTermCheckIns();
    boolean allPrefixes = config.sampleMode() == SampleMode.ALL_PREFIXES;
    for (int u = 0; u < users; u++) {
      ImmutableList<CheckIn> h = histories.get(u);
      int[] s = trajectoryStarts.get(u);
      boolean cold = coldStart.get(u);
      for (int t = 0; t + 1 < s.length; t++) {
        int begin = s[t];
        int end = s[t + 1];
        if (end - begin < 2) {
          continue;
        }
        // One copy per trajectory, shared by its samples (Sample keeps an ImmutableList as is).
        ImmutableList<CheckIn> longTerm =
            ImmutableList.copyOf(h.subList(Math.max(0, begin - maxLongTerm), begin));
        int firstTarget = allPrefixes ? begin + 1 : end - 1;
        for (int k = firstTarget; k < end; k++) {
          int rank = byUser[userStart[u] + k];
          Split split = splitOf(rank, trainEnd, validationEnd);
          CheckIn target = h.get(k);
          if (split != Split.TRAIN && (!userInTrain[u] || !poiInTrain[target.poi()])) {
            droppedSamples.merge(split, 1, Integer::sum);
            continue;
          }
          sampleByTargetRank[rank] =
              new Sample(u, t, h.subList(begin, k), longTerm, target, cold, split);
        }
      }
    }

    EnumMap<Split, ImmutableList<Trajectory>> trajectoriesBySplit = new EnumMap<>(Split.class);
    EnumMap<Split, ImmutableList<Sample>> samplesBySplit = new EnumMap<>(Split.class);
    EnumMap<Split, Integer> usersPerSplit = zeros();
    EnumMap<Split, Integer> poisPerSplit = zeros();
    EnumMap<Split, Integer> checkInsPerSplit = zeros();
    for (Split split : Split.values()) {
      int from = split == Split.TRAIN ? 0 : split == Split.VALIDATION ? trainEnd : validationEnd;
      int to = split == Split.TRAIN ? trainEnd : split == Split.VALIDATION ? validationEnd : n;
      ImmutableList.Builder<Trajectory> ts = ImmutableList.builder();
      ImmutableList.Builder<Sample> ss = ImmutableList.builder();
      BitSet splitUsers = new BitSet(users);
      BitSet splitPois = new BitSet(dataset.poiCount());
      for (int r = from; r < to; r++) {
        if (trajectoryByLastRank[r] != null) {
          ts.add(trajectoryByLastRank[r]);
        }
        if (sampleByTargetRank[r] != null) {
          ss.add(sampleByTargetRank[r]);
        }
        splitUsers.set(all.get(r).user());
        splitPois.set(all.get(r).poi());
      }
      trajectoriesBySplit.put(split, ts.build());
      samplesBySplit.put(split, ss.build());
      usersPerSplit.put(split, splitUsers.cardinality());
      poisPerSplit.put(split, splitPois.cardinality());
      checkInsPerSplit.put(split, to - from);
    }

    DatasetStats stats =
        new DatasetStats(
            raw.name(),
            config.sampleMode(),
            raw.userCount(),
            raw.poiCount(),
            categories(raw.pois()),
            rawCount,
            users,
            dataset.poiCount(),
            categories(dataset.pois()),
            n,
            rounds,
            usersPerSplit,
            poisPerSplit,
            checkInsPerSplit,
            sizes(trajectoriesBySplit),
            sizes(samplesBySplit),
            droppedSamples,
            coldCount);
    log.info(
        "{}: {} of {} check-ins kept after {} filter pass(es); samples train/val/test {}/{}/{}",
        raw.name(),
        n,
        rawCount,
        rounds,
        stats.samplesPerSplit().get(Split.TRAIN),
        stats.samplesPerSplit().get(Split.VALIDATION),
        stats.samplesPerSplit().get(Split.TEST));
    return new PreparedData(
        dataset,
        config,
        trainEnd,
        validationEnd,
        trajectoriesBySplit,
        samplesBySplit,
        ImmutableList.copyOf(trajectoriesByUser),
        coldStart,
        trainTrajectories,
        stats);
  }

  private static int boundary(int n, double fraction) {
    return (int) Math.min(n, Math.floor(n * fraction + EPSILON));
  }

  private static Split splitOf(int rank, int trainEnd, int validationEnd) {
    return rank < trainEnd ? Split.TRAIN : rank < validationEnd ? Split.VALIDATION : Split.TEST;
  }

  private static EnumMap<Split, Integer> zeros() {
    EnumMap<Split, Integer> map = new EnumMap<>(Split.class);
    for (Split s : Split.values()) {
      map.put(s, 0);
    }
    return map;
  }

  private static <T> EnumMap<Split, Integer> sizes(Map<Split, ? extends List<T>> lists) {
    EnumMap<Split, Integer> map = new EnumMap<>(Split.class);
    lists.forEach((split, list) -> map.put(split, list.size()));
    return map;
  }

  private static int categories(List<Poi> pois) {
    Set<String> ids = new HashSet<>();
    for (Poi p : pois) {
      ids.add(p.categoryId());
    }
    return ids.size();
  }
}
