package org.refinepoi.core.sid;

/**
 * A token string or token list that is not a well-formed semantic ID of a format's {@link IdSpace}.
 * The message names the offending token (by position and text) and what was expected there.
 */
public final class IdParseException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final int tokenIndex;

  /**
   * A parse error.
   *
   * @param tokenIndex 0-based position of the offending token, or -1 when the error concerns the
   *     whole input (for example the number of tokens)
   * @param message the reason, naming the token and what was expected
   */
  public IdParseException(int tokenIndex, String message) {
    super(message);
    this.tokenIndex = tokenIndex;
  }

  /** 0-based position of the offending token, or -1 when the error concerns the whole input. */
  public int tokenIndex() {
    return tokenIndex;
  }
}
