package org.refinepoi.rl.policy;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.List;
import java.util.Map;

/**
 * The result of {@link SequenceLoss#evaluate}: the loss, its gradient with respect to each
 * per-token log-probability, and named diagnostics (for GRPO: clip fractions, KL) the trainer logs.
 *
 * @param loss the scalar loss, finite
 * @param gradient {@code dLoss/dLogProb}, one array per sequence, shaped like the input; finite
 * @param diagnostics named scalar statistics, finite
 */
public record LossEvaluation(
    double loss, List<double[]> gradient, Map<String, Double> diagnostics) {

  /** Checks finiteness and copies. */
  public LossEvaluation {
    checkArgument(Double.isFinite(loss), "loss must be finite, got %s", loss);
    checkNotNull(gradient, "gradient");
    checkNotNull(diagnostics, "diagnostics");
    ImmutableList.Builder<double[]> copy = ImmutableList.builderWithExpectedSize(gradient.size());
    for (int i = 0; i < gradient.size(); i++) {
      double[] g = checkNotNull(gradient.get(i), "gradient of sequence %s", i);
      for (double v : g) {
        checkArgument(
            Double.isFinite(v), "gradient of sequence %s is not finite: %s", i, (Object) v);
      }
      copy.add(g.clone());
    }
    gradient = copy.build();
    diagnostics = ImmutableMap.copyOf(diagnostics);
  }

  /**
   * Checks that the gradient has the shape of the log-probabilities it was computed from.
   *
   * @throws IllegalStateException when a length differs
   */
  public void checkShape(List<double[]> logProbs) {
    if (gradient.size() != logProbs.size()) {
      throw new IllegalStateException(
          "loss returned " + gradient.size() + " gradients for " + logProbs.size() + " sequences");
    }
    for (int i = 0; i < gradient.size(); i++) {
      if (gradient.get(i).length != logProbs.get(i).length) {
        throw new IllegalStateException(
            "loss gradient of sequence "
                + i
                + " has "
                + gradient.get(i).length
                + " entries for "
                + logProbs.get(i).length
                + " tokens");
      }
    }
  }

  /** A copy of sequence {@code i}'s gradient. */
  public double[] gradient(int i) {
    return gradient.get(i).clone();
  }
}
