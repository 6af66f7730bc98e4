package org.refinepoi.rl.grpo;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * The learning rate per optimizer step. Warm-up rises linearly from {@code baseRate / warmupSteps}
 * to {@code baseRate} over the first {@code warmupSteps} steps; then {@link Kind#CONSTANT} stays,
 * {@link Kind#LINEAR} falls linearly to {@code minRate} at {@code totalSteps}, {@link Kind#COSINE}
 * follows a half cosine down to {@code minRate} at {@code totalSteps}. Past {@code totalSteps} the
 * rate stays at its final value.
 *
 * @param kind the shape after warm-up
 * @param baseRate the peak rate, finite and {@code > 0}
 * @param warmupSteps warm-up steps, {@code >= 0}
 * @param totalSteps steps of the whole schedule, {@code > warmupSteps} for decaying kinds
 * @param minRate the final rate of decaying kinds, in {@code [0, baseRate]}
 */
public record LearningRateSchedule(
    Kind kind, double baseRate, int warmupSteps, int totalSteps, double minRate) {

  /** The shape of a schedule. */
  public enum Kind {
    /** Constant after warm-up. */
    CONSTANT,
    /** Linear decay after warm-up. */
    LINEAR,
    /** Cosine decay after warm-up. */
    COSINE
  }

  /** Validates the ranges. */
  public LearningRateSchedule {
    checkNotNull(kind, "kind");
    checkArgument(
        Double.isFinite(baseRate) && baseRate > 0, "baseRate must be > 0, got %s", baseRate);
    checkArgument(warmupSteps >= 0, "warmupSteps must be >= 0, got %s", warmupSteps);
    checkArgument(
        kind == Kind.CONSTANT || totalSteps > warmupSteps,
        "totalSteps (%s) must exceed warmupSteps (%s)",
        totalSteps,
        warmupSteps);
    checkArgument(
        minRate >= 0 && minRate <= baseRate, "minRate must be in [0, baseRate], got %s", minRate);
  }

  /** A constant rate. */
  public static LearningRateSchedule constant(double rate) {
    return new LearningRateSchedule(Kind.CONSTANT, rate, 0, 0, 0);
  }

  /** Linear warm-up then linear decay to 0. */
  public static LearningRateSchedule linear(double rate, int warmupSteps, int totalSteps) {
    return new LearningRateSchedule(Kind.LINEAR, rate, warmupSteps, totalSteps, 0);
  }

  /** Linear warm-up then cosine decay to {@code minRate}. */
  public static LearningRateSchedule cosine(
      double rate, int warmupSteps, int totalSteps, double minRate) {
    return new LearningRateSchedule(Kind.COSINE, rate, warmupSteps, totalSteps, minRate);
  }

  /** The rate of a 0-based optimizer step. */
  public double rate(long step) {
    checkArgument(step >= 0, "step must be >= 0, got %s", step);
    if (step < warmupSteps) {
      return baseRate * (step + 1) / warmupSteps;
    }
    if (kind == Kind.CONSTANT) {
      return baseRate;
    }
    double progress = Math.min(1.0, (double) (step - warmupSteps) / (totalSteps - warmupSteps));
    double shape = kind == Kind.LINEAR ? 1 - progress : 0.5 * (1 + Math.cos(Math.PI * progress));
    return minRate + (baseRate - minRate) * shape;
  }
}
