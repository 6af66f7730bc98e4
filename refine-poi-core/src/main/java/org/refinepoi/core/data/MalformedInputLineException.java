package org.refinepoi.core.data;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;

/**
 * A line of a check-in file that cannot be read, thrown by a strict load. The message names the
 * file, the 1-based line number and the reason, for example {@code checkins.tsv:17: latitude out of
 * range [-90, 90]: 123.0}.
 */
public final class MalformedInputLineException extends IOException {

  private static final long serialVersionUID = 1L;

  private final String file;
  private final long lineNumber;
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param file the file's name as the user gave it
   * @param lineNumber the 1-based line number
   * @param reason what is wrong with the line
   */
  public MalformedInputLineException(String file, long lineNumber, String reason) {
    super(checkNotNull(file, "file") + ":" + lineNumber + ": " + checkNotNull(reason, "reason"));
    this.file = file;
    this.lineNumber = lineNumber;
    this.reason = reason;
  }

  /** The file's name as the user gave it. */
  public String file() {
    return file;
  }

  /** The 1-based line number. */
  public long lineNumber() {
    return lineNumber;
  }

  /** What is wrong with the line. */
  public String reason() {
    return reason;
  }
}
