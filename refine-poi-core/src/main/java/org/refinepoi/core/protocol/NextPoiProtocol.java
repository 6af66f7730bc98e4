package org.refinepoi.core.protocol;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.time.Duration;
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
 * The standard next-POI protocol (docs/method.md section 1; GETNext / STHGCN / LLM4POI), step by
 * step:
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
    int[] rawUsers = new int[rawCount];
    int[] rawPois = new int[rawCount];
    for (int i = 0; i < rawCount; i++) {
      CheckIn c = rawCheckIns.get(i);
      rawUsers[i] = c.user();
      rawPois[i] = c.poi();
    }

    // 1. Filter users and POIs.
    boolean[] dropped = new boolean[rawCount];
    if (config.dropDuplicateCheckIns()) {
      BitSet duplicates = raw.duplicateCheckIns();
      duplicates.stream().forEach(i -> dropped[i] = true);
      log.debug("{}: {} exact duplicate check-ins dropped", raw.name(), duplicates.cardinality());
    }
    int rounds = filter(rawUsers, rawPois, raw.userCount(), raw.poiCount(), config, dropped);
    CheckInDataset dataset = reindex(raw, rawUsers, rawPois, dropped, config);
    ImmutableList<CheckIn> all = dataset.checkIns();
    int n = all.size();
    int users = dataset.userCount();
    int[] userOf = new int[n];
    int[] poiOf = new int[n];
    long[] timeOf = new long[n];
    for (int r = 0; r < n; r++) {
      CheckIn c = all.get(r);
      userOf[r] = c.user();
      poiOf[r] = c.poi();
      timeOf[r] = c.utcEpochSecond();
    }

    // 3. Split boundaries by rank.
    int trainEnd = boundary(n, config.trainFraction());
    int validationEnd =
        Math.max(trainEnd, boundary(n, config.trainFraction() + config.validationFraction()));

    // Each user's check-in ranks, chronological (counting sort by user).
    int[] userStart = new int[users + 1];
    for (int r = 0; r < n; r++) {
      userStart[userOf[r] + 1]++;
    }
    for (int u = 0; u < users; u++) {
      userStart[u + 1] += userStart[u];
    }
    int[] byUser = new int[n];
    int[] fill = Arrays.copyOf(userStart, users);
    for (int r = 0; r < n; r++) {
      byUser[fill[userOf[r]]++] = r;
    }

    // 2. Sessions: sessionStart[i] marks the first check-in (in byUser order) of a trajectory.
    boolean[] sessionStart = sessionStarts(userStart, byUser, timeOf, config.sessionGap());

    Trajectory[] trajectoryByLastRank = new Trajectory[n];
    int[] trainTrajectories = new int[users];
    List<ImmutableList<CheckIn>> histories = histories(all, userStart, byUser);
    List<ImmutableList<Trajectory>> trajectoriesByUser =
        trajectories(
            histories,
            userStart,
            byUser,
            sessionStart,
            trainEnd,
            trajectoryByLastRank,
            trainTrajectories);

    // 6. Cold-start users.
    BitSet coldStart = coldStart(trainTrajectories, config.coldStartFraction());

    // 4-5. Samples, keyed by the rank of their target (each check-in is a target at most once).
    boolean[] userInTrain = new boolean[users];
    boolean[] poiInTrain = new boolean[dataset.poiCount()];
    for (int r = 0; r < trainEnd; r++) {
      userInTrain[userOf[r]] = true;
      poiInTrain[poiOf[r]] = true;
    }
    Sample[] sampleByTargetRank = new Sample[n];
    EnumMap<Split, Integer> droppedSamples =
        samples(
            histories,
            userStart,
            byUser,
            trajectoriesByUser,
            userInTrain,
            poiInTrain,
            coldStart,
            trainEnd,
            validationEnd,
            config,
            sampleByTargetRank);

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
        splitUsers.set(userOf[r]);
        splitPois.set(poiOf[r]);
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
            coldStart.cardinality());
    log.debug(
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

  /**
   * Marks the check-ins of users and POIs below their minimum as dropped, POIs first, repeating
   * until nothing changes unless configured to run once; returns the number of passes.
   */
  private static int filter(
      int[] user, int[] poi, int users, int pois, ProtocolConfig config, boolean[] dropped) {
    int n = user.length;
    int[] userCounts = new int[users];
    int[] poiCounts = new int[pois];
    int rounds = 0;
    boolean changed = true;
    while (changed) {
      rounds++;
      changed = dropBelow(poi, poiCounts, config.minCheckInsPerPoi(), dropped, n);
      changed |= dropBelow(user, userCounts, config.minCheckInsPerUser(), dropped, n);
      if (!config.filterToFixedPoint()) {
        break;
      }
    }
    return rounds;
  }

  private static boolean dropBelow(int[] key, int[] counts, int min, boolean[] dropped, int n) {
    Arrays.fill(counts, 0);
    for (int i = 0; i < n; i++) {
      if (!dropped[i]) {
        counts[key[i]]++;
      }
    }
    boolean changed = false;
    for (int i = 0; i < n; i++) {
      if (!dropped[i] && counts[key[i]] < min) {
        dropped[i] = true;
        changed = true;
      }
    }
    return changed;
  }

  /** The kept check-ins with users and POIs re-indexed densely in their original order. */
  private static CheckInDataset reindex(
      CheckInDataset raw, int[] user, int[] poi, boolean[] dropped, ProtocolConfig config) {
    int rawCount = user.length;
    int[] newUser = new int[raw.userCount()];
    int[] newPoi = new int[raw.poiCount()];
    boolean[] userKept = new boolean[raw.userCount()];
    boolean[] poiKept = new boolean[raw.poiCount()];
    int kept = 0;
    for (int i = 0; i < rawCount; i++) {
      if (!dropped[i]) {
        userKept[user[i]] = true;
        poiKept[poi[i]] = true;
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
    List<CheckIn> rawCheckIns = raw.checkIns();
    List<CheckIn> keptCheckIns = new ArrayList<>(kept);
    for (int i = 0; i < rawCount; i++) {
      if (!dropped[i]) {
        CheckIn c = rawCheckIns.get(i);
        int u = newUser[user[i]];
        int p = newPoi[poi[i]];
        // Reuse the record when its indices did not move.
        keptCheckIns.add(
            u == c.user() && p == c.poi()
                ? c
                : new CheckIn(u, p, c.utcEpochSecond(), c.utcOffsetMinutes()));
      }
    }
    if (kept == rawCount && userIds.size() == raw.userCount() && pois.size() == raw.poiCount()) {
      return raw; // nothing filtered: same indices, same records
    }
    // Already in time order: the dataset's stable sort keeps it as is.
    return CheckInDataset.of(raw.name(), pois, userIds, keptCheckIns);
  }

  private static boolean[] sessionStarts(
      int[] userStart, int[] byUser, long[] timeOf, Duration sessionGap) {
    long gap = sessionGap.getSeconds();
    boolean[] start = new boolean[byUser.length];
    for (int u = 0; u + 1 < userStart.length; u++) {
      for (int i = userStart[u]; i < userStart[u + 1]; i++) {
        start[i] = i == userStart[u] || timeOf[byUser[i]] - timeOf[byUser[i - 1]] > gap;
      }
    }
    return start;
  }

  /**
   * Each user's check-ins, chronological, as one immutable list per user. Trajectories, short-term
   * and long-term memories are all {@link ImmutableList#subList} views (O(1) each) into these
   * lists, so preparing costs one reference per check-in rather than one per check-in per sample.
   */
  private static List<ImmutableList<CheckIn>> histories(
      ImmutableList<CheckIn> all, int[] userStart, int[] byUser) {
    int users = userStart.length - 1;
    List<ImmutableList<CheckIn>> histories = new ArrayList<>(users);
    for (int u = 0; u < users; u++) {
      int size = userStart[u + 1] - userStart[u];
      ImmutableList.Builder<CheckIn> h = ImmutableList.builderWithExpectedSize(size);
      for (int i = 0; i < size; i++) {
        h.add(all.get(byUser[userStart[u] + i]));
      }
      histories.add(h.build());
    }
    return histories;
  }

  /** Builds every user's trajectories and fills the per-rank and per-user tallies. */
  private static List<ImmutableList<Trajectory>> trajectories(
      List<ImmutableList<CheckIn>> histories,
      int[] userStart,
      int[] byUser,
      boolean[] sessionStart,
      int trainEnd,
      Trajectory[] trajectoryByLastRank,
      int[] trainTrajectories) {
    int users = userStart.length - 1;
    List<ImmutableList<Trajectory>> result = new ArrayList<>(users);
    for (int u = 0; u < users; u++) {
      ImmutableList<CheckIn> h = histories.get(u);
      int offset = userStart[u];
      List<Trajectory> mine = new ArrayList<>();
      int begin = 0;
      while (begin < h.size()) {
        int end = begin + 1;
        while (end < h.size() && !sessionStart[offset + end]) {
          end++;
        }
        Trajectory trajectory = new Trajectory(u, mine.size(), h.subList(begin, end));
        mine.add(trajectory);
        int lastRank = byUser[offset + end - 1];
        trajectoryByLastRank[lastRank] = trajectory;
        if (lastRank < trainEnd) {
          trainTrajectories[u]++;
        }
        begin = end;
      }
      result.add(ImmutableList.copyOf(mine));
    }
    return result;
  }

  /** Fewest training trajectories first, ties by user index; the first share are cold-start. */
  private static BitSet coldStart(int[] trainTrajectories, double fraction) {
    int users = trainTrajectories.length;
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
    BitSet coldStart = new BitSet(users);
    int coldCount = boundary(users, fraction);
    for (int i = 0; i < coldCount; i++) {
      coldStart.set(order[i]);
    }
    return coldStart;
  }

  /** Builds the samples into {@code sampleByTargetRank}; returns the drops per split. */
  private static EnumMap<Split, Integer> samples(
      List<ImmutableList<CheckIn>> histories,
      int[] userStart,
      int[] byUser,
      List<ImmutableList<Trajectory>> trajectoriesByUser,
      boolean[] userInTrain,
      boolean[] poiInTrain,
      BitSet coldStart,
      int trainEnd,
      int validationEnd,
      ProtocolConfig config,
      Sample[] sampleByTargetRank) {
    EnumMap<Split, Integer> droppedSamples = zeros();
    int maxLongTerm = config.maxLongTermCheckIns();
    boolean allPrefixes = config.sampleMode() == SampleMode.ALL_PREFIXES;
    for (int u = 0; u < trajectoriesByUser.size(); u++) {
      boolean cold = coldStart.get(u);
      ImmutableList<CheckIn> h = histories.get(u);
      int begin = 0;
      for (Trajectory trajectory : trajectoriesByUser.get(u)) {
        int size = trajectory.size();
        if (size >= 2) {
          // An O(1) view into the user's history, shared by the trajectory's samples (Sample keeps
          // an ImmutableList as is); short-term memories are views into the same list.
          ImmutableList<CheckIn> longTerm = h.subList(Math.max(0, begin - maxLongTerm), begin);
          List<CheckIn> checkIns = trajectory.checkIns();
          for (int k = allPrefixes ? 1 : size - 1; k < size; k++) {
            int rank = byUser[userStart[u] + begin + k];
            Split split = splitOf(rank, trainEnd, validationEnd);
            CheckIn target = checkIns.get(k);
            if (split != Split.TRAIN && (!userInTrain[u] || !poiInTrain[target.poi()])) {
              droppedSamples.merge(split, 1, Integer::sum);
              continue;
            }
            sampleByTargetRank[rank] =
                new Sample(
                    u, trajectory.ordinal(), checkIns.subList(0, k), longTerm, target, cold, split);
          }
        }
        begin += size;
      }
    }
    return droppedSamples;
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
