package org.refinepoi.rl.djl;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * How rollouts are sampled: {@code k} IDs per list, softmax temperature, nucleus (top-p) mass, and
 * whether a list may end before {@code k} IDs. Per-token log-probabilities are always those of the
 * temperature-scaled distribution renormalized over the tokens the trie allows (top-p only narrows
 * what is drawn, not the reported probabilities, as in TRL with vLLM).
 *
 * @param k IDs per list, at least 1
 * @param temperature softmax temperature, > 0 (default 1)
 * @param topP nucleus mass in (0, 1] (default 1 = off)
 * @param allowEarlyStop whether EOS may follow an ID before the k-th (default false: the list
 *     length is then always k, or the catalogue size when smaller)
 */
public record SamplingConfig(int k, double temperature, double topP, boolean allowEarlyStop) {

  /** Validates the values. */
  public SamplingConfig {
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    checkArgument(
        temperature > 0 && Double.isFinite(temperature),
        "temperature must be finite and > 0, got %s",
        temperature);
    checkArgument(topP > 0 && topP <= 1, "topP must be in (0, 1], got %s", topP);
  }

  /** Lists of k IDs at temperature 1, no nucleus truncation, no early stop. */
  public static SamplingConfig ofK(int k) {
    return new SamplingConfig(k, 1.0, 1.0, false);
  }
}
