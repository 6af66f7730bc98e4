package org.refinepoi.rl.grpo;

/** How per-token losses of a batch become one number (docs/anchors.md, GRPO trainers). */
public enum LossAggregation {
  /** Sum over all tokens divided by the number of tokens in the batch (TRL's default, DAPO). */
  TOKEN_MEAN,
  /**
   * Mean over each sequence's tokens, then mean over sequences (original GRPO; longer sequences
   * weigh less per token).
   */
  SEQUENCE_MEAN,
  /**
   * Sum over all tokens divided by {@code sequences * maxTokens}, a constant (Dr. GRPO): no length
   * bias.
   */
  DR_GRPO
}
