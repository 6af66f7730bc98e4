package org.refinepoi.rl.djl;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;

/**
 * One sampled ranked list: the completion tokens (IDs then EOS), the log-probability of each token
 * under the sampling policy, and the POIs listed.
 *
 * <p>Immutable: the constructor copies the arrays and each accessor returns a fresh copy (a list
 * holds {@code k * depth + 1} tokens, a few dozen, so the copies cost nothing next to the forward
 * passes that produced them). Equality compares the arrays' contents.
 *
 * @param tokens completion tokens, ending with EOS
 * @param logProbs one log-probability per token (0 for a token that was the only one allowed)
 * @param pois the listed POIs (dense indices), best first, distinct
 */
public record GeneratedList(int[] tokens, float[] logProbs, int[] pois) {

  /**
   * Checks that there is one log-probability per token, and copies the arrays.
   *
   * @throws IllegalArgumentException if the token and log-probability counts differ
   */
  public GeneratedList {
    checkNotNull(tokens, "tokens");
    checkNotNull(logProbs, "logProbs");
    checkNotNull(pois, "pois");
    checkArgument(
        tokens.length == logProbs.length,
        "%s tokens but %s log-probabilities",
        tokens.length,
        logProbs.length);
    tokens = tokens.clone();
    logProbs = logProbs.clone();
    pois = pois.clone();
  }

  /** A copy of the completion tokens, ending with EOS. */
  @Override
  public int[] tokens() {
    return tokens.clone();
  }

  /** A copy of the per-token log-probabilities (natural log, each {@code <= 0}). */
  @Override
  public float[] logProbs() {
    return logProbs.clone();
  }

  /** A copy of the listed POIs, best first. */
  @Override
  public int[] pois() {
    return pois.clone();
  }

  /** Number of completion tokens (without copying them). */
  public int length() {
    return tokens.length;
  }

  /** Sum of the token log-probabilities (natural log, {@code <= 0}). */
  public double totalLogProb() {
    double s = 0;
    for (float lp : logProbs) {
      s += lp;
    }
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GeneratedList other
        && Arrays.equals(tokens, other.tokens)
        && Arrays.equals(logProbs, other.logProbs)
        && Arrays.equals(pois, other.pois);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(tokens) + Arrays.hashCode(logProbs)) + Arrays.hashCode(pois);
  }

  @Override
  public String toString() {
    return "GeneratedList[tokens="
        + Arrays.toString(tokens)
        + ", totalLogProb="
        + totalLogProb()
        + ", pois="
        + Arrays.toString(pois)
        + "]";
  }
}
