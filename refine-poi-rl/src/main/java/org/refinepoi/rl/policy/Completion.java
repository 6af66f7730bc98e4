package org.refinepoi.rl.policy;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import java.util.Optional;

/**
 * One sampled completion with what the sampling policy knew about it.
 *
 * @param prompt the prompt it continues
 * @param tokens the sampled tokens, including the policy's end token when it emitted one
 * @param logProbs per-token log-probability under the sampling distribution (see {@link
 *     SamplingConfig} for which distribution), one per token, each finite and {@code <= 0}
 * @param entropies per-token entropy (nats) of that distribution, one per token, when the policy
 *     computes it
 * @param truncated whether generation stopped at {@link SamplingConfig#maxTokens()} rather than by
 *     an end token or an exhausted {@link TokenConstraint}
 */
public record Completion(
    TokenSequence prompt,
    TokenSequence tokens,
    double[] logProbs,
    Optional<double[]> entropies,
    boolean truncated) {

  /** Checks lengths and values, and copies the arrays. */
  public Completion {
    checkNotNull(prompt, "prompt");
    checkNotNull(tokens, "tokens");
    checkNotNull(logProbs, "logProbs");
    checkNotNull(entropies, "entropies");
    checkArgument(
        logProbs.length == tokens.length(),
        "%s log-probabilities for %s tokens",
        logProbs.length,
        tokens.length());
    for (double lp : logProbs) {
      checkArgument(
          !Double.isNaN(lp) && lp <= 1e-6 && lp != Double.NEGATIVE_INFINITY,
          "log-probabilities must be finite and <= 0, got %s",
          lp);
    }
    logProbs = logProbs.clone();
    if (entropies.isPresent()) {
      double[] e = entropies.get();
      checkArgument(
          e.length == tokens.length(), "%s entropies for %s tokens", e.length, tokens.length());
      entropies = Optional.of(e.clone());
    }
  }

  /** A completion without entropies. */
  public static Completion of(
      TokenSequence prompt, TokenSequence tokens, double[] logProbs, boolean truncated) {
    return new Completion(prompt, tokens, logProbs, Optional.empty(), truncated);
  }

  /** Number of completion tokens. */
  public int length() {
    return tokens.length();
  }

  /** A copy of the per-token log-probabilities. */
  @Override
  public double[] logProbs() {
    return logProbs.clone();
  }

  /** A copy of the per-token entropies, if computed. */
  @Override
  public Optional<double[]> entropies() {
    return entropies.map(double[]::clone);
  }

  /** The prompt and tokens, for scoring. */
  public Continuation continuation() {
    return new Continuation(prompt, tokens);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Completion other
        && truncated == other.truncated
        && prompt.equals(other.prompt)
        && tokens.equals(other.tokens)
        && Arrays.equals(logProbs, other.logProbs)
        && entropies.isPresent() == other.entropies.isPresent()
        && (entropies.isEmpty() || Arrays.equals(entropies.get(), other.entropies.get()));
  }

  @Override
  public int hashCode() {
    return 31 * (31 * prompt.hashCode() + tokens.hashCode()) + Arrays.hashCode(logProbs);
  }

  @Override
  public String toString() {
    return "Completion[prompt=" + prompt + ", tokens=" + tokens + ", truncated=" + truncated + "]";
  }
}
