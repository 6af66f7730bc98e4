package org.refinepoi.core.sid;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.List;

/**
 * How semantic IDs of one {@link IdSpace} are written as tokens for a language model, and read
 * back. Every token has the form {@code <...>}; an ID is always the same number of tokens ({@link
 * #tokensPerId()}), and rendering is canonical, so {@code parse(render(id)).equals(id)} and parsing
 * accepts only the canonical form.
 *
 * <p>Implementations are immutable and bound to their ID space. Two built-in formats: {@link
 * LatticeTokenFormat} (one token per level, the default) and {@link RowColumnTokenFormat} (row and
 * column as separate tokens). The {@link #name()} is stored in index files.
 */
public interface IdFormat {

  /** A stable name for this format, stored in index files (for example {@code "lattice"}). */
  String name();

  /** The ID space this format writes. */
  IdSpace space();

  /** The number of tokens every ID renders to. */
  int tokensPerId();

  /**
   * The tokens of an ID, in order.
   *
   * @throws IllegalArgumentException when the ID is not a member of {@link #space()}
   */
  List<String> tokensOf(SemanticId id);

  /** The tokens of an ID, concatenated without separators. */
  default String render(SemanticId id) {
    return String.join("", tokensOf(id));
  }

  /**
   * Reads an ID from its token list.
   *
   * @throws IdParseException naming the offending token and what was expected there
   */
  SemanticId parseTokens(List<String> tokens);

  /**
   * Reads an ID from its rendered string ({@link #render}): the tokens concatenated with nothing
   * between or around them.
   *
   * @throws IdParseException naming the offending token or character and what was expected
   */
  default SemanticId parse(String text) {
    return parseTokens(splitTokens(text));
  }

  /**
   * Every token this format can produce for IDs whose collision slot is below {@code slotCount}:
   * the lattice tokens level by level, then the slot tokens {@code 0 .. slotCount-1} last, so that
   * growing {@code slotCount} only appends (dense token ids stay stable, see {@link
   * TokenVocabulary}).
   *
   * @param slotCount number of collision slots, at least 1
   */
  List<String> vocabulary(int slotCount);

  /**
   * The number of lattice tokens of {@link #vocabulary}: its size less the slot tokens. The
   * built-in formats count them without building the list, so the size of an ID space can be
   * checked before its vocabulary is made.
   */
  default long latticeTokenCount() {
    return vocabulary(1).size() - 1L;
  }

  /**
   * Splits a rendered ID into its {@code <...>} tokens, without checking their contents.
   *
   * @throws IdParseException when the text is not a sequence of {@code <...>} tokens
   */
  static List<String> splitTokens(String text) {
    checkNotNull(text, "text");
    if (text.isEmpty()) {
      throw new IdParseException(-1, "empty text: expected a semantic ID such as <a_0_0><b_0>");
    }
    List<String> tokens = new ArrayList<>();
    int pos = 0;
    while (pos < text.length()) {
      if (text.charAt(pos) != '<') {
        throw new IdParseException(
            tokens.size(),
            "character %d of '%s': expected '<' to open token %d, found '%c'"
                .formatted(pos, text, tokens.size(), text.charAt(pos)));
      }
      int close = text.indexOf('>', pos + 1);
      int nextOpen = text.indexOf('<', pos + 1);
      if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
        throw new IdParseException(
            tokens.size(),
            "character %d of '%s': token %d opened with '<' is not closed with '>'"
                .formatted(pos, text, tokens.size()));
      }
      tokens.add(text.substring(pos, close + 1));
      pos = close + 1;
    }
    return tokens;
  }
}
