package org.refinepoi.rl.policy;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * A prompt and the completion tokens that follow it: what a policy scores. The completion's
 * log-probabilities are those of each completion token given the prompt and the completion tokens
 * before it.
 *
 * @param prompt the conditioning tokens
 * @param completion the generated tokens (including the policy's end token when it emitted one)
 */
public record Continuation(TokenSequence prompt, TokenSequence completion) {

  /** Checks for nulls. */
  public Continuation {
    checkNotNull(prompt, "prompt");
    checkNotNull(completion, "completion");
  }
}
