package org.refinepoi.rl.reward;

import static com.google.common.base.Preconditions.checkArgument;

/** How much a hit at a list position is worth relative to rank 1 (which is worth 1). */
public enum RankDiscount {
  /** Every position is worth 1. */
  NONE,
  /** {@code 1 / rank}, as reciprocal rank. */
  RECIPROCAL,
  /** {@code 1 / log2(rank + 1)}, as NDCG. */
  LOG2;

  /**
   * The discount of a 1-based rank, in (0, 1], non-increasing in rank.
   *
   * @param rank the 1-based position, {@code >= 1}
   */
  public double at(int rank) {
    checkArgument(rank >= 1, "rank must be >= 1, got %s", rank);
    return switch (this) {
      case NONE -> 1.0;
      case RECIPROCAL -> 1.0 / rank;
      case LOG2 -> rank == 1 ? 1.0 : 1.0 / log2(rank + 1.0);
    };
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
