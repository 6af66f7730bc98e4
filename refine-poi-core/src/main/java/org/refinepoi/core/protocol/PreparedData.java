package org.refinepoi.core.protocol;

import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
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

  /**
   * Every next check-in of a split's trajectories as a sample ({@link SampleMode#ALL_PREFIXES}
   * applied to that split alone), whatever the sample mode of {@link #samples}: the dense
   * supervision a model can train on while it is evaluated on the configured samples. Each check-in
   * but the first of every trajectory of the split is a target, with the trajectory's check-ins
   * before it as short-term memory and the user's earlier trajectories (at most {@link
   * ProtocolConfig#maxLongTermCheckIns()} check-ins) as long-term memory; each sample carries the
   * trajectory's split (for training trajectories that is every target's own split). For a
   * validation or test split, targets at POIs without a training check-in are left out, as the
   * protocol does. Ordered by target time, then user; computed on each call.
   */
  public List<Sample> prefixSamples(Split split) {
    checkNotNull(split, "split");
    BitSet poiInTrain = new BitSet(dataset.poiCount());
    for (CheckIn c : checkIns(Split.TRAIN)) {
      poiInTrain.set(c.poi());
    }
    int maxLongTerm = config.maxLongTermCheckIns();
    List<Sample> out = new ArrayList<>();
    for (Trajectory trajectory : trajectories(split)) {
      if (trajectory.size() < 2) {
        continue;
      }
      int user = trajectory.user();
      ImmutableList<CheckIn> earlier = earlierCheckIns(user, trajectory.ordinal(), maxLongTerm);
      List<CheckIn> checkIns = trajectory.checkIns();
      for (int k = 1; k < checkIns.size(); k++) {
        CheckIn target = checkIns.get(k);
        if (split != Split.TRAIN && !poiInTrain.get(target.poi())) {
          continue;
        }
        out.add(
            new Sample(
                user,
                trajectory.ordinal(),
                checkIns.subList(0, k),
                earlier,
                target,
                coldStart.get(user),
                split));
      }
    }
    out.sort(
        Comparator.comparingLong((Sample s) -> s.target().utcEpochSecond())
            .thenComparingInt(Sample::user));
    return List.copyOf(out);
  }

  /** The last {@code max} check-ins of a user's trajectories before the given one. */
  private ImmutableList<CheckIn> earlierCheckIns(int user, int ordinal, int max) {
    List<Trajectory> all = trajectoriesByUser.get(user);
    ArrayList<CheckIn> reversed = new ArrayList<>();
    for (int t = ordinal - 1; t >= 0 && reversed.size() < max; t--) {
      List<CheckIn> cs = all.get(t).checkIns();
      for (int i = cs.size() - 1; i >= 0 && reversed.size() < max; i--) {
        reversed.add(cs.get(i));
      }
    }
    return ImmutableList.copyOf(reversed).reverse();
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
