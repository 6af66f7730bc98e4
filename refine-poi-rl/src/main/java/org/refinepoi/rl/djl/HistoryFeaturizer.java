package org.refinepoi.rl.djl;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.history.HistoryEvidence;
import org.refinepoi.core.history.HistorySummary;
import org.refinepoi.core.protocol.Sample;

/**
 * Turns samples into the integer inputs of {@link HistoryNetwork}: the query (user, target hour and
 * weekday), the most recent check-ins (POI, hour, weekday, age) and the copy candidates (distinct
 * history POIs, each with bucketed evidence from {@link HistoryEvidence}). Buckets are logarithmic
 * so that one setting fits a small city and a national catalogue alike. Immutable and thread-safe.
 *
 * <p>Candidates: the distinct POIs of the recent check-ins first (so the last POI is always a
 * candidate), then the history's most visited POIs until {@link #slots()} are filled. With the
 * history summary off ({@code summary = false}) the memory is cut to the recent check-ins before
 * anything is counted, so neither the candidates nor their evidence know the long-term history.
 */
final class HistoryFeaturizer {

  /** Hour edges of the age and recency buckets: 1 h to 3 months. */
  private static final double[] HOUR_EDGES = {1, 3, 6, 12, 24, 48, 96, 168, 336, 720, 2160};

  /** Kilometre edges of the distance buckets. */
  private static final double[] KM_EDGES = {0.05, 0.2, 0.5, 1, 2, 5, 10, 20};

  /** Share edges of the time-of-day and day-type share buckets. */
  private static final double[] SHARE_EDGES = {0.001, 0.1, 0.25, 0.5, 0.75, 0.999};

  /** Number of candidate features, the columns of {@link Batch#candidateFeatures}. */
  static final int FEATURES = 11;

  /** Buckets of each candidate feature, in column order. */
  static final int[] FEATURE_BUCKETS = {
    12, // visits, log2
    HOUR_EDGES.length + 1, // hours since the last visit
    12, // visits at a similar hour, log2
    SHARE_EDGES.length + 1, // share of visits at a similar hour
    SHARE_EDGES.length + 1, // share of visits on the same day type
    12, // the user's own transitions from the last POI, log2
    16, // all users' training transitions from the last POI, log2
    20, // training popularity, log2
    KM_EDGES.length + 1, // distance from the last POI
    2, // visited in the current trajectory
    2 // is the last POI
  };

  /** Buckets of a recent check-in's age (hours before the target). */
  static final int AGE_BUCKETS = HOUR_EDGES.length + 1;

  private final HistoryEvidence evidence;
  private final int recent;
  private final int slots;
  private final boolean summary;

  HistoryFeaturizer(HistoryEvidence evidence, int recent, int slots, boolean summary) {
    this.evidence = checkNotNull(evidence, "evidence");
    checkArgument(recent >= 1, "recent check-ins must be >= 1, got %s", recent);
    checkArgument(slots >= 1, "candidate slots must be >= 1, got %s", slots);
    this.recent = recent;
    this.slots = slots;
    this.summary = summary;
  }

  int recent() {
    return recent;
  }

  int slots() {
    return slots;
  }

  boolean summary() {
    return summary;
  }

  HistoryEvidence evidence() {
    return evidence;
  }

  /** One sample's inputs. */
  record Row(
      int user,
      int hour,
      int weekday,
      int[] recentPoi,
      int[] recentHour,
      int[] recentWeekday,
      int[] recentAge,
      int[] recentCurrent,
      int[] candidatePoi,
      int[] candidateFeatures) {

    /** The slot of a POI among the candidates, or -1. */
    int slotOf(int poi) {
      for (int i = 0; i < candidatePoi.length; i++) {
        if (candidatePoi[i] == poi) {
          return i;
        }
      }
      return -1;
    }
  }

