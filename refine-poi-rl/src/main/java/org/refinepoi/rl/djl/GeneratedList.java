package org.refinepoi.rl.djl;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * One sampled ranked list: the completion tokens (IDs then EOS), the log-probability of each token
 * under the sampling policy, and the POIs listed.
 *
 * @param tokens completion tokens, ending with EOS
 * @param logProbs one log-probability per token (0 for a token that was the only one allowed)
 * @param pois the listed POIs, best first, distinct
 */
public record GeneratedList(int[] tokens, float[] logProbs, int[] pois) {

  /** Checks that there is one log-probability per token. */
  public GeneratedList {
    checkNotNull(tokens, "tokens");
    checkNotNull(logProbs, "logProbs");
    checkNotNull(pois, "pois");
    checkArgument(
        tokens.length == logProbs.length,
        "%s tokens but %s log-probabilities",
        tokens.length,
        logProbs.length);
  }

  /** Sum of the token log-probabilities. */
  public double totalLogProb() {
    double s = 0;
    for (float lp : logProbs) {
      s += lp;
    }
    return s;
  }
}
