package org.refinepoi.core.data;

/**
 * Internal signal that a field of the current line is malformed; the loader turns it into a {@link
 * MalformedInputLineException} (strict) or a {@link LineProblem} (lenient). Carries no stack trace
 * because it is an expected outcome on bad input, not a bug.
 */
final class BadFieldException extends Exception {

  private static final long serialVersionUID = 1L;

  BadFieldException(String reason) {
    super(reason, null, false, false);
  }
}
