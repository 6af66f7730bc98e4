package org.refinepoi.som;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.io.AtomicFiles;
import org.refinepoi.core.io.FileFormatException;
import org.refinepoi.core.io.NotEnoughMemoryException;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.testing.Fixtures;
import org.refinepoi.core.testing.SmallHeap;

/**
 * Model files users keep still load, and cut, flipped, crafted or huge files are refused with the
 * file named (issue 14, cases 9, 15 and 19).
 */
class HsomHostileFilesTest {

  @TempDir Path dir;

  @Test
  void theFixturesStillLoadAndSaveTheSameBytes() throws IOException {
    for (HierarchyMode mode : HierarchyMode.values()) {
      String name = HsomFixtures.name(mode);
      HierarchicalSomModel model = HierarchicalSomModel.load(Fixtures.path(name));
      assertThat(model.mode()).isEqualTo(mode);
      assertThat(model.assignIds(HsomFixtures.data())).hasSize(60);
      Path again = dir.resolve(name);
      model.save(again);
      assertThat(Files.readAllBytes(again)).isEqualTo(Fixtures.bytes(name));
    }
  }

  @Test
  void aTruncatedFileIsCalledTruncatedNotForeign() throws IOException {
    byte[] good = Fixtures.bytes(HsomFixtures.name(HierarchyMode.TREE));
    for (int length : new int[] {3, 8, 12, 19}) {
      Path cut = Files.write(dir.resolve("cut.hsom"), Arrays.copyOf(good, length));
      assertThatThrownBy(() -> HierarchicalSomModel.load(cut))
          .isInstanceOf(FileFormatException.class)
          .hasMessageStartingWith(cut + ": truncated model file: " + length + " bytes");
    }
  }

  @Test
  void aFlippedVersionByteIsCorruptionNotAnotherVersion() throws IOException {
    byte[] bytes = Fixtures.bytes(HsomFixtures.name(HierarchyMode.TREE));
    bytes[11] ^= 0x04;
    Path file = Files.write(dir.resolve("flipped.hsom"), bytes);
    assertThatThrownBy(() -> HierarchicalSomModel.load(file))
        .isInstanceOf(FileFormatException.class)
        .hasMessageContaining("checksum mismatch")
        .hasMessageContaining("its version field reads 5");
  }

  /** A model file with a valid checksum whose one residual level claims {@code dims} per cell. */
  private Path crafted(int rows, int cols, int dims) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(HsomFormat.MAGIC);
    out.writeInt(HsomFormat.VERSION);
    out.writeInt(HierarchyMode.RESIDUAL.ordinal());
    out.writeInt(1);
    out.writeInt(rows);
    out.writeInt(cols);
    out.writeInt(LatticeSpec.Topology.RECTANGULAR.ordinal());
    out.writeBoolean(false);
    out.writeInt(dims);
    out.write(new byte[64]);
    byte[] content = bytes.toByteArray();
    out.writeLong(AtomicFiles.crc32(content, 0, content.length));
    return Files.write(dir.resolve("crafted.hsom"), bytes.toByteArray());
  }

  @Test
  void sizesOverflowingAnIntAreRefusedNotAnArithmeticException() throws IOException {
    Path file = crafted(4096, 4096, 1000);
    assertThatThrownBy(() -> HierarchicalSomModel.load(file))
        .isInstanceOf(FileFormatException.class)
        .hasMessageStartingWith(file + ": implausible dims 1000 for a 4096x4096 first level");
    Path negative = crafted(2, 2, -1);
    assertThatThrownBy(() -> HierarchicalSomModel.load(negative))
        .isInstanceOf(FileFormatException.class)
        .hasMessageContaining("implausible dims -1");
  }

  /** A file of the given size that starts like a model, sparse: it takes no disk space. */
  private Path sparseModel(String name, long size) throws IOException {
    Path file = dir.resolve(name);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.write(HsomFormat.MAGIC);
      raf.setLength(size);
    }
    return file;
  }

  @Test
  void aFileLargerThanAnyModelIsRefusedBeforeReading() throws IOException {
    Path file = sparseModel("huge.hsom", 3L << 30);
    assertThatThrownBy(() -> HierarchicalSomModel.load(file))
        .isInstanceOf(FileFormatException.class)
        .hasMessageContaining("larger than any model file this library writes");
  }

  @Test
  void aFileLargerThanTheHeapIsRefusedWithTheFigures() throws Exception {
    Path file = sparseModel("big.hsom", 1L << 30);
    SmallHeap.Outcome outcome =
        SmallHeap.run(128, HierarchicalSomModel.class.getName(), "load", file);
    assertThat(outcome.err()).doesNotContain("OutOfMemoryError");
    assertThat(outcome.out())
        .startsWith("THROWN " + NotEnoughMemoryException.class.getName())
        .contains("reading the model " + file + " needs about 2.0 GiB of heap");
  }

  @Test
  void aNullLevelIsNamed() {
    assertThatThrownBy(() -> HierarchicalSom.builder().levels((LatticeSpec) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("level 1 of 1 is null");
    assertThatThrownBy(() -> HierarchicalSom.builder().levels(LatticeSpec.rectangular(2, 2), null))
        .hasMessage("level 2 of 2 is null");
  }
}
