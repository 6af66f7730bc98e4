package org.refinepoi.examples.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.refinepoi.core.math.FloatMatrix;

/**
 * A minimal float32 {@code .npy} reader/writer for the benchmark command, until {@code
 * org.refinepoi.core.io.Npy} lands on main (same signatures, so the swap is a rename). Reads format
 * 1.0/2.0, {@code '<f4'}, C order, 2-D; anything else is refused with the file's name.
 */
final class NpyFiles {

  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\((\\d+),\\s*(\\d+)\\s*\\)");

  private NpyFiles() {}

  static FloatMatrix read(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    if (all.length < 10 || (all[0] & 0xff) != 0x93 || all[1] != 'N' || all[2] != 'U') {
      throw new IOException(file + ": not a .npy file (bad magic)");
    }
    int major = all[6];
    int headerLen;
    int start;
    if (major == 1) {
      headerLen = Short.toUnsignedInt(b.getShort(8));
      start = 10;
    } else if (major == 2 || major == 3) {
      headerLen = b.getInt(8);
      start = 12;
    } else {
      throw new IOException(file + ": unsupported .npy version " + major);
    }
    String header = new String(all, start, headerLen, StandardCharsets.ISO_8859_1);
    if (!header.contains("'descr': '<f4'")) {
      throw new IOException(file + ": only little-endian float32 ('<f4') is supported: " + header);
    }
    if (!header.contains("'fortran_order': False")) {
      throw new IOException(file + ": Fortran order is not supported");
    }
    Matcher m = SHAPE.matcher(header);
    if (!m.find()) {
      throw new IOException(file + ": expected a 2-D shape, header " + header.trim());
    }
    int rows = Integer.parseInt(m.group(1));
    int cols = Integer.parseInt(m.group(2));
    int dataStart = start + headerLen;
    long expected = (long) rows * cols * 4;
    if (all.length - dataStart != expected) {
      throw new IOException(
          file + ": expected " + expected + " data bytes, found " + (all.length - dataStart));
    }
    float[] v = new float[rows * cols];
    b.position(dataStart);
    b.asFloatBuffer().get(v);
    return FloatMatrix.wrap(rows, cols, v);
  }

  static void write(Path file, FloatMatrix matrix) throws IOException {
    String dict =
        "{'descr': '<f4', 'fortran_order': False, 'shape': ("
            + matrix.rows()
            + ", "
            + matrix.cols()
            + "), }";
    int total = 10 + dict.length() + 1;
    int pad = (64 - total % 64) % 64;
    String header = dict + " ".repeat(pad) + "\n";
    ByteBuffer b =
        ByteBuffer.allocate(10 + header.length() + matrix.rows() * matrix.cols() * 4)
            .order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.US_ASCII));
    for (float f : matrix.unsafeData()) {
      b.putFloat(f);
    }
    Path abs = file.toAbsolutePath();
    Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
    try {
      Files.write(tmp, b.array());
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
