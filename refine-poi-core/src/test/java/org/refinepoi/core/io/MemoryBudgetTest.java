package org.refinepoi.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.testing.SmallHeap;

/** The heap check before large allocations, and the .npy reader that uses it (issue 14, case 9). */
class MemoryBudgetTest {

  @TempDir Path dir;

  @Test
  void refusesWithTheFigures() {
    assertThatThrownBy(() -> MemoryBudget.check(6L << 30, 1L << 30, 2L << 30, "reading x.npy"))
        .isInstanceOf(NotEnoughMemoryException.class)
        .hasMessageStartingWith(
            "reading x.npy needs about 6.0 GiB of heap, but only 1.0 GiB of the 2.0 GiB maximum is"
                + " free");
    MemoryBudget.check(1L << 30, 1L << 30, 2L << 30, "fits exactly");
    MemoryBudget.require(1024, "a kilobyte");
    assertThat(MemoryBudget.size(512)).isEqualTo("512 B");
    assertThat(MemoryBudget.size(3_400_000)).isEqualTo("3.2 MiB");
  }

  /** A sparse {@code .npy} file whose header promises a matrix larger than the heap. */
  private Path sparseNpy(int rows, int cols) throws IOException {
    Path file = dir.resolve("big.npy");
    byte[] header = Npy.header(rows, cols);
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.write(header);
      raf.setLength(header.length + (long) rows * cols * Float.BYTES);
    }
    return file;
  }

  @Test
  void aNpyFileLargerThanTheHeapIsRefusedBeforeAllocating() throws Exception {
    Path file = sparseNpy(16_384, 16_384); // 1 GiB of float32 zeros, sparse on disk
    SmallHeap.Outcome outcome = SmallHeap.run(128, Npy.class.getName(), "read", file);
    assertThat(outcome.err()).doesNotContain("OutOfMemoryError");
    assertThat(outcome.out())
        .startsWith("THROWN " + NotEnoughMemoryException.class.getName())
        .contains(file + " (16384 x 16384 <f4) needs about 1.0 GiB of heap");
  }
}
