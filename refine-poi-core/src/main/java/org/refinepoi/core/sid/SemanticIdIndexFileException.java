package org.refinepoi.core.sid;

import static com.google.common.base.Preconditions.checkNotNull;

import org.refinepoi.core.io.FileFormatException;

/**
 * A semantic-ID index file that cannot be loaded: not an index file at all, written by a newer
 * library, cut short, or corrupt. {@link #problem()} tells which; the message says it in words and
 * names the file.
 */
public final class SemanticIdIndexFileException extends FileFormatException {

  private static final long serialVersionUID = 1L;

  /** Why a file was refused. */
  public enum Problem {
    /** The file does not start with the index magic: it is some other file. */
    NOT_AN_INDEX,
    /** The file's format version is newer than this library reads. */
    NEWER_VERSION,
    /** The file ends before the length its header announces. */
    TRUNCATED,
    /** The checksum does not match, or the contents are inconsistent. */
    CORRUPT,
    /** The file names an ID format this library does not know and no factory was given. */
    UNKNOWN_FORMAT
  }

  /** The reason, as an enum. */
  private final Problem problem;

  /**
   * An exception for a refused file.
   *
   * @param problem why the file was refused
   * @param message the reason in words, naming the file
   */
  public SemanticIdIndexFileException(Problem problem, String message) {
    super(message);
    this.problem = checkNotNull(problem, "problem");
  }

  /**
   * An exception for a refused file, with the low-level cause.
   *
   * @param problem why the file was refused
   * @param message the reason in words, naming the file
   * @param cause what failed while decoding
   */
  public SemanticIdIndexFileException(Problem problem, String message, Throwable cause) {
    super(message, cause);
    this.problem = checkNotNull(problem, "problem");
  }

  /** Why the file was refused. */
  public Problem problem() {
    return problem;
  }
}
