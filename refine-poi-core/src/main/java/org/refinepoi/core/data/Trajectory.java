package org.refinepoi.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * A session of one user: consecutive check-ins with no gap longer than the session gap (24 hours by
 * default), in time order.
 *
 * @param user the user's index
 * @param ordinal the session's number among the user's sessions, 0 = earliest
 * @param checkIns the check-ins, chronological, all of {@code user}, never empty
 */
public record Trajectory(int user, int ordinal, List<CheckIn> checkIns) {

  /**
   * Checks that the list is non-empty, of one user and chronological. An {@link ImmutableList}
   * argument (a sublist view of a user's history included) is kept as is; any other list is copied.
   */
  public Trajectory {
    checkNotNull(checkIns, "checkIns");
    checkArgument(!checkIns.isEmpty(), "a trajectory needs at least one check-in");
    checkIns =
        checkIns instanceof ImmutableList<CheckIn> immutable
            ? immutable
            : ImmutableList.copyOf(checkIns);
    long previous = Long.MIN_VALUE;
    for (CheckIn c : checkIns) {
      checkArgument(
          c.user() == user, "check-in of user %s in trajectory of user %s", c.user(), user);
      checkArgument(c.utcEpochSecond() >= previous, "trajectory check-ins must be chronological");
      previous = c.utcEpochSecond();
    }
  }

  /** Number of check-ins. */
  public int size() {
    return checkIns.size();
  }

  /** Time of the first check-in, epoch seconds UTC. */
  public long startEpochSecond() {
    return checkIns.getFirst().utcEpochSecond();
  }

  /** Time of the last check-in, epoch seconds UTC. */
  public long endEpochSecond() {
    return checkIns.getLast().utcEpochSecond();
  }
}
