package org.refinepoi.som.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * A value that moves from {@code start} to {@code end} over a training run (a neighbourhood radius
 * or a learning rate), with explicit end points so re-running training never silently changes the
 * decay.
 *
 * @param decay the shape
 * @param start the value at the first step, >= 0 (> 0 for exponential and asymptotic)
 * @param end the value at the last step, >= 0 (> 0 for exponential and asymptotic)
 */
public record Schedule(Decay decay, double start, double end) implements java.io.Serializable {

  /** Validates the end points for the shape. */
  public Schedule {
    checkNotNull(decay, "decay");
    checkArgument(
        Double.isFinite(start) && Double.isFinite(end) && start >= 0 && end >= 0,
        "schedule values must be finite and >= 0, got %s -> %s",
        start,
        end);
    checkArgument(
        decay == Decay.LINEAR || (start > 0 && end > 0),
        "%s decay needs start and end > 0, got %s -> %s",
        decay,
        start,
        end);
  }

  /** A linear schedule. */
  public static Schedule linear(double start, double end) {
    return new Schedule(Decay.LINEAR, start, end);
  }

  /** An exponential schedule. */
  public static Schedule exponential(double start, double end) {
    return new Schedule(Decay.EXPONENTIAL, start, end);
  }

  /** An asymptotic (inverse-time) schedule. */
  public static Schedule asymptotic(double start, double end) {
    return new Schedule(Decay.ASYMPTOTIC, start, end);
  }

  /** A constant value. */
  public static Schedule constant(double value) {
    return new Schedule(Decay.LINEAR, value, value);
  }

  /**
   * The value at a step.
   *
   * @param step 0-based, in [0, steps)
   * @param steps the number of steps, >= 1 (one step gives {@code start})
   */
  public double value(long step, long steps) {
    checkArgument(steps >= 1, "steps must be >= 1, got %s", steps);
    checkArgument(step >= 0 && step < steps, "step %s outside [0, %s)", step, steps);
    if (steps == 1) {
      return start;
    }
    double t = (double) step / (steps - 1);
    return switch (decay) {
      case LINEAR -> start + (end - start) * t;
      case EXPONENTIAL -> start * Math.pow(end / start, t);
      case ASYMPTOTIC -> start / (1 + (start / end - 1) * t);
    };
  }
}
