package org.refinepoi.core.protocol;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;
import org.refinepoi.core.data.CheckIn;

/**
 * One next-POI prediction task: what a recommender may see, and the answer.
 *
 * <p>A recommender may read everything except {@code target.poi()}: the target's time (the moment
 * of the next check-in) is part of the question, as in docs/method.md section 1.
 *
 * @param user the user's dense index
 * @param trajectory the ordinal of the current trajectory among the user's trajectories
 * @param shortTerm the check-ins so far in the current trajectory, chronological, non-empty
 * @param longTerm the user's check-ins in earlier trajectories (those that ended before the current
 *     one began), chronological; may be empty
 * @param target the check-in to predict
 * @param coldStart whether the user is cold-start (bottom 30% by number of training trajectories by
 *     default)
 * @param split the split the target belongs to
 */
public record Sample(
    int user,
    int trajectory,
    List<CheckIn> shortTerm,
    List<CheckIn> longTerm,
    CheckIn target,
    boolean coldStart,
    Split split) {

  /**
   * Checks that the history precedes the target and is the user's own. An {@link ImmutableList}
   * argument is kept as is (so sublist views of one per-user history share its storage instead of
   * holding a copy each); any other list is copied.
   */
  public Sample {
    checkNotNull(shortTerm, "shortTerm");
    checkNotNull(longTerm, "longTerm");
    checkNotNull(target, "target");
    checkNotNull(split, "split");
    checkArgument(!shortTerm.isEmpty(), "a sample needs at least one check-in of context");
    checkArgument(
        target.user() == user, "target of user %s in sample of user %s", target.user(), user);
    shortTerm = immutable(shortTerm);
    longTerm = immutable(longTerm);
    checkArgument(
        shortTerm.getLast().utcEpochSecond() <= target.utcEpochSecond(),
        "the context must precede the target");
  }

  /** The most recent check-in of the context (the "last check-in" baselines key on). */
  public CheckIn lastCheckIn() {
    return shortTerm.getLast();
  }

  /** The POI to predict. */
  public int targetPoi() {
    return target.poi();
  }

  /**
   * The list itself when already immutable (an {@code ImmutableList.subList} view included, which
   * {@link ImmutableList#copyOf} would copy), else an immutable copy.
   */
  static <T> ImmutableList<T> immutable(List<T> list) {
    return list instanceof ImmutableList<T> immutableList
        ? immutableList
        : ImmutableList.copyOf(list);
  }
}
