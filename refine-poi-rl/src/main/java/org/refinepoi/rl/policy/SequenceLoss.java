package org.refinepoi.rl.policy;

import java.util.List;

/**
 * A training loss written as a pure function of the current policy's per-token log-probabilities
 * over a batch of {@link Continuation}s. The trainer builds it (advantages, old and reference
 * log-probabilities, clipping and aggregation are constants captured inside); the policy evaluates
 * it with its own tensor library through {@link Policy#update}:
 *
 * <ol>
 *   <li>compute {@code logp[i][t]} for every sequence {@code i} and token {@code t}, with
 *       gradients;
 *   <li>copy the values out and call {@link #evaluate};
 *   <li>back-propagate the surrogate {@code sum_{i,t} gradient[i][t] * logp[i][t]} (gradient held
 *       constant): its parameter gradient equals the loss's by the chain rule.
 * </ol>
 *
 * Implementations must be deterministic and must not keep the arrays they are given.
 */
@FunctionalInterface
public interface SequenceLoss {

  /**
   * The loss and its derivative with respect to every log-probability.
   *
   * @param logProbs per sequence of the batch (in the order of the update request), the current
   *     per-token log-probabilities; not modified
   * @return the loss value, {@code dLoss/dLogProb} shaped like {@code logProbs}, and diagnostics
   */
  LossEvaluation evaluate(List<double[]> logProbs);
}
