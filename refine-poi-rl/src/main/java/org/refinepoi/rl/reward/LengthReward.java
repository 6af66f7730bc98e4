package org.refinepoi.rl.reward;

import static com.google.common.base.Preconditions.checkArgument;

import org.refinepoi.core.sid.SemanticId;

/**
 * The length term: 1 when the answer has exactly k entries, decreasing with {@code |entries - k|}:
 * linearly, {@code max(0, 1 - |n - k| / k)}, or geometrically, {@code ratio^|n - k|}. It counts
 * every entry (valid or not), so padding with junk is not rewarded twice: the format term sees the
 * junk. An output without an answer block earns 0 (it wrote no list at all).
 *
 * <p>Immutable and thread-safe; values are in [0, 1].
 */
public final class LengthReward implements RankingReward {

  /** How the reward falls off. */
  public enum Shape {
    /** {@code max(0, 1 - |n - k| / k)}. */
    LINEAR,
    /** {@code ratio^|n - k|}. */
    GEOMETRIC
  }

  private final int k;
  private final Shape shape;
  private final double ratio;

  /**
   * A length term.
   *
   * @param k the target number of items
   * @param shape the fall-off
   * @param ratio the geometric ratio in (0, 1); ignored for {@link Shape#LINEAR}
   */
  public LengthReward(int k, Shape shape, double ratio) {
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    checkArgument(shape != null, "shape");
    checkArgument(ratio > 0 && ratio < 1, "ratio must be in (0, 1), got %s", ratio);
    this.k = k;
    this.shape = shape;
    this.ratio = ratio;
  }

  /** A linear length term. */
  public static LengthReward linear(int k) {
    return new LengthReward(k, Shape.LINEAR, 0.5);
  }

  /** The reward for a list of {@code n} entries. */
  public double of(int n) {
    checkArgument(n >= 0, "n must be >= 0, got %s", n);
    int gap = Math.abs(n - k);
    return switch (shape) {
      case LINEAR -> Math.max(0.0, 1.0 - (double) gap / k);
      case GEOMETRIC -> Math.pow(ratio, gap);
    };
  }

  @Override
  public String name() {
    return "length";
  }

  @Override
  public double score(ParsedAnswer answer, SemanticId truth) {
    return answer.answerFound() ? of(answer.entryCount()) : 0.0;
  }

  @Override
  public String toString() {
    return "length(k=" + k + ", " + shape + ")";
  }
}
