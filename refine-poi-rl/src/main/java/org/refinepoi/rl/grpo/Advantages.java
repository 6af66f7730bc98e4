package org.refinepoi.rl.grpo;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Group-relative advantages: {@code A_i = (r_i - mean_g) / (std + eps)} with the standard deviation
 * chosen by {@link RewardScaling}. Samples whose reward is NaN ("not applicable") get advantage 0
 * and are left out of every statistic; a group with one applicable sample has advantage 0.
 */
public final class Advantages {

  private Advantages() {}

  /**
   * Computes advantages.
   *
   * @param rewards one per sample, NaN = not applicable
   * @param groups the group of each sample
   * @param scaling how to scale
   * @param eps added to the standard deviation, {@code >= 0}
   * @return one advantage per sample
   */
  public static double[] compute(
      double[] rewards, int[] groups, RewardScaling scaling, double eps) {
    checkNotNull(rewards, "rewards");
    checkNotNull(groups, "groups");
    checkNotNull(scaling, "scaling");
    checkArgument(
        rewards.length == groups.length,
        "%s rewards for %s group ids",
        rewards.length,
        groups.length);
    checkArgument(eps >= 0 && Double.isFinite(eps), "eps must be >= 0, got %s", eps);
    for (double r : rewards) {
      checkArgument(!Double.isInfinite(r), "rewards must be finite or NaN, got %s", r);
    }
    Map<Integer, List<Integer>> members = groupMembers(rewards, groups);
    double batchStd = 0;
    if (scaling == RewardScaling.BATCH_STD) {
      List<Integer> all = new ArrayList<>();
      members.values().forEach(all::addAll);
      batchStd = sampleStd(rewards, all);
    }
    double[] out = new double[rewards.length];
    for (List<Integer> group : members.values()) {
      double mean = mean(rewards, group);
      double scale =
          switch (scaling) {
            case GROUP_STD -> sampleStd(rewards, group) + eps;
            case BATCH_STD -> batchStd + eps;
            case NONE -> 1.0;
          };
      for (int i : group) {
        double centred = rewards[i] - mean;
        out[i] = centred == 0 ? 0.0 : centred / scale;
      }
    }
    return out;
  }

  /** The applicable samples of each group, in order of first appearance. */
  static Map<Integer, List<Integer>> groupMembers(double[] rewards, int[] groups) {
    Map<Integer, List<Integer>> members = new LinkedHashMap<>();
    for (int i = 0; i < rewards.length; i++) {
      if (!Double.isNaN(rewards[i])) {
        members.computeIfAbsent(groups[i], g -> new ArrayList<>()).add(i);
      }
    }
    return members;
  }

  static double mean(double[] values, List<Integer> idx) {
    double s = 0;
    for (int i : idx) {
      s += values[i];
    }
    return idx.isEmpty() ? 0 : s / idx.size();
  }

  /** The sample (n - 1) standard deviation; 0 for fewer than two values. */
  static double sampleStd(double[] values, List<Integer> idx) {
    if (idx.size() < 2) {
      return 0;
    }
    double mean = mean(values, idx);
    double ss = 0;
    for (int i : idx) {
      ss += (values[i] - mean) * (values[i] - mean);
    }
    return Math.sqrt(ss / (idx.size() - 1));
  }
}
