package org.refinepoi.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads a stream line by line as byte ranges of one reusable buffer, so a large file is never held
 * in memory as text: the check-in loaders read with it, and so can readers of other line-based
 * files (JSON Lines), which then decode each line themselves. A line ends at {@code \n}; a trailing
 * {@code \r} is dropped; a last line without a newline counts. A UTF-8 byte-order mark at the start
 * of the stream is skipped.
 *
 * <p>After {@link #next()} returns true, the current line is {@code buffer()[lineStart(),
 * lineEnd())}, valid until the next call, unless {@link #problem()} tells why the line cannot be
 * read: a line longer than {@link CheckInLoader#MAX_LINE_BYTES} (its bytes are skipped, so memory
 * stays bounded whatever the input), or a byte-order mark at the start of a later line (two files
 * concatenated). The start of the stream is checked first: a compressed file (gzip, zip, bzip2, xz,
 * zstd) or UTF-16/UTF-32 text fails with a {@link MalformedInputLineException} that says so,
 * instead of field errors on every line.
 */
public final class ByteLineReader implements Closeable {

  private static final int INITIAL_BUFFER = 1 << 20;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

  private final InputStream in;
  private final String fileName;
  private final int maxLine;
  private byte[] buf;
  private int pos;
  private int limit;
  private int scanned;
  private boolean eof;
  private boolean started;
  private long lineNumber;
  private int lineStart;
  private int lineEnd;
  private String problem;

  /**
   * A reader of a check-in file's stream, with lines of at most {@link
   * CheckInLoader#MAX_LINE_BYTES}.
   *
   * @param in the stream, closed by {@link #close}
   * @param fileName the file as the user gave it, for messages
   */
  public ByteLineReader(InputStream in, String fileName) {
    this(in, fileName, CheckInLoader.MAX_LINE_BYTES);
  }

  /**
   * A reader with another line limit.
   *
   * @param in the stream, closed by {@link #close}
   * @param fileName the file as the user gave it, for messages
   * @param maxLine the longest line read, in bytes, at least 1; the buffer grows to about twice
   *     that at most
   */
  public ByteLineReader(InputStream in, String fileName, int maxLine) {
    this.in = checkNotNull(in, "in");
    this.fileName = checkNotNull(fileName, "fileName");
    checkArgument(maxLine >= 1, "maxLine must be >= 1, got %s", maxLine);
    this.maxLine = maxLine;
    this.buf = new byte[Math.min(INITIAL_BUFFER, maxLine + 1)];
  }

  /**
   * Advances to the next line; false at the end of the stream.
   *
   * @throws MalformedInputLineException at the first call, when the stream is compressed or not in
   *     an 8-bit encoding
   */
  public boolean next() throws IOException {
    if (!started) {
      started = true;
      checkStart();
    }
    problem = null;
    while (true) {
      int nl = indexOfNewline(buf, Math.max(pos, scanned), limit);
      if (nl >= 0) {
        setLine(pos, nl);
        pos = nl + 1;
        scanned = pos;
        return true;
      }
      scanned = limit;
      if (limit - pos > maxLine) {
        skipLongLine();
        return true;
      }
      if (eof) {
        if (pos < limit) {
          setLine(pos, limit);
          pos = limit;
          return true;
        }
        return false;
      }
      fill();
    }
  }

  private void setLine(int from, int newline) {
    lineStart = from;
    lineEnd = newline > from && buf[newline - 1] == '\r' ? newline - 1 : newline;
    lineNumber++;
    if (lineEnd - lineStart > maxLine) {
      tooLong();
    } else if (lineNumber > 1 && startsWithByteOrderMark(buf, lineStart, lineEnd)) {
      problem =
          "byte-order mark at the start of the line: were two files concatenated? (remove the"
              + " bytes EF BB BF)";
    }
  }

  private void tooLong() {
    lineEnd = lineStart;
    problem =
        "line is longer than %d bytes (a binary file, or lost line breaks?)".formatted(maxLine);
  }

  /** Drops the bytes of an overlong line up to its newline, keeping the buffer's size. */
  private void skipLongLine() throws IOException {
    pos = limit;
    scanned = limit;
    while (true) {
      int nl = indexOfNewline(buf, scanned, limit);
      if (nl >= 0) {
        pos = nl + 1;
        scanned = pos;
        break;
      }
      pos = limit;
      scanned = limit;
      if (eof) {
        break;
      }
      fill();
    }
    lineStart = pos;
    lineNumber++;
    tooLong();
  }

  private static boolean startsWithByteOrderMark(byte[] b, int from, int to) {
    return to - from >= 3
        && (b[from] & 0xFF) == 0xEF
        && (b[from + 1] & 0xFF) == 0xBB
        && (b[from + 2] & 0xFF) == 0xBF;
  }

  /**
   * Why the current line cannot be read (too long, or a byte-order mark inside the file), or null
   * when it can; a line with a problem has no content.
   */
  public String problem() {
    return problem;
  }

  /** First {@code \n} in {@code b[from, to)}, or -1; eight bytes at a time (SWAR). */
  static int indexOfNewline(byte[] b, int from, int to) {
    int i = from;
    for (; i + Long.BYTES <= to; i += Long.BYTES) {
      long x = (long) LONGS.get(b, i) ^ NEWLINES;
      // The lowest set high bit marks the first zero byte of x, that is the first newline.
      long found = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Refuses compressed and 16/32-bit encoded streams, and skips a UTF-8 byte-order mark. */
  private void checkStart() throws IOException {
    while (!eof && limit < 8) {
      fill();
    }
    String kind = binaryKind(buf, limit);
    if (kind != null) {
      throw new MalformedInputLineException(fileName, 1, kind);
    }
    if (startsWithByteOrderMark(buf, 0, limit)) {
      pos = 3;
      scanned = 3;
    }
  }

  /** What a file starting with these bytes is, when it is not 8-bit text; null for text. */
  static String binaryKind(byte[] b, int length) {
    if (starts(b, length, 0x1F, 0x8B)) {
      return "the file is gzip-compressed: decompress it first (gunzip)";
    }
    if (starts(b, length, 0x50, 0x4B, 0x03, 0x04)) {
      return "the file is a zip archive: extract the check-in file from it first (unzip)";
    }
    if (starts(b, length, 0x42, 0x5A, 0x68) && length > 3 && b[3] >= '1' && b[3] <= '9') {
      return "the file is bzip2-compressed: decompress it first (bunzip2)";
    }
    if (starts(b, length, 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00)) {
      return "the file is xz-compressed: decompress it first (unxz)";
    }
    if (starts(b, length, 0x28, 0xB5, 0x2F, 0xFD)) {
      return "the file is zstd-compressed: decompress it first (unzstd)";
    }
    boolean utf16 =
        starts(b, length, 0xFF, 0xFE)
            || starts(b, length, 0xFE, 0xFF)
            // No byte-order mark, but ASCII text in UTF-16 has a zero byte every other byte.
            || (length >= 4 && b[0] != 0 && b[1] == 0 && b[2] != 0 && b[3] == 0)
            || (length >= 4 && b[0] == 0 && b[1] != 0 && b[2] == 0 && b[3] != 0);
    if (utf16 || starts(b, length, 0x00, 0x00, 0xFE, 0xFF)) {
      return "wrong encoding: the file is UTF-16 or UTF-32 text; convert it to UTF-8 first (for"
          + " example iconv -f UTF-16 -t UTF-8)";
    }
    return null;
  }

  private static boolean starts(byte[] b, int length, int... prefix) {
    if (length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Moves the unread tail to the front (growing the buffer for a very long line) and reads more.
   */
  private void fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      limit -= pos;
      scanned -= pos;
      pos = 0;
    }
    if (limit == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
    } else {
      limit += n;
    }
  }

  /** The buffer holding the current line at {@code [lineStart(), lineEnd())}. */
  public byte[] buffer() {
    return buf;
  }

  /** Where the current line starts in {@link #buffer()}. */
  public int lineStart() {
    return lineStart;
  }

  /** Where the current line ends in {@link #buffer()}, its line break and a {@code \r} excluded. */
  public int lineEnd() {
    return lineEnd;
  }

  /** 1-based number of the current line. */
  public long lineNumber() {
    return lineNumber;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
