package org.refinepoi.core.protocol;

import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.Trajectory;

/**
 * A dataset prepared by {@link NextPoiProtocol#prepare}: filtered and densely re-indexed, cut into
 * trajectories, split chronologically, and turned into samples. All user and POI indices refer to
 * {@link #dataset()}. Immutable and safe to share across threads.
 *
 * <p>The <em>rank</em> of a check-in is its position in {@code dataset().checkIns()} (time order,
 * ties in source order); splits are contiguous rank ranges.
 */
public final class PreparedData {

  private final CheckInDataset dataset;
  private final ProtocolConfig config;
  private final int trainEnd;
  private final int validationEnd;
  private final ImmutableMap<Split, ImmutableList<Trajectory>> trajectories;
  private final ImmutableMap<Split, ImmutableList<Sample>> samples;
  private final ImmutableList<ImmutableList<Trajectory>> trajectoriesByUser;
  private final BitSet coldStart;
  private final int[] trainTrajectoryCounts;
  private final DatasetStats stats;

  PreparedData(
      CheckInDataset dataset,
      ProtocolConfig config,
      int trainEnd,
      int validationEnd,
      Map<Split, ImmutableList<Trajectory>> trajectories,
      Map<Split, ImmutableList<Sample>> samples,
      ImmutableList<ImmutableList<Trajectory>> trajectoriesByUser,
      BitSet coldStart,
      int[] trainTrajectoryCounts,
      DatasetStats stats) {
    this.dataset = dataset;
    this.config = config;
    this.trainEnd = trainEnd;
    this.validationEnd = validationEnd;
    this.trajectories = ImmutableMap.copyOf(trajectories);
    this.samples = ImmutableMap.copyOf(samples);
    this.trajectoriesByUser = trajectoriesByUser;
    this.coldStart = (BitSet) coldStart.clone();
    this.trainTrajectoryCounts = trainTrajectoryCounts.clone();
    this.stats = stats;
  }

  /** The filtered, densely re-indexed dataset that every index here refers to. */
  public CheckInDataset dataset() {
    return dataset;
  }

  /** The configuration this data was prepared with. */
  public ProtocolConfig config() {
    return config;
  }

  /** The check-ins of a split, chronological. */
  public List<CheckIn> checkIns(Split split) {
    checkNotNull(split, "split");
    return switch (split) {
      case TRAIN -> dataset.checkIns().subList(0, trainEnd);
      case VALIDATION -> dataset.checkIns().subList(trainEnd, validationEnd);
      case TEST -> dataset.checkIns().subList(validationEnd, dataset.checkIns().size());
    };
  }

  /**
   * The trajectories of a split, ordered by their last check-in. A trajectory belongs to the split
   * of its last check-in, so a training trajectory lies wholly in the training split, while a
   * validation or test trajectory may begin with earlier (past) check-ins.
   */
  public List<Trajectory> trajectories(Split split) {
    return trajectories.get(checkNotNull(split, "split"));
  }

  /** All trajectories of a user, chronological (index = {@link Trajectory#ordinal()}). */
  public List<Trajectory> trajectoriesOf(int user) {
    checkElementIndex(user, dataset.userCount(), "user");
    return trajectoriesByUser.get(user);
  }

  /** The samples of a split (the split of their target), ordered by target time. */
  public List<Sample> samples(Split split) {
    return samples.get(checkNotNull(split, "split"));
  }

  /** The split of the check-in at a rank (its index in {@code dataset().checkIns()}). */
  public Split splitOfRank(int rank) {
    checkElementIndex(rank, dataset.checkIns().size(), "rank");
    return rank < trainEnd ? Split.TRAIN : rank < validationEnd ? Split.VALIDATION : Split.TEST;
  }

  /** Whether a user is cold-start (see {@link NextPoiProtocol} for the rule). */
  public boolean isColdStart(int user) {
    checkElementIndex(user, dataset.userCount(), "user");
    return coldStart.get(user);
  }

  /** Number of a user's trajectories in the training split. */
  public int trainTrajectoryCount(int user) {
    checkElementIndex(user, dataset.userCount(), "user");
    return trainTrajectoryCounts[user];
  }

  /** Counts as loaded and after each step. */
  public DatasetStats stats() {
    return stats;
  }
}
