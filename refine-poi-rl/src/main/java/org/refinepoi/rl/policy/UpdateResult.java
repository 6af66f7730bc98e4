package org.refinepoi.rl.policy;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.OptionalDouble;

/**
 * What one {@link Policy#update} did.
 *
 * @param evaluation the loss evaluated at the parameters before the step
 * @param gradNorm the global L2 norm of the parameter gradient before clipping
 * @param meanEntropy the mean per-token entropy (nats) of the policy over the batch before the
 *     step, when the policy computes it
 */
public record UpdateResult(LossEvaluation evaluation, double gradNorm, OptionalDouble meanEntropy) {

  /** Checks for nulls. */
  public UpdateResult {
    checkNotNull(evaluation, "evaluation");
    checkNotNull(meanEntropy, "meanEntropy");
  }

  /** Whether the gradient was clipped, given the request's limit. */
  public boolean clipped(double maxGradNorm) {
    return gradNorm > maxGradNorm;
  }
}
