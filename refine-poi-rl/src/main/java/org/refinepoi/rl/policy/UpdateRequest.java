package org.refinepoi.rl.policy;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * One optimizer step asked of a {@link Policy}.
 *
 * @param batch the sequences whose log-probabilities the loss reads, in order; non-empty, each with
 *     at least one completion token
 * @param temperature the temperature the log-probabilities are computed at (the one used to sample,
 *     so that ratios compare like with like)
 * @param constraint the constraint the completions were sampled under (the same masking applies)
 * @param loss the loss to minimize
 * @param learningRate the step size for this step, finite and {@code >= 0}; the policy's optimizer
 *     (SGD, Adam, ...) is its own choice, the rate is the trainer's
 * @param maxGradNorm clip the global L2 norm of the parameter gradient to this before stepping;
 *     {@code Double.POSITIVE_INFINITY} for no clipping; {@code > 0}
 */
public record UpdateRequest(
    List<Continuation> batch,
    double temperature,
    TokenConstraint constraint,
    SequenceLoss loss,
    double learningRate,
    double maxGradNorm) {

  /** Validates and copies. */
  public UpdateRequest {
    checkNotNull(batch, "batch");
    checkNotNull(constraint, "constraint");
    checkNotNull(loss, "loss");
    checkArgument(!batch.isEmpty(), "an update needs at least one sequence");
    batch = ImmutableList.copyOf(batch);
    for (int i = 0; i < batch.size(); i++) {
      checkArgument(!batch.get(i).completion().isEmpty(), "sequence %s has no completion token", i);
    }
    checkArgument(
        Double.isFinite(temperature) && temperature > 0,
        "temperature must be finite and > 0, got %s",
        temperature);
    checkArgument(
        Double.isFinite(learningRate) && learningRate >= 0,
        "learning rate must be finite and >= 0, got %s",
        learningRate);
    checkArgument(
        !Double.isNaN(maxGradNorm) && maxGradNorm > 0,
        "maxGradNorm must be > 0 (infinity for none), got %s",
        maxGradNorm);
  }
}
