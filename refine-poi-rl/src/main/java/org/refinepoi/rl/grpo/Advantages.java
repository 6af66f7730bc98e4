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
 * and are left out of every statistic; a group with one applicable sample has advantage 0, and so
 * has a group whose rewards are equal up to floating-point noise (sample standard deviation {@code
 * <= 1e-12 * max(1, |mean|)}), whatever the scaling and eps, so rounding residue of the mean is
 * never amplified into a learning signal. Stateless and thread-safe.
 */
public final class Advantages {

  /** Relative spread below which a group's rewards count as equal (see {@link #compute}). */
  static final double NOISE_RELATIVE = 1e-12;

  private Advantages() {}

  /**
   * Computes advantages.
   *
   * @param rewards one per sample, finite or NaN (= not applicable); may be empty
   * @param groups the group id of each sample (any int; samples of one prompt share an id), same
   *     length as {@code rewards}
   * @param scaling which standard deviation divides the centred rewards
   * @param eps added to the standard deviation, finite and {@code >= 0} (TRL uses 1e-4)
   * @return one advantage per sample, a new array
   * @throws IllegalArgumentException if the lengths differ, a reward is infinite or eps is negative
   *     or not finite
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
      double groupStd = sampleStd(rewards, group);
      if (withinRoundingNoise(groupStd, mean)) {
        // Equal rewards carry no ranking signal; their centred values are rounding residue of the
        // mean, which a small scale (eps 0) would blow up to +-1. TRL gives them 0 exactly.
        continue;
      }
      double scale =
          switch (scaling) {
            case GROUP_STD -> groupStd + eps;
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

  /**
   * Whether a group's spread is floating-point noise around its mean: {@code std <= 1e-12 * max(1,
   * |mean|)}. Rewards live in [0, 1] or nearby, so a genuine spread is many orders above.
   */
  static boolean withinRoundingNoise(double std, double mean) {
    return std <= NOISE_RELATIVE * Math.max(1.0, Math.abs(mean));
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
