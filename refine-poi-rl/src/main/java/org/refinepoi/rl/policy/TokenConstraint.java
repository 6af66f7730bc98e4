package org.refinepoi.rl.policy;

/**
 * Which tokens may come next, given the prompt and the completion so far. The built-in policy plugs
 * the semantic-ID prefix trie here (only valid IDs, never the same ID twice in a list).
 *
 * <p>Contract: {@link #allowedNext} returns distinct token ids in {@code [0, vocabularySize)},
 * ascending. An empty array means the completion is over: the policy stops without emitting a token
 * (so a constraint that wants an explicit end token must allow it). A policy masks every other
 * token to probability zero, both when sampling and when computing log-probabilities, so a
 * constrained policy is a proper distribution over the allowed tokens. Implementations must be pure
 * (same inputs, same answer) and safe to call from several threads.
 */
@FunctionalInterface
public interface TokenConstraint {

  /**
   * The tokens allowed after {@code prompt + prefix}.
   *
   * @param prompt the prompt tokens
   * @param prefix the completion tokens generated so far (empty at the first step)
   * @return distinct ascending token ids; empty to end the completion
   */
  int[] allowedNext(TokenSequence prompt, TokenSequence prefix);

  /**
   * Whether this constraint restricts anything. Only {@link #none()} says no; policies skip the
   * masking work then.
   */
  default boolean constrains() {
    return true;
  }

  /** The constraint that allows every token; {@link #allowedNext} must not be called on it. */
  static TokenConstraint none() {
    return Unconstrained.INSTANCE;
  }

  /** The singleton behind {@link #none()}. */
  enum Unconstrained implements TokenConstraint {
    /** The only instance. */
    INSTANCE;

    @Override
    public int[] allowedNext(TokenSequence prompt, TokenSequence prefix) {
      throw new UnsupportedOperationException(
          "the unconstrained TokenConstraint has no token list: check constrains() first");
    }

    @Override
    public boolean constrains() {
      return false;
    }
  }
}
