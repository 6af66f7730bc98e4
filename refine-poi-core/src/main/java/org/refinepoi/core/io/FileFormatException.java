package org.refinepoi.core.io;

import java.io.IOException;

/**
 * A file that this library refuses to decode: not of the expected kind, written by a newer version,
 * cut short, or corrupt. The message names the file and the reason. Every decoder of the SDK's own
 * file formats throws this type or a subclass, so a caller can tell a bad file from a failing disk
 * (a plain {@link IOException}).
 */
public class FileFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  /**
   * An exception with a message that names the file and the reason.
   *
   * @param message the reason in words, naming the file
   */
  public FileFormatException(String message) {
    super(message);
  }

  /**
   * An exception with a message and the decoding error behind it.
   *
   * @param message the reason in words, naming the file
   * @param cause what failed while decoding
   */
  public FileFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
