package org.refinepoi.rl.policy;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;

/**
 * An immutable sequence of token ids (each {@code >= 0}). Value semantics: equal when the ids are
 * equal, so it can key maps (for example the tabular policy's contexts).
 */
public final class TokenSequence {

  private static final TokenSequence EMPTY = new TokenSequence(new int[0]);

  private final int[] tokens;

  private TokenSequence(int[] tokens) {
    this.tokens = tokens;
  }

  /** The empty sequence. */
  public static TokenSequence empty() {
    return EMPTY;
  }

  /**
   * A sequence holding a copy of the given ids.
   *
   * @throws IllegalArgumentException when an id is negative
   */
  public static TokenSequence of(int... tokens) {
    checkNotNull(tokens, "tokens");
    for (int i = 0; i < tokens.length; i++) {
      checkArgument(tokens[i] >= 0, "token ids must be >= 0, got %s at %s", tokens[i], i);
    }
    return tokens.length == 0 ? EMPTY : new TokenSequence(tokens.clone());
  }

  /** Number of tokens. */
  public int length() {
    return tokens.length;
  }

  /** Whether the sequence has no token. */
  public boolean isEmpty() {
    return tokens.length == 0;
  }

  /** The token at a position. */
  public int get(int index) {
    checkElementIndex(index, tokens.length, "index");
    return tokens[index];
  }

  /** The last token. */
  public int last() {
    checkArgument(tokens.length > 0, "the sequence is empty");
    return tokens[tokens.length - 1];
  }

  /** A copy of the ids. */
  public int[] toArray() {
    return tokens.clone();
  }

  /** The first {@code length} tokens. */
  public TokenSequence prefix(int length) {
    checkArgument(length >= 0 && length <= tokens.length, "prefix length out of range: %s", length);
    return length == tokens.length ? this : of(Arrays.copyOf(tokens, length));
  }

  /** This sequence followed by one more token. */
  public TokenSequence append(int token) {
    checkArgument(token >= 0, "token ids must be >= 0, got %s", token);
    int[] next = Arrays.copyOf(tokens, tokens.length + 1);
    next[tokens.length] = token;
    return new TokenSequence(next);
  }

  /** This sequence followed by another. */
  public TokenSequence concat(TokenSequence other) {
    checkNotNull(other, "other");
    int[] next = Arrays.copyOf(tokens, tokens.length + other.tokens.length);
    System.arraycopy(other.tokens, 0, next, tokens.length, other.tokens.length);
    return new TokenSequence(next);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenSequence other && Arrays.equals(tokens, other.tokens);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(tokens);
  }

  @Override
  public String toString() {
    return Arrays.toString(tokens);
  }
}
