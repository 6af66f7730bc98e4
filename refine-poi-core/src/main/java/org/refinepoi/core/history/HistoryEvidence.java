package org.refinepoi.core.history;

import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.data.PoiDistances;
import org.refinepoi.core.data.Trajectory;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.protocol.Split;

/**
 * What a sample's history says about each POI the user has visited: the evidence that the
 * repeat-aware baseline ({@link org.refinepoi.core.eval.RepeatAwareBlend}) weighs and that the
 * built-in policy reads as features of its copy candidates. Fitted once on the training split
 * (global transition counts and popularity); {@link #summarize} then reads only the sample's own
 * memory, so every recommender built on it sees what the protocol allows and nothing more.
 *
 * <p><b>Leave-one-out on training samples.</b> A training sample's own step (its last check-in
 * followed by its target) is one of the training transitions, and its target one of the training
 * check-ins. Fed back as a feature, that count would tell a model the answer: for samples of the
 * {@link Split#TRAIN} split, the summary therefore subtracts the sample's own contribution from the
 * global transition count and popularity of its target (leave-one-out), which is what the count
 * would be for a sample the model has never seen. Validation and test samples read the counts as
 * they are.
 *
 * <p>Immutable and thread-safe.
 */
public final class HistoryEvidence {

  /** Half-width of the "similar hour" window, hours (circular): the target hour ± 1. */
  public static final int SIMILAR_HOUR_WINDOW = 1;

  private final int poiCount;
  private final PoiDistances distances;
  private final int[] popularity;
  private final int[][] successors;
  private final int[][] successorCounts;
  private final int[] popularityOrder;

