package org.refinepoi.core.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.protocol.Sample;

/**
 * The user's own most visited POIs, backed off to global popularity.
 *
 * <p>A POI's score for a sample is the number of the user's visits to it that the sample may see:
 * the user's training check-ins, plus the check-ins of the sample's long-term and short-term memory
 * that are later than the user's last training check-in (memory up to that moment is training data,
 * already counted; later memory, for example earlier test-period trajectories, is history the
 * recommender may use). POIs rank by that count, most first, ties by lower POI index; the list is
 * filled from {@link MostPopular}'s order. A user without training check-ins gets the popularity
 * order after the POIs of their memory.
 *
 * <p>Fit on the training split and evaluate on later splits: on training samples the training
 * counts include the future. Immutable and thread-safe.
 */
public final class UserMostVisited implements Recommender {

  /** The name in tables. */
  public static final String NAME = "UserMostVisited";

  private static final int[] NONE = new int[0];

  private final MostPopular popularity;
  private final int[][] poisByUser;
  private final int[][] countsByUser;
  private final long[] lastTrainingSecond;

  private UserMostVisited(
      MostPopular popularity, int[][] poisByUser, int[][] countsByUser, long[] lastSecond) {
    this.popularity = popularity;
    this.poisByUser = poisByUser;
    this.countsByUser = countsByUser;
    this.lastTrainingSecond = lastSecond;
  }

  /**
   * Fits on training check-ins.
   *
   * @param poiCount the catalogue size
   * @param trainingCheckIns the training split's check-ins
   */
  public static UserMostVisited fit(int poiCount, Collection<CheckIn> trainingCheckIns) {
    return fit(MostPopular.fit(poiCount, trainingCheckIns), trainingCheckIns);
  }

  /**
   * Fits on training check-ins, reusing a popularity model fitted on the same check-ins.
   *
   * @param popularity the back-off
   * @param trainingCheckIns the training split's check-ins
   */
  public static UserMostVisited fit(MostPopular popularity, Collection<CheckIn> trainingCheckIns) {
    checkNotNull(popularity, "popularity");
    checkNotNull(trainingCheckIns, "trainingCheckIns");
    int users = 0;
    for (CheckIn c : trainingCheckIns) {
      checkElementIndex(c.poi(), popularity.poiCount(), "POI index of a training check-in");
      users = Math.max(users, c.user() + 1);
    }
    List<Map<Integer, Integer>> counts = new ArrayList<>(users);
    for (int u = 0; u < users; u++) {
      counts.add(new HashMap<>());
    }
    long[] last = new long[users];
    Arrays.fill(last, Long.MIN_VALUE);
    for (CheckIn c : trainingCheckIns) {
      counts.get(c.user()).merge(c.poi(), 1, Integer::sum);
      last[c.user()] = Math.max(last[c.user()], c.utcEpochSecond());
    }
    int[][] pois = new int[users][];
    int[][] userCounts = new int[users][];
    for (int u = 0; u < users; u++) {
      int[][] sorted = sortByCount(counts.get(u));
      pois[u] = sorted[0];
      userCounts[u] = sorted[1];
    }
    return new UserMostVisited(popularity, pois, userCounts, last);
  }

  /** POIs of a count map by count descending, then POI index ascending; [pois, counts]. */
  private static int[][] sortByCount(Map<Integer, Integer> counts) {
    int[] pois = counts.keySet().stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(pois);
    int[] ordered =
        Arrays.stream(pois)
            .boxed()
            .sorted((a, b) -> Integer.compare(counts.get(b), counts.get(a)))
            .mapToInt(Integer::intValue)
            .toArray();
    int[] c = new int[ordered.length];
    for (int i = 0; i < ordered.length; i++) {
      c[i] = counts.get(ordered[i]);
    }
    return new int[][] {ordered, c};
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int[] recommend(Sample sample, int k) {
    checkNotNull(sample, "sample");
    RankedList list = new RankedList(popularity.poiCount(), k);
    offerUserPois(sample, list);
    list.offerAll(popularity.orderView());
    return list.toArray();
  }

  /**
   * Offers the user's visible POIs, most visited first; the back-off of {@link MarkovTransition}.
   */
  void offerUserPois(Sample sample, RankedList list) {
    list.offerAll(visibleCounts(sample)[0]);
  }

  /**
   * The user's visit counts a sample may see (training plus later memory, see the class comment).
   *
   * @return {@code [pois, counts]}, most visited first, ties by lower POI index; shared arrays when
   *     the memory adds nothing, never to be modified
   */
  int[][] visibleCounts(Sample sample) {
    int user = sample.user();
    boolean known = user < poisByUser.length;
    int[] pois = known ? poisByUser[user] : NONE;
    int[] counts = known ? countsByUser[user] : NONE;
    long after = known ? lastTrainingSecond[user] : Long.MIN_VALUE;
    Map<Integer, Integer> extra = null;
    for (List<CheckIn> memory : List.of(sample.longTerm(), sample.shortTerm())) {
      for (CheckIn c : memory) {
        if (c.utcEpochSecond() > after) {
          checkElementIndex(c.poi(), popularity.poiCount(), "POI index of a memory check-in");
          if (extra == null) {
            extra = new HashMap<>();
          }
          extra.merge(c.poi(), 1, Integer::sum);
        }
      }
    }
    if (extra == null) {
      return new int[][] {pois, counts};
    }
    for (int i = 0; i < pois.length; i++) {
      extra.merge(pois[i], counts[i], Integer::sum);
    }
    return sortByCount(extra);
  }

  /** The user's training POIs, most visited first (a copy; empty for an unknown user). */
  public int[] trainingPois(int user) {
    checkArgument(user >= 0, "user index must be >= 0, got %s", user);
    return user < poisByUser.length ? poisByUser[user].clone() : NONE;
  }
}