  /** The inputs of one sample (never reads its target POI, see {@link HistoryEvidence}). */
  Row row(Sample sample) {
    checkNotNull(sample, "sample");
    Sample seen = summary ? sample : recentOnly(sample);
    HistorySummary h = evidence.summarize(seen);
    List<CheckIn> memory = memoryTail(seen, recent);
    long targetSecond = sample.target().utcEpochSecond();
    int r = memory.size();
    int[] recentPoi = new int[r];
    int[] recentHour = new int[r];
    int[] recentWeekday = new int[r];
    int[] recentAge = new int[r];
    int[] recentCurrent = new int[r];
    int currentFrom = memoryLength(seen) - seen.shortTerm().size();
    int offset = memoryLength(seen) - r;
    // most recent first, so that position embedding 0 is always the last check-in
    for (int i = 0; i < r; i++) {
      CheckIn c = memory.get(r - 1 - i);
      recentPoi[i] = c.poi();
      recentHour[i] = c.localHour();
      recentWeekday[i] = c.localDayOfWeek();
      recentAge[i] = bucket(Math.max(0, targetSecond - c.utcEpochSecond()) / 3600.0, HOUR_EDGES);
      recentCurrent[i] = offset + (r - 1 - i) >= currentFrom ? 1 : 0;
    }
    Set<Integer> chosen = new LinkedHashSet<>();
    for (int poi : recentPoi) {
      if (chosen.size() < slots) {
        chosen.add(poi);
      }
    }
    for (HistorySummary.Candidate c : h.candidates()) {
      if (chosen.size() >= slots) {
        break;
      }
      chosen.add(c.poi());
    }
    int[] candidatePoi = chosen.stream().mapToInt(Integer::intValue).toArray();
    int[] features = new int[candidatePoi.length * FEATURES];
    for (HistorySummary.Candidate c : h.candidates()) {
      int slot = indexOf(candidatePoi, c.poi());
      if (slot >= 0) {
        encode(c, h, features, slot * FEATURES);
      }
    }
    return new Row(
        sample.user(),
        h.targetHour(),
        h.targetWeekday(),
        recentPoi,
        recentHour,
        recentWeekday,
        recentAge,
        recentCurrent,
        candidatePoi,
        features);
  }

  private static void encode(HistorySummary.Candidate c, HistorySummary h, int[] out, int at) {
    double visits = c.visits();
    out[at] = log2Bucket(c.visits(), FEATURE_BUCKETS[0]);
    out[at + 1] = bucket(c.hoursSinceLastVisit(), HOUR_EDGES);
    out[at + 2] = log2Bucket(c.visitsAtSimilarHour(), FEATURE_BUCKETS[2]);
    out[at + 3] = bucket(c.visitsAtSimilarHour() / visits, SHARE_EDGES);
    out[at + 4] = bucket(c.visitsOnSameDayType() / visits, SHARE_EDGES);
    out[at + 5] = log2Bucket(c.userTransitionsFromLast(), FEATURE_BUCKETS[5]);
    out[at + 6] = log2Bucket(c.transitionsFromLast(), FEATURE_BUCKETS[6]);
    out[at + 7] = log2Bucket(c.popularity(), FEATURE_BUCKETS[7]);
    out[at + 8] = bucket(c.distanceKmFromLast(), KM_EDGES);
    out[at + 9] = c.inCurrentTrajectory() ? 1 : 0;
    out[at + 10] = c.poi() == h.lastPoi() ? 1 : 0;
  }

  /** 0 for 0, else {@code 1 + floor(log2(n))}, capped at {@code buckets - 1}. */
  static int log2Bucket(int n, int buckets) {
    if (n <= 0) {
      return 0;
    }
    return Math.min(buckets - 1, 32 - Integer.numberOfLeadingZeros(n));
  }

  /** The number of edges at or below the value: 0 below the first edge. */
  static int bucket(double value, double[] edges) {
    int b = 0;
    while (b < edges.length && value >= edges[b]) {
      b++;
    }
    return b;
  }

  private static int indexOf(int[] values, int v) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == v) {
        return i;
      }
    }
    return -1;
  }

  private static int memoryLength(Sample s) {
    return s.longTerm().size() + s.shortTerm().size();
  }

  /** The last {@code n} check-ins of the memory (long-term then short-term), chronological. */
  private static List<CheckIn> memoryTail(Sample s, int n) {
    List<CheckIn> shortTerm = s.shortTerm();
    if (shortTerm.size() >= n) {
      return shortTerm.subList(shortTerm.size() - n, shortTerm.size());
    }
    List<CheckIn> longTerm = s.longTerm();
    int fromLong = Math.min(longTerm.size(), n - shortTerm.size());
    List<CheckIn> out = new ArrayList<>(fromLong + shortTerm.size());
    out.addAll(longTerm.subList(longTerm.size() - fromLong, longTerm.size()));
    out.addAll(shortTerm);
    return out;
  }

  /** The sample with its memory cut to the last {@link #recent} check-ins. */
  private Sample recentOnly(Sample s) {
    List<CheckIn> shortTerm = s.shortTerm();
    if (shortTerm.size() >= recent) {
      return new Sample(
          s.user(),
          s.trajectory(),
          ImmutableList.copyOf(shortTerm.subList(shortTerm.size() - recent, shortTerm.size())),
          ImmutableList.of(),
          s.target(),
          s.coldStart(),
          s.split());
    }
    List<CheckIn> longTerm = s.longTerm();
    int keep = Math.min(longTerm.size(), recent - shortTerm.size());
    return new Sample(
        s.user(),
        s.trajectory(),
        shortTerm,
        ImmutableList.copyOf(longTerm.subList(longTerm.size() - keep, longTerm.size())),
        s.target(),
        s.coldStart(),
        s.split());
  }
}
