package org.refinepoi.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * A malformed line skipped by a lenient load.
 *
 * @param lineNumber the 1-based line number in the file
 * @param reason what is wrong with it
 */
public record LineProblem(long lineNumber, String reason) {

  /** Validates the fields. */
  public LineProblem {
    checkArgument(lineNumber >= 1, "line numbers are 1-based, got %s", lineNumber);
    checkNotNull(reason, "reason");
  }

  @Override
  public String toString() {
    return "line " + lineNumber + ": " + reason;
  }
}
