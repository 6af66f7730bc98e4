package org.refinepoi.rl.reward;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * Why (part of) a model answer did not parse.
 *
 * @param reason the kind of problem
 * @param detail what was found, for logs (for example the offending token)
 */
public record ParseProblem(Reason reason, String detail) {

  /** The kinds of parse problem. */
  public enum Reason {
    /** No {@code <answer>...</answer>} block. */
    MISSING_ANSWER_TAG,
    /** The answer block holds no ID at all. */
    EMPTY_ANSWER,
    /** Text that is not a {@code <...>} token, or a token outside the vocabulary. */
    UNKNOWN_TOKEN,
    /**
     * Tokens that do not form an ID of the format: wrong order, missing levels, a coordinate
     * outside the lattice, a non-canonical number (the detail is the format's message).
     */
    MALFORMED_ID,
    /** A well-formed ID that names no POI of the catalogue. */
    INVALID_ID,
    /** More than k items. */
    TOO_MANY_ITEMS
  }

  /** Checks for nulls. */
  public ParseProblem {
    checkNotNull(reason, "reason");
    checkNotNull(detail, "detail");
  }
}