  private HistoryEvidence(
      int poiCount,
      PoiDistances distances,
      int[] popularity,
      int[][] successors,
      int[][] successorCounts) {
    this.poiCount = poiCount;
    this.distances = distances;
    this.popularity = popularity;
    this.successors = successors;
    this.successorCounts = successorCounts;
    Integer[] order = new Integer[poiCount];
    for (int i = 0; i < poiCount; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) ->
            popularity[a] != popularity[b]
                ? Integer.compare(popularity[b], popularity[a])
                : Integer.compare(a, b));
    this.popularityOrder = Arrays.stream(order).mapToInt(Integer::intValue).toArray();
  }

  /** Fits on the training split of prepared data (its trajectories and check-ins). */
  public static HistoryEvidence fit(PreparedData data) {
    checkNotNull(data, "data");
    return fit(data.dataset().pois(), data.trajectories(Split.TRAIN));
  }

  /**
   * Fits on training trajectories.
   *
   * @param catalogue the POIs (their coordinates), indexed like the check-ins; not empty
   * @param trainingTrajectories the training split's trajectories: their check-ins are the
   *     popularity counts and their consecutive pairs the transitions
   */
  public static HistoryEvidence fit(
      List<Poi> catalogue, Collection<Trajectory> trainingTrajectories) {
    checkNotNull(catalogue, "catalogue");
    checkNotNull(trainingTrajectories, "trainingTrajectories");
    int n = catalogue.size();
    PoiDistances distances = PoiDistances.of(catalogue);
    int[] popularity = new int[n];
    List<Map<Integer, Integer>> next = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      next.add(null);
    }
    for (Trajectory t : trainingTrajectories) {
      List<CheckIn> cs = t.checkIns();
      for (int i = 0; i < cs.size(); i++) {
        int poi = cs.get(i).poi();
        checkElementIndex(poi, n, "POI index of a training check-in");
        popularity[poi]++;
        if (i > 0) {
          int from = cs.get(i - 1).poi();
          if (next.get(from) == null) {
            next.set(from, new HashMap<>());
          }
          next.get(from).merge(poi, 1, Integer::sum);
        }
      }
    }
    int[][] successors = new int[n][];
    int[][] counts = new int[n][];
    for (int i = 0; i < n; i++) {
      Map<Integer, Integer> m = next.get(i);
      int[] to = m == null ? new int[0] : m.keySet().stream().mapToInt(Integer::intValue).toArray();
      Arrays.sort(to);
      successors[i] = to;
      counts[i] = new int[to.length];
      for (int j = 0; j < to.length; j++) {
        counts[i][j] = m.get(to[j]);
      }
    }
    return new HistoryEvidence(n, distances, popularity, successors, counts);
  }

  /** The catalogue size. */
  public int poiCount() {
    return poiCount;
  }

  /** Training check-ins at a POI. */
  public int popularity(int poi) {
    checkElementIndex(poi, poiCount, "POI");
    return popularity[poi];
  }

  /** Training transitions {@code from -> to} (consecutive check-ins of a training trajectory). */
  public int transitions(int from, int to) {
    checkElementIndex(from, poiCount, "POI");
    checkElementIndex(to, poiCount, "POI");
    int i = Arrays.binarySearch(successors[from], to);
    return i >= 0 ? successorCounts[from][i] : 0;
  }

  /** The POIs seen after {@code from} in training, ascending POI index (a copy). */
  public int[] successors(int from) {
    checkElementIndex(from, poiCount, "POI");
    return successors[from].clone();
  }

  /** All POIs, most popular first, ties by lower index (a copy). */
  public int[] popularityOrder() {
    return popularityOrder.clone();
  }

  /** Haversine distance between two POIs, km. */
  public double distanceKm(int a, int b) {
    return distances.km(a, b);
  }

  /**
   * The evidence of one sample: every distinct POI of its memory (long-term then short-term check-
   * ins) with its statistics, most visited first (ties: most recently visited first, then lower POI
   * index). Never reads the target POI except to apply the leave-one-out rule of training samples.
   *
   * @throws IllegalArgumentException when a POI of the sample lies outside the catalogue
   */
  public HistorySummary summarize(Sample sample) {
    checkNotNull(sample, "sample");
    CheckIn last = sample.lastCheckIn();
    int lastPoi = last.poi();
    checkElementIndex(lastPoi, poiCount, "POI of the sample's last check-in");
    CheckIn target = sample.target();
    long targetSecond = target.utcEpochSecond();
    int targetHour = target.localHour();
    int targetWeekday = target.localDayOfWeek();
    boolean targetWeekend = targetWeekday >= 5;
    Map<Integer, Stats> byPoi = new HashMap<>();
    int previous = -1;
    int ordinal = 0;
    for (List<CheckIn> memory : List.of(sample.longTerm(), sample.shortTerm())) {
      boolean current = memory == sample.shortTerm();
      for (CheckIn c : memory) {
        int poi = c.poi();
        checkElementIndex(poi, poiCount, "POI of a memory check-in");
        Stats s = byPoi.computeIfAbsent(poi, p -> new Stats());
        s.visits++;
        s.lastSecond = Math.max(s.lastSecond, c.utcEpochSecond());
        s.lastOrdinal = ordinal++;
        int hour = c.localHour();
        int dh = Math.abs(hour - targetHour);
        if (Math.min(dh, 24 - dh) <= SIMILAR_HOUR_WINDOW) {
          s.similarHour++;
        }
        if ((c.localDayOfWeek() >= 5) == targetWeekend) {
          s.sameDayType++;
        }
        s.inCurrent |= current;
        if (previous == lastPoi) {
          s.userTransitions++;
        }
        previous = poi;
      }
      // pairs straddling two earlier trajectories still count as the user's own moves; the step
      // from the long-term memory into the current trajectory does too
    }
    boolean leaveOneOut = sample.split() == Split.TRAIN;
    int targetPoi = sample.targetPoi();
    List<HistorySummary.Candidate> candidates = new ArrayList<>(byPoi.size());
    for (Map.Entry<Integer, Stats> e : byPoi.entrySet()) {
      int poi = e.getKey();
      Stats s = e.getValue();
      int transitions = transitions(lastPoi, poi);
      int popular = popularity[poi];
      if (leaveOneOut && poi == targetPoi) {
        transitions = Math.max(0, transitions - 1);
        popular = Math.max(0, popular - 1);
      }
      candidates.add(
          new HistorySummary.Candidate(
              poi,
              s.visits,
              Math.max(0, targetSecond - s.lastSecond) / 3600.0,
              s.lastOrdinal,
              s.similarHour,
              s.sameDayType,
              s.userTransitions,
              transitions,
              popular,
              distances.km(lastPoi, poi),
              s.inCurrent));
    }
    candidates.sort(
        (a, b) -> {
          if (a.visits() != b.visits()) {
            return Integer.compare(b.visits(), a.visits());
          }
          if (a.lastOrdinal() != b.lastOrdinal()) {
            return Integer.compare(b.lastOrdinal(), a.lastOrdinal());
          }
          return Integer.compare(a.poi(), b.poi());
        });
    return new HistorySummary(
        sample.user(),
        lastPoi,
        targetHour,
        targetWeekday,
        ordinal,
        ImmutableList.copyOf(candidates));
  }

  private static final class Stats {
    int visits;
    long lastSecond = Long.MIN_VALUE;
    int lastOrdinal;
    int similarHour;
    int sameDayType;
    int userTransitions;
    boolean inCurrent;
  }

  @Override
  public String toString() {
    long pairs = 0;
    for (int[] s : successors) {
      pairs += s.length;
    }
    return "HistoryEvidence[%d POIs, %d distinct transitions]".formatted(poiCount, pairs);
  }
}
