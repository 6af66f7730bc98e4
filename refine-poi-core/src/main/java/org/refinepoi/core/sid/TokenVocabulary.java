package org.refinepoi.core.sid;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.List;
import java.util.OptionalInt;

/**
 * A dense numbering of ID tokens, for a model's embedding table and for fast constrained decoding:
 * token {@code i} of {@link #tokens()} has id {@code i}. Built from {@link
 * IdFormat#vocabulary(int)}, whose order puts the slot tokens last, so a vocabulary built for more
 * slots extends a smaller one without renumbering. Immutable.
 */
public final class TokenVocabulary {

  private final ImmutableList<String> tokens;
  private final ImmutableMap<String, Integer> ids;

  /**
   * A vocabulary over distinct tokens, numbered in the given order.
   *
   * @throws IllegalArgumentException on an empty list, a null or a repeated token
   */
  public TokenVocabulary(List<String> tokens) {
    checkNotNull(tokens, "tokens");
    checkArgument(!tokens.isEmpty(), "a vocabulary needs at least one token");
    this.tokens = ImmutableList.copyOf(tokens);
    ImmutableMap.Builder<String, Integer> builder =
        ImmutableMap.builderWithExpectedSize(tokens.size());
    for (int i = 0; i < this.tokens.size(); i++) {
      builder.put(this.tokens.get(i), i);
    }
    this.ids = builder.buildOrThrow();
  }

  /** The vocabulary of a format for collision slots {@code 0 .. slotCount-1}. */
  public static TokenVocabulary of(IdFormat format, int slotCount) {
    checkNotNull(format, "format");
    return new TokenVocabulary(format.vocabulary(slotCount));
  }

  /** Number of tokens. */
  public int size() {
    return tokens.size();
  }

  /** The tokens, in id order. */
  public ImmutableList<String> tokens() {
    return tokens;
  }

  /** The token with a given id. */
  public String token(int id) {
    checkElementIndex(id, tokens.size(), "token id");
    return tokens.get(id);
  }

  /** The id of a token, or empty when the token is not in this vocabulary. */
  public OptionalInt find(String token) {
    Integer id = ids.get(checkNotNull(token, "token"));
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  /**
   * The id of a token.
   *
   * @throws IllegalArgumentException naming the token when it is not in this vocabulary
   */
  public int id(String token) {
    Integer id = ids.get(checkNotNull(token, "token"));
    checkArgument(id != null, "token '%s' is not in this vocabulary of %s tokens", token, size());
    return id;
  }

  /** The ids of a token list (each token must be in the vocabulary). */
  public int[] encode(List<String> tokenList) {
    checkNotNull(tokenList, "tokenList");
    int[] out = new int[tokenList.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = id(tokenList.get(i));
    }
    return out;
  }

  /** The tokens of an id list (each id must be in range). */
  public ImmutableList<String> decode(int[] tokenIds) {
    checkNotNull(tokenIds, "tokenIds");
    ImmutableList.Builder<String> out = ImmutableList.builderWithExpectedSize(tokenIds.length);
    for (int id : tokenIds) {
      out.add(token(id));
    }
    return out.build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenVocabulary other && tokens.equals(other.tokens);
  }

  @Override
  public int hashCode() {
    return tokens.hashCode();
  }

  @Override
  public String toString() {
    return "TokenVocabulary[" + tokens.size() + " tokens]";
  }
}
