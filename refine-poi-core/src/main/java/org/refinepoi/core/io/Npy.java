package org.refinepoi.core.io;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.refinepoi.core.math.FloatMatrix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes 2-D float matrices in NumPy's {@code .npy} format, the interchange format of the
 * benchmark contract (docs/benchmarks.md).
 *
 * <p>Reading accepts format versions 1.0, 2.0 and 3.0, C order, little-endian {@code float32}
 * ({@code '<f4'}) and little-endian {@code float64} ({@code '<f8'}, converted to float32; a value
 * outside the float range is rejected). A 2-D array {@code (n, d)} becomes an n×d matrix; a 1-D
 * array {@code (n,)} becomes a single row 1×n (like {@code numpy.atleast_2d}). Rejected, with a
 * message naming the file: a bad magic string or header, Fortran order, big-endian or any other
 * dtype, 0-D or 3-D and higher shapes, empty shapes, a file shorter than its header promises
 * (truncated) or longer (trailing bytes), and NaN or infinite values (with their row and column); a
 * matrix larger than the free heap is refused before its array is allocated ({@link MemoryBudget}).
 * The values stream through a fixed-size buffer into the single {@code float[]} the matrix owns, so
 * a 256 MB file costs 256 MB of heap, not twice that.
 *
 * <p>Writing produces version 1.0, {@code '<f4'}, C order, with the header padded to a multiple of
 * 64 bytes exactly as {@code numpy.save} does. Writes are atomic: the data goes to a temporary file
 * in the target's directory, is forced to disk, then moved over the target with {@link
 * StandardCopyOption#ATOMIC_MOVE}.
 *
 * <p>The {@code .npy} format carries no checksum; integrity checks here are structural (header,
 * exact length, finite values). Formats owned by the SDK add their own checksums.
 */
public final class Npy {

  private static final Logger log = LoggerFactory.getLogger(Npy.class);

  /** The six magic bytes that open every {@code .npy} file. */
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  /** Alignment of the data start that NumPy uses for the header padding. */
  private static final int HEADER_ALIGNMENT = 64;

  /** I/O buffer size: large enough for throughput, small next to the matrix. */
  private static final int BUFFER_BYTES = 1 << 20;

  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private Npy() {}

