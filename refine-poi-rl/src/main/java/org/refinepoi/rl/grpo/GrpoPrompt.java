package org.refinepoi.rl.grpo;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.refinepoi.rl.policy.TokenSequence;

/**
 * A training prompt: the tokens the policy conditions on, and the metadata the reward reads (for
 * ranking rewards, something that knows the ground-truth ID).
 *
 * @param tokens the prompt tokens, non-empty
 * @param metadata what the reward function receives as the prompt
 * @param <P> the metadata type
 */
public record GrpoPrompt<P>(TokenSequence tokens, P metadata) {

  /** Checks for nulls and emptiness. */
  public GrpoPrompt {
    checkNotNull(tokens, "tokens");
    checkNotNull(metadata, "metadata");
    checkArgument(!tokens.isEmpty(), "a prompt needs at least one token");
  }
}
