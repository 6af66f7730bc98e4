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
    /** A token or text that is not an ID token of this format. */
    UNKNOWN_TOKEN,
    /** ID tokens in the wrong order or an ID with missing levels. */
    MALFORMED_ID,
    /** A well-formed ID outside the lattices, or not in the ID index. */
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
