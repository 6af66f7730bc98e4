package org.refinepoi.rl.grpo;

/**
 * How a centred reward {@code r - groupMean} is scaled into an advantage. Standard deviations are
 * the sample (n - 1) ones, as TRL's {@code torch.std}, and get {@code scaleEps} added.
 */
public enum RewardScaling {
  /** Divide by the group's standard deviation plus eps (TRL's default). */
  GROUP_STD,
  /** Divide by the batch's standard deviation plus eps. */
  BATCH_STD,
  /** No scaling (Dr. GRPO). */
  NONE
}
