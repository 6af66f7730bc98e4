package org.refinepoi.core.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.Trajectory;
import org.refinepoi.core.protocol.Sample;

/**
 * First-order Markov transitions from the POI of the sample's last check-in, with back-off.
 *
 * <p>Transitions are counted over consecutive check-ins within training trajectories (pairs that
 * straddle two trajectories are not transitions; a repeated check-in at the same POI is a
 * self-transition and counts). For a sample whose last check-in is at POI {@code i}, POIs rank by
 * {@code count(i -> j)}, most first, ties by lower POI index; the list is then filled with the
 * user's most visited POIs ({@link UserMostVisited}), then by global popularity ({@link
 * MostPopular}).
 *
 * <p><b>Smoothing</b> (off by default). Plain add-k smoothing, {@code (count(i -> j) + k) / (n_i +
 * k N)}, adds the same amount to every candidate, so it never changes a ranking. The option offered
 * is therefore additive smoothing towards the user's own visits: {@code score(j) = count(i -> j) +
 * alpha * u(j)}, with {@code u} the share of the user's visible visits ({@link UserMostVisited})
 * that went to {@code j}, i.e. the transition distribution with a Dirichlet prior of mass {@code
 * alpha} centred on the user's habits. With {@code alpha > 0} a POI the user visits often can
 * outrank a rarely observed transition; with {@code alpha} below 1 it only reorders ties between
 * equal transition counts. POIs neither observed after {@code i} nor visited by the user come last,
 * by popularity. Immutable and thread-safe.
 */
public final class MarkovTransition implements Recommender {

  /** The name in tables. */
  public static final String NAME = "MarkovTransition";

  private static final int[] NONE = new int[0];

  private final MostPopular popularity;
  private final UserMostVisited userBackOff;
  private final int[][] nextBySource;
  private final int[][] countsBySource;
  private final double smoothing;

  private MarkovTransition(
      MostPopular popularity,
      UserMostVisited userBackOff,
      int[][] nextBySource,
      int[][] countsBySource,
      double smoothing) {
    this.popularity = popularity;
    this.userBackOff = userBackOff;
    this.nextBySource = nextBySource;
    this.countsBySource = countsBySource;
    this.smoothing = smoothing;
  }

  /**
   * Fits without smoothing.
   *
   * @param poiCount the catalogue size
   * @param trainingCheckIns the training split's check-ins (for the user and popularity back-offs)
   * @param trainingTrajectories the training split's trajectories (for the transitions)
   */
  public static MarkovTransition fit(
      int poiCount,
      Collection<CheckIn> trainingCheckIns,
      Collection<Trajectory> trainingTrajectories) {
    return fit(poiCount, trainingCheckIns, trainingTrajectories, 0.0);
  }

  /**
   * Fits with optional popularity smoothing (see the class comment).
   *
   * @param poiCount the catalogue size
   * @param trainingCheckIns the training split's check-ins (for the user and popularity back-offs)
   * @param trainingTrajectories the training split's trajectories (for the transitions)
   * @param smoothing the prior mass {@code alpha >= 0}; 0 = pure counts with back-off
   */
  public static MarkovTransition fit(
      int poiCount,
      Collection<CheckIn> trainingCheckIns,
      Collection<Trajectory> trainingTrajectories,
      double smoothing) {
    MostPopular popularity = MostPopular.fit(poiCount, trainingCheckIns);
    return fit(
        popularity,
        UserMostVisited.fit(popularity, trainingCheckIns),
        trainingTrajectories,
        smoothing);
  }

  /**
   * Fits the transitions, reusing back-offs fitted on the same training split.
   *
   * @param popularity the global back-off
   * @param userBackOff the per-user back-off
   * @param trainingTrajectories the training split's trajectories
   * @param smoothing the prior mass {@code alpha >= 0}; 0 = pure counts with back-off
   */
  public static MarkovTransition fit(
      MostPopular popularity,
      UserMostVisited userBackOff,
      Collection<Trajectory> trainingTrajectories,
      double smoothing) {
    checkNotNull(popularity, "popularity");
    checkNotNull(userBackOff, "userBackOff");
    checkNotNull(trainingTrajectories, "trainingTrajectories");
    checkArgument(
        Double.isFinite(smoothing) && smoothing >= 0,
        "smoothing must be finite and >= 0, got %s",
        smoothing);
    int n = popularity.poiCount();
    Map<Integer, Map<Integer, Integer>> transitions = new HashMap<>();
    for (Trajectory t : trainingTrajectories) {
      List<CheckIn> cs = t.checkIns();
      for (int i = 0; i + 1 < cs.size(); i++) {
        int from = cs.get(i).poi();
        int to = cs.get(i + 1).poi();
        checkElementIndex(from, n, "POI index of a training trajectory check-in");
        checkElementIndex(to, n, "POI index of a training trajectory check-in");
        transitions.computeIfAbsent(from, f -> new HashMap<>()).merge(to, 1, Integer::sum);
      }
    }
    int[][] next = new int[n][];
    int[][] counts = new int[n][];
    for (int i = 0; i < n; i++) {
      Map<Integer, Integer> m = transitions.get(i);
      if (m == null) {
        next[i] = NONE;
        counts[i] = NONE;
      } else {
        next[i] =
            m.entrySet().stream()
                .sorted(
                    (a, b) ->
                        a.getValue().equals(b.getValue())
                            ? Integer.compare(a.getKey(), b.getKey())
                            : Integer.compare(b.getValue(), a.getValue()))
                .mapToInt(Map.Entry::getKey)
                .toArray();
        counts[i] = new int[next[i].length];
        for (int j = 0; j < next[i].length; j++) {
          counts[i][j] = m.get(next[i][j]);
        }
      }
    }
    return new MarkovTransition(popularity, userBackOff, next, counts, smoothing);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int[] recommend(Sample sample, int k) {
    checkNotNull(sample, "sample");
    int n = popularity.poiCount();
    int last = sample.lastCheckIn().poi();
    checkElementIndex(last, n, "POI index of the sample's last check-in");
    RankedList list = new RankedList(n, k);
    if (smoothing == 0.0) {
      list.offerAll(nextBySource[last]);
      userBackOff.offerUserPois(sample, list);
    } else {
      // Dirichlet smoothing towards the user's visible visit distribution.
      int[][] user = userBackOff.visibleCounts(sample);
      long userTotal = 0;
      for (int c : user[1]) {
        userTotal += c;
      }
      Map<Integer, Double> scores = new HashMap<>();
      for (int j = 0; j < user[0].length; j++) {
        scores.put(user[0][j], smoothing * user[1][j] / userTotal);
      }
      int[] next = nextBySource[last];
      for (int j = 0; j < next.length; j++) {
        scores.merge(next[j], (double) countsBySource[last][j], Double::sum);
      }
      scores.entrySet().stream()
          .sorted(
              (a, b) ->
                  a.getValue().equals(b.getValue())
                      ? Integer.compare(a.getKey(), b.getKey())
                      : Double.compare(b.getValue(), a.getValue()))
          .limit(k)
          .forEach(e -> list.offer(e.getKey()));
    }
    list.offerAll(popularity.orderView());
    return list.toArray();
  }

  /** The smoothing prior mass (0 = none). */
  public double smoothing() {
    return smoothing;
  }

  /** Number of training transitions observed out of a POI. */
  public int outgoingTransitions(int poi) {
    int sum = 0;
    for (int c : countsBySource[poi]) {
      sum += c;
    }
    return sum;
  }
}
