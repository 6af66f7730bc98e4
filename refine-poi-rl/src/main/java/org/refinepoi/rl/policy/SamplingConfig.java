package org.refinepoi.rl.policy;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * How a policy samples completions.
 *
 * <p>The distribution a policy samples from is {@code softmax(logits / temperature)}, restricted to
 * the {@link TokenConstraint}'s allowed tokens and then to the top-p nucleus, renormalized. The
 * per-token log-probabilities a policy reports (when sampling, scoring or updating) are those of
 * the temperature-scaled, constraint-masked distribution <em>before</em> the nucleus cut, so that
 * {@link Policy#sample} and {@link Policy#logProbs} agree for the same temperature and constraint
 * (top-p only decides which tokens may be drawn, as in TRL).
 *
 * @param temperature softmax temperature, finite and {@code > 0} (default 1)
 * @param topP nucleus mass in (0, 1] (default 1 = no cut)
 * @param maxTokens the most tokens of one completion, {@code >= 1}; a completion that reaches it
 *     without emitting the policy's end token is marked {@linkplain Completion#truncated()
 *     truncated}
 * @param seed seed of the sampling randomness: the same policy state, prompts, config and seed give
 *     the same completions
 */
public record SamplingConfig(double temperature, double topP, int maxTokens, long seed) {

  /** Validates the ranges. */
  public SamplingConfig {
    checkArgument(
        Double.isFinite(temperature) && temperature > 0,
        "temperature must be finite and > 0, got %s",
        temperature);
    checkArgument(topP > 0 && topP <= 1, "topP must be in (0, 1], got %s", topP);
    checkArgument(maxTokens >= 1, "maxTokens must be >= 1, got %s", maxTokens);
  }

  /** Temperature 1, no nucleus cut, the given length limit and seed. */
  public static SamplingConfig of(int maxTokens, long seed) {
    return new SamplingConfig(1.0, 1.0, maxTokens, seed);
  }

  /** The same config with another seed. */
  public SamplingConfig withSeed(long newSeed) {
    return new SamplingConfig(temperature, topP, maxTokens, newSeed);
  }
}