  /**
   * Reads a float matrix from a {@code .npy} file.
   *
   * @throws NpyFormatException when the file is not a supported, intact {@code .npy} matrix
   * @throws NotEnoughMemoryException when the matrix is larger than the free heap
   * @throws IOException when the file cannot be read
   */
  public static FloatMatrix read(Path file) throws IOException {
    checkNotNull(file, "file");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      Header header = readHeader(file, channel);
      long fileSize = channel.size();
      long expectedBytes = header.rows * header.cols * header.itemSize;
      long available = fileSize - header.dataOffset;
      if (available < expectedBytes) {
        throw new NpyFormatException(
            "%s: truncated: shape (%d, %d) of %s needs %d data bytes, the file has %d"
                .formatted(file, header.rows, header.cols, header.descr, expectedBytes, available));
      }
      if (available > expectedBytes) {
        throw new NpyFormatException(
            "%s: %d trailing bytes after the %d data bytes of shape (%d, %d)"
                .formatted(
                    file, available - expectedBytes, expectedBytes, header.rows, header.cols));
      }
      MemoryBudget.require(
          header.rows * header.cols * Float.BYTES,
          "reading %s (%d x %d %s)".formatted(file, header.rows, header.cols, header.descr));
      float[] values = new float[Math.toIntExact(header.rows * header.cols)];
      readValues(file, channel, header, values);
      log.debug("read {}x{} {} matrix from {}", header.rows, header.cols, header.descr, file);
      return FloatMatrix.wrap((int) header.rows, (int) header.cols, values);
    }
  }

  /**
   * Writes a matrix as a little-endian float32 {@code .npy} file, atomically replacing any existing
   * file.
   *
   * @throws IOException when the file cannot be written; the target is then left unchanged
   */
  public static void write(Path file, FloatMatrix matrix) throws IOException {
    checkNotNull(file, "file");
    checkNotNull(matrix, "matrix");
    Files.createDirectories(file.toAbsolutePath().getParent());
    AtomicFiles.write(
        file,
        channel -> {
          AtomicFiles.writeFully(channel, ByteBuffer.wrap(header(matrix.rows(), matrix.cols())));
          ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
          float[] data = matrix.unsafeData();
          int floatsPerBuffer = BUFFER_BYTES / Float.BYTES;
          for (int start = 0; start < data.length; start += floatsPerBuffer) {
            int count = Math.min(floatsPerBuffer, data.length - start);
            buffer.clear();
            buffer.asFloatBuffer().put(data, start, count);
            buffer.limit(count * Float.BYTES);
            AtomicFiles.writeFully(channel, buffer);
          }
        });
    log.debug("wrote {}x{} float32 matrix to {}", matrix.rows(), matrix.cols(), file);
  }

  /** The header bytes (magic, version, length, padded dict) numpy.save writes for this shape. */
  static byte[] header(int rows, int cols) {
    String dict =
        "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }".formatted(rows, cols);
    // Version 1.0: a 2-byte header length, ample for a 2-D shape (versions 2.0 and 3.0 exist for
    // headers over 64 KiB and for non-Latin-1 field names, neither of which a matrix needs).
    int prefix = MAGIC.length + 2 + 2;
    int unpadded = prefix + dict.length() + 1;
    int total = roundUp(unpadded, HEADER_ALIGNMENT);
    String padded = dict + " ".repeat(total - unpadded) + "\n";
    ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) 1).put((byte) 0);
    out.putShort((short) (total - prefix));
    out.put(padded.getBytes(StandardCharsets.US_ASCII));
    return out.array();
  }

  private static int roundUp(int value, int multiple) {
    return (value + multiple - 1) / multiple * multiple;
  }

  private record Header(String descr, long rows, long cols, int itemSize, long dataOffset) {}

  private static Header readHeader(Path file, FileChannel channel) throws IOException {
    ByteBuffer preamble = ByteBuffer.allocate(MAGIC.length + 2).order(ByteOrder.LITTLE_ENDIAN);
    readFully(file, channel, preamble, "the magic string");
    for (int i = 0; i < MAGIC.length; i++) {
      if (preamble.get(i) != MAGIC[i]) {
        throw new NpyFormatException(file + ": not a .npy file (bad magic string)");
      }
    }
    int major = preamble.get(MAGIC.length) & 0xFF;
    int minor = preamble.get(MAGIC.length + 1) & 0xFF;
    if (major < 1 || major > 3 || minor != 0) {
      throw new NpyFormatException(
          "%s: unsupported .npy format version %d.%d (supported: 1.0, 2.0, 3.0)"
              .formatted(file, major, minor));
    }
    ByteBuffer lengthBytes = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
    readFully(file, channel, lengthBytes, "the header length");
    long headerLength =
        major == 1 ? Short.toUnsignedInt(lengthBytes.getShort(0)) : lengthBytes.getInt(0);
    if (headerLength <= 0 || headerLength > (1 << 24)) {
      throw new NpyFormatException(
          "%s: implausible .npy header length %d".formatted(file, headerLength));
    }
    ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
    readFully(file, channel, headerBytes, "the header");
    String dict =
        new String(
                headerBytes.array(),
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1)
            .strip();
    long dataOffset = MAGIC.length + 2 + lengthBytes.capacity() + headerLength;

    String descr = group(file, DESCR, dict, "descr");
    String fortran = group(file, FORTRAN, dict, "fortran_order");
    String shapeText = group(file, SHAPE, dict, "shape");
    if (fortran.equals("True")) {
      throw new NpyFormatException(
          file + ": Fortran-order arrays are not supported; save a C-order array");
    }
    int itemSize =
        switch (descr) {
          case "<f4" -> 4;
          case "<f8" -> 8;
          case ">f4", ">f8" ->
              throw new NpyFormatException(
                  "%s: big-endian dtype %s is not supported; save little-endian float32 ('<f4')"
                      .formatted(file, descr));
          default ->
              throw new NpyFormatException(
                  "%s: unsupported dtype %s; expected float32 ('<f4') or float64 ('<f8')"
                      .formatted(file, descr));
        };
    long[] shape = parseShape(file, shapeText);
    long rows;
    long cols;
    if (shape.length == 1) {
      rows = 1;
      cols = shape[0];
    } else if (shape.length == 2) {
      rows = shape[0];
      cols = shape[1];
    } else {
      throw new NpyFormatException(
          "%s: a matrix needs a 1-D or 2-D array, the shape is (%s)".formatted(file, shapeText));
    }
    if (rows < 1 || cols < 1) {
      throw new NpyFormatException(
          "%s: empty array of shape (%s); a matrix needs rows, cols >= 1"
              .formatted(file, shapeText));
    }
    if (cols > (Integer.MAX_VALUE - 8) / rows) {
      throw new NpyFormatException(
          "%s: shape (%s) has more values than a Java array holds".formatted(file, shapeText));
    }
    return new Header(descr, rows, cols, itemSize, dataOffset);
  }

  private static String group(Path file, Pattern pattern, String dict, String key)
      throws NpyFormatException {
    Matcher m = pattern.matcher(dict);
    if (!m.find()) {
      throw new NpyFormatException(
          "%s: .npy header has no valid '%s' entry: %s".formatted(file, key, dict));
    }
    return m.group(1);
  }

  private static long[] parseShape(Path file, String shapeText) throws NpyFormatException {
    String trimmed = shapeText.strip();
    if (trimmed.isEmpty()) {
      return new long[0];
    }
    String[] parts = trimmed.split(",", -1);
    int count = parts[parts.length - 1].isBlank() ? parts.length - 1 : parts.length;
    long[] shape = new long[count];
    for (int i = 0; i < count; i++) {
      try {
        String part = parts[i].strip();
        // NumPy under Python 2 wrote long dimensions with an L suffix: (3L, 4L).
        if (part.endsWith("L")) {
          part = part.substring(0, part.length() - 1);
        }
        shape[i] = Long.parseLong(part);
      } catch (NumberFormatException e) {
        throw new NpyFormatException(
            "%s: bad shape (%s) in the .npy header".formatted(file, shapeText), e);
      }
      if (shape[i] < 0) {
        throw new NpyFormatException(
            "%s: negative dimension in shape (%s)".formatted(file, shapeText));
      }
    }
    return shape;
  }

  private static void readValues(Path file, FileChannel channel, Header header, float[] values)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    int filled = 0;
    int cols = (int) header.cols;
    while (filled < values.length) {
      buffer.clear();
      long remainingBytes = (long) (values.length - filled) * header.itemSize;
      if (remainingBytes < buffer.capacity()) {
        buffer.limit((int) remainingBytes);
      }
      readFully(file, channel, buffer, "the data");
      int count = buffer.limit() / header.itemSize;
      if (header.itemSize == Float.BYTES) {
        buffer.asFloatBuffer().get(values, filled, count);
        for (int i = filled; i < filled + count; i++) {
          if (!Float.isFinite(values[i])) {
            throw nonFinite(file, i, cols, values[i]);
          }
        }
      } else {
        var doubles = buffer.asDoubleBuffer();
        for (int i = 0; i < count; i++) {
          double v = doubles.get(i);
          float f = (float) v;
          if (!Float.isFinite(f)) {
            throw nonFinite(file, filled + i, cols, v);
          }
          values[filled + i] = f;
        }
      }
      filled += count;
    }
  }

  private static NpyFormatException nonFinite(Path file, int flatIndex, int cols, double value) {
    return new NpyFormatException(
        "%s: value at row %d, column %d is %s (as float32); matrices must be finite"
            .formatted(file, flatIndex / cols, flatIndex % cols, value));
  }

  private static void readFully(Path file, FileChannel channel, ByteBuffer buffer, String what)
      throws IOException {
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new NpyFormatException("%s: truncated while reading %s".formatted(file, what));
      }
    }
    buffer.flip();
  }
}
