package org.refinepoi.rl.grpo;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableMap;
import java.util.Map;

/**
 * What one GRPO step did: the numbers users debug GRPO with (docs/anchors.md). Means over tokens
 * are token means over the batch; NaN marks a value the policy or reward did not provide.
 *
 * @param step the 0-based step (batch of rollouts) just finished
 * @param learningRate the rate of this step's first optimizer step
 * @param rewardMean mean total reward over applicable samples
 * @param rewardStd sample standard deviation of the total reward
 * @param termMeans per reward term, its mean over applicable samples
 * @param termStds per reward term, its sample standard deviation
 * @param zeroSpreadGroupFraction fraction of groups whose rewards are all equal, up to rounding
 *     noise (no gradient; the same test as {@link Advantages})
 * @param applicableFraction fraction of samples with a reward
 * @param clipLowFraction fraction of tokens clipped low (mean over the mu updates)
 * @param clipHighFraction fraction of tokens clipped high (mean over the mu updates)
 * @param kl mean k3 KL to the reference per token (NaN without a reference)
 * @param entropy mean per-token entropy of the policy (NaN if the policy does not report it)
 * @param completionLength mean completion length in tokens
 * @param truncatedFraction fraction of completions cut at maxTokens
 * @param listLength mean parsed list length, from the reward's {@code list_length} diagnostic (NaN
 *     when the reward does not report it)
 * @param loss the loss at the first update of the step
 * @param gradNorm the gradient norm before clipping at the first update of the step
 */
public record StepMetrics(
    long step,
    double learningRate,
    double rewardMean,
    double rewardStd,
    Map<String, Double> termMeans,
    Map<String, Double> termStds,
    double zeroSpreadGroupFraction,
    double applicableFraction,
    double clipLowFraction,
    double clipHighFraction,
    double kl,
    double entropy,
    double completionLength,
    double truncatedFraction,
    double listLength,
    double loss,
    double gradNorm) {

  /** Copies the maps. */
  public StepMetrics {
    termMeans = ImmutableMap.copyOf(checkNotNull(termMeans, "termMeans"));
    termStds = ImmutableMap.copyOf(checkNotNull(termStds, "termStds"));
  }
}
