package org.refinepoi.examples.interop;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import org.refinepoi.core.data.ByteLineReader;
import org.refinepoi.core.data.MalformedInputLineException;

/**
 * The lines of a JSON Lines file as strict UTF-8 text, with bounded memory: a line that is not
 * valid UTF-8, longer than {@link #MAX_LINE_BYTES}, or starts with a byte-order mark after the
 * first line fails with a {@link MalformedInputLineException} naming the file and the line, and so
 * does a compressed or UTF-16 file at its first line. Not thread-safe.
 */
final class JsonLines implements Closeable {

  /** The longest line read: 64 MiB, far above a prompt or a completion. */
  static final int MAX_LINE_BYTES = 64 << 20;

  private final ByteLineReader reader;
  private final String name;
  private final CharsetDecoder utf8 =
      UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  JsonLines(Path file) throws IOException {
    this.name = file.toString();
    this.reader = new ByteLineReader(Files.newInputStream(file), name, MAX_LINE_BYTES);
  }

  /**
   * The next line, or null at the end of the file.
   *
   * @throws MalformedInputLineException when the line cannot be read as text
   */
  String next() throws IOException {
    if (!reader.next()) {
      return null;
    }
    if (reader.problem() != null) {
      throw new MalformedInputLineException(name, reader.lineNumber(), reader.problem());
    }
    ByteBuffer bytes =
        ByteBuffer.wrap(reader.buffer(), reader.lineStart(), reader.lineEnd() - reader.lineStart());
    try {
      return utf8.decode(bytes).toString();
    } catch (CharacterCodingException e) {
      throw new MalformedInputLineException(
          name, reader.lineNumber(), "not valid UTF-8 text; save the file as UTF-8");
    }
  }

  /** The 1-based number of the line {@link #next} returned last. */
  long lineNumber() {
    return reader.lineNumber();
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
