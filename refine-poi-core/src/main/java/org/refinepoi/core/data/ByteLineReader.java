package org.refinepoi.core.data;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads a stream line by line as byte ranges of one reusable buffer, so a large file is never held
 * in memory as text. A line ends at {@code \n}; a trailing {@code \r} is dropped; a last line
 * without a newline counts. A UTF-8 byte-order mark at the start of the stream is skipped.
 *
 * <p>After {@link #next()} returns true, the current line is {@code buffer()[lineStart(),
 * lineEnd())}, valid until the next call.
 */
final class ByteLineReader implements Closeable {

  private static final int INITIAL_BUFFER = 1 << 20;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

  private final InputStream in;
  private byte[] buf = new byte[INITIAL_BUFFER];
  private int pos;
  private int limit;
  private int scanned;
  private boolean eof;
  private boolean started;
  private long lineNumber;
  private int lineStart;
  private int lineEnd;

  ByteLineReader(InputStream in) {
    this.in = in;
  }

  /** Advances to the next line; false at the end of the stream. */
  boolean next() throws IOException {
    if (!started) {
      started = true;
      skipByteOrderMark();
    }
    while (true) {
      int nl = indexOfNewline(buf, Math.max(pos, scanned), limit);
      if (nl >= 0) {
        setLine(pos, nl);
        pos = nl + 1;
        scanned = pos;
        return true;
      }
      scanned = limit;
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

  private void skipByteOrderMark() throws IOException {
    while (!eof && limit < 3) {
      fill();
    }
    if (limit >= 3
        && (buf[0] & 0xFF) == 0xEF
        && (buf[1] & 0xFF) == 0xBB
        && (buf[2] & 0xFF) == 0xBF) {
      pos = 3;
      scanned = 3;
    }
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

  byte[] buffer() {
    return buf;
  }

  int lineStart() {
    return lineStart;
  }

  int lineEnd() {
    return lineEnd;
  }

  /** 1-based number of the current line. */
  long lineNumber() {
    return lineNumber;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
