package org.refinepoi.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.math.FloatMatrix;

class NpyTest {

  @TempDir Path dir;

  /** Builds a .npy file the way numpy.save lays it out, for a given dict and version. */
  private static byte[] npyBytes(int major, String dict, ByteBuffer data) {
    int prefix = 6 + 2 + (major == 1 ? 2 : 4);
    int unpadded = prefix + dict.length() + 1;
    int total = (unpadded + 63) / 64 * 64;
    String padded = dict + " ".repeat(total - unpadded) + "\n";
    ByteBuffer header = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    header.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    if (major == 1) {
      header.putShort((short) (total - prefix));
    } else {
      header.putInt(total - prefix);
    }
    header.put(padded.getBytes(StandardCharsets.UTF_8));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header.array());
    byte[] payload = new byte[data.remaining()];
    data.get(payload);
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private static ByteBuffer floats(ByteOrder order, float... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(order);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.flip();
  }

  private static ByteBuffer doubles(double... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (double v : values) {
      b.putDouble(v);
    }
    return b.flip();
  }

  private Path file(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  @Test
  void headerIsByteForByteWhatNumpyWrites() {
    // numpy 2.x: np.save(f, np.arange(6, dtype='<f4').reshape(2, 3)) writes exactly this header.
    String expected =
        "\u0093NUMPY\u0001\u0000v\u0000{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
            + " ".repeat(58)
            + "\n";
    byte[] header = Npy.header(2, 3);
    assertThat(header).hasSize(128);
    assertThat(new String(header, StandardCharsets.ISO_8859_1)).isEqualTo(expected);
  }

  @Test
  void readsAHandWrittenNumpyFile() throws IOException {
    Path p =
        file(
            "hand.npy",
            npyBytes(
                1,
                "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                floats(ByteOrder.LITTLE_ENDIAN, 0, 1, 2, 3, 4, 5)));
    FloatMatrix m = Npy.read(p);
    assertThat(m.rows()).isEqualTo(2);
    assertThat(m.cols()).isEqualTo(3);
    assertThat(m.toArray()).containsExactly(0, 1, 2, 3, 4, 5);
  }

  @Test
  void readsVersionsTwoAndThreeAndKeysInAnyOrder() throws IOException {
    for (int major : new int[] {2, 3}) {
      Path p =
          file(
              "v" + major + ".npy",
              npyBytes(
                  major,
                  "{'shape': (1, 2), 'fortran_order': False, 'descr': '<f4'}",
                  floats(ByteOrder.LITTLE_ENDIAN, 7.5f, -1f)));
      assertThat(Npy.read(p)).isEqualTo(FloatMatrix.of(1, 2, new float[] {7.5f, -1f}));
    }
  }

  @Test
  void convertsFloat64() throws IOException {
    Path p =
        file(
            "f8.npy",
            npyBytes(
                1,
                "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1), }",
                doubles(0.1, 1e10)));
    assertThat(Npy.read(p).toArray()).containsExactly(0.1f, 1e10f);
  }

  @Test
  void readsPython2LongShapes() throws IOException {
    Path p =
        file(
            "py2.npy",
            npyBytes(
                1,
                "{'descr': '<f4', 'fortran_order': False, 'shape': (1L, 2L), }",
                floats(ByteOrder.LITTLE_ENDIAN, 3, 4)));
    assertThat(Npy.read(p).toArray()).containsExactly(3, 4);
  }

  @Test
  void oneDimensionalArrayIsOneRow() throws IOException {
    Path p =
        file(
            "vec.npy",
            npyBytes(
                1,
                "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }",
                floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3)));
    FloatMatrix m = Npy.read(p);
    assertThat(m.rows()).isEqualTo(1);
    assertThat(m.cols()).isEqualTo(3);
  }

  @Property(tries = 40)
  void writeThenReadIsIdentity(
      @ForAll @IntRange(min = 1, max = 300) int rows,
      @ForAll @IntRange(min = 1, max = 70) int cols,
      @ForAll long seed)
      throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    float[] data = new float[rows * cols];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-30, 30)));
    }
    FloatMatrix m = FloatMatrix.of(rows, cols, data);
    Path dirForTry = Files.createTempDirectory("npy");
    Path p = dirForTry.resolve("m.npy");
    Npy.write(p, m);
    assertThat(Npy.read(p)).isEqualTo(m);
    assertThat(Files.size(p) % 4).isZero();
    assertThat(Files.size(p)).isEqualTo(Npy.header(rows, cols).length + 4L * rows * cols);
    Files.delete(p);
    Files.delete(dirForTry);
  }

  @Test
  void roundTripLargerThanTheBuffer() throws IOException {
    int rows = 5000;
    int cols = 64; // 1.28 MB: crosses the 1 MB I/O buffer in both directions
    float[] data = new float[rows * cols];
    for (int i = 0; i < data.length; i++) {
      data[i] = i * 0.25f - 1000f;
    }
    FloatMatrix m = FloatMatrix.of(rows, cols, data);
    Path p = dir.resolve("big.npy");
    Npy.write(p, m);
    assertThat(Npy.read(p)).isEqualTo(m);
  }

  @Test
  void overwritesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
    Path p = dir.resolve("out.npy");
    Npy.write(p, FloatMatrix.of(1, 1, new float[] {1}));
    Npy.write(p, FloatMatrix.of(2, 2, new float[] {1, 2, 3, 4}));
    assertThat(Npy.read(p).rows()).isEqualTo(2);
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString())).containsExactly("out.npy");
    }
  }

  @Test
  void rejectsFortranOrder() throws IOException {
    Path p =
        file(
            "fortran.npy",
            npyBytes(
                1,
                "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 1), }",
                floats(ByteOrder.LITTLE_ENDIAN, 1)));
    assertThatThrownBy(() -> Npy.read(p))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("fortran.npy")
        .hasMessageContaining("Fortran");
  }

  @Test
  void rejectsBigEndian() throws IOException {
    Path p =
        file(
            "big-endian.npy",
            npyBytes(
                1,
                "{'descr': '>f4', 'fortran_order': False, 'shape': (1, 1), }",
                floats(ByteOrder.BIG_ENDIAN, 1)));
    assertThatThrownBy(() -> Npy.read(p))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("big-endian.npy")
        .hasMessageContaining("big-endian dtype >f4");
  }

  @Test
  void rejectsOtherDtypes() throws IOException {
    for (String descr : new String[] {"<i4", "<f2", "|u1", "<c8"}) {
      Path p =
          file(
              "dtype.npy",
              npyBytes(
                  1,
                  "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (1, 1), }",
                  floats(ByteOrder.LITTLE_ENDIAN, 1)));
      assertThatThrownBy(() -> Npy.read(p))
          .hasMessageContaining("dtype.npy")
          .hasMessageContaining("unsupported dtype " + descr);
    }
  }

  @Test
  void rejectsTruncatedAndOverlongFiles() throws IOException {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }";
    byte[] whole = npyBytes(1, dict, floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4));
    Path truncated = file("truncated.npy", Arrays.copyOf(whole, whole.length - 1));
    assertThatThrownBy(() -> Npy.read(truncated))
        .isInstanceOf(NpyFormatException.class)
        .hasMessageContaining("truncated.npy")
        .hasMessageContaining("truncated");
    Path headerOnly = file("cut-header.npy", Arrays.copyOf(whole, 40));
    assertThatThrownBy(() -> Npy.read(headerOnly))
        .hasMessageContaining("cut-header.npy")
        .hasMessageContaining("truncated while reading the header");
    Path longer = file("longer.npy", Arrays.copyOf(whole, whole.length + 4));
    assertThatThrownBy(() -> Npy.read(longer))
        .hasMessageContaining("longer.npy")
        .hasMessageContaining("4 trailing bytes");
  }

  @Test
  void rejectsNanAndInfinityWithPosition() throws IOException {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }";
    Path nan =
        file("nan.npy", npyBytes(1, dict, floats(ByteOrder.LITTLE_ENDIAN, 1, 2, Float.NaN, 4)));
    assertThatThrownBy(() -> Npy.read(nan))
        .hasMessageContaining("nan.npy")
        .hasMessageContaining("row 1, column 0 is NaN");
    String dict8 = "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }";
    Path overflow = file("overflow.npy", npyBytes(1, dict8, doubles(1, 1e300)));
    assertThatThrownBy(() -> Npy.read(overflow))
        .hasMessageContaining("overflow.npy")
        .hasMessageContaining("row 0, column 1");
  }

  @Test
  void rejectsBadMagicShapesAndVersions() throws IOException {
    Path text = file("text.npy", "hello, this is not numpy".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> Npy.read(text)).hasMessageContaining("bad magic string");
    byte[] v4 =
        npyBytes(
            2,
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }",
            floats(ByteOrder.LITTLE_ENDIAN, 1));
    v4[6] = 4;
    Path future = file("future.npy", v4);
    assertThatThrownBy(() -> Npy.read(future)).hasMessageContaining("version 4.0");
    for (String shape : new String[] {"()", "(1, 1, 1)", "(0, 3)"}) {
      Path p =
          file(
              "shape.npy",
              npyBytes(
                  1,
                  "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }",
                  floats(ByteOrder.LITTLE_ENDIAN, 1)));
      assertThatThrownBy(() -> Npy.read(p))
          .isInstanceOf(NpyFormatException.class)
          .hasMessageContaining("shape.npy");
    }
    Path noShape =
        file(
            "noshape.npy",
            npyBytes(
                1, "{'descr': '<f4', 'fortran_order': False}", floats(ByteOrder.LITTLE_ENDIAN)));
    assertThatThrownBy(() -> Npy.read(noShape)).hasMessageContaining("no valid 'shape' entry");
  }
}
