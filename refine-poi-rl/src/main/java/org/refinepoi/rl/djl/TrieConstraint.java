package org.refinepoi.rl.djl;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.refinepoi.rl.policy.TokenConstraint;
import org.refinepoi.rl.policy.TokenSequence;

/**
 * The semantic-ID trie as a {@link TokenConstraint} for the policy seam: a completion is a list of
 * valid, distinct IDs followed by EOS (after {@code k} IDs, or earlier when early stopping is
 * allowed or the catalogue runs out). Pure: {@link #allowedNext} replays the prefix. The built-in
 * DJL policy recognizes this class and keeps one {@link ListConstraint} per row instead of
 * replaying. Immutable and thread-safe.
 *
 * @param trie the valid IDs
 * @param k IDs per list
 * @param allowEarlyStop whether EOS may follow an ID before the k-th
 */
public record TrieConstraint(IdTrie trie, int k, boolean allowEarlyStop)
    implements TokenConstraint {

  /** Validates the arguments. */
  public TrieConstraint {
    checkNotNull(trie, "trie");
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
  }

  /** A fresh per-list state. */
  public ListConstraint newList() {
    return new ListConstraint(trie, k, allowEarlyStop);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when the prefix itself breaks the constraint
   */
  @Override
  public int[] allowedNext(TokenSequence prompt, TokenSequence prefix) {
    checkNotNull(prefix, "prefix");
    ListConstraint list = newList();
    for (int i = 0; i < prefix.length(); i++) {
      list.advance(prefix.get(i));
    }
    return list.allowedTokens();
  }
}
