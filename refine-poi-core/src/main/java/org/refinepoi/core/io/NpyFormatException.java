package org.refinepoi.core.io;

/** A file that is not a supported, intact {@code .npy} matrix; the message names the file. */
public final class NpyFormatException extends FileFormatException {

  private static final long serialVersionUID = 1L;

  /** An exception with a message that names the file and the reason. */
  public NpyFormatException(String message) {
    super(message);
  }

  /** An exception with a message and the parsing error behind it. */
  public NpyFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
