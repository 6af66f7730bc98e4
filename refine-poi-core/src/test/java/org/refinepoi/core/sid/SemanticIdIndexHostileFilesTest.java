package org.refinepoi.core.sid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.sid.SemanticIdIndexFileException.Problem;
import org.refinepoi.core.testing.Fixtures;

/**
 * Index files that users keep still load, and crafted files with valid checksums are refused before
 * they cost memory or time (issue 14, cases 4 and 15).
 */
class SemanticIdIndexHostileFilesTest {

  @TempDir Path dir;

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  /** Loading the file is refused for the given problem, with a message naming the file. */
  private static AbstractThrowableAssert<?, ? extends Throwable> refused(
      Path file, Problem problem) {
    return assertThatThrownBy(() -> SemanticIdIndex.load(file).vocabulary())
        .isInstanceOf(SemanticIdIndexFileException.class)
        .hasMessageStartingWith(file.toString())
        .satisfies(
            e -> assertThat(((SemanticIdIndexFileException) e).problem()).isEqualTo(problem));
  }

  @Test
  void theFixturesOfEveryVersionStillLoadAndSaveTheSameBytes() throws IOException {
    SemanticIdIndex v2 = SemanticIdIndex.load(Fixtures.path("index-v2.sid"));
    assertThat(v2).isEqualTo(IndexFixtures.index());
    Path again = dir.resolve("again.sid");
    v2.save(again);
    assertThat(Files.readAllBytes(again)).isEqualTo(Fixtures.bytes("index-v2.sid"));
    // Version 1, written before the header had a checksum, reads as the same index.
    assertThat(SemanticIdIndex.load(Fixtures.path("index-v1.sid"))).isEqualTo(v2);
  }

  @Test
  void aHugeCollisionSlotIsRefusedBeforeTheVocabularyIsBuilt() throws IOException {
    int[][] lattice = {{2, 2}};
    for (int version : new int[] {1, 2}) {
      for (int slot : new int[] {50_000_000, Integer.MAX_VALUE}) {
        Path file =
            write(
                "slot.sid",
                IndexFileBytes.file(
                    version, IndexFileBytes.payload("lattice", lattice, "p", new int[] {0}, slot)));
        refused(file, Problem.CORRUPT).hasMessageContaining("vocabulary of this index would hold");
      }
    }
  }

  @Test
  void hugeLatticesInASmallFileAreRefused() throws IOException {
    int[][] lattices = {{4096, 4096}, {4096, 4096}, {4096, 4096}};
    for (int version : new int[] {1, 2}) {
      for (String format : new String[] {"lattice", "row-column"}) {
        Path file =
            write(
                "big.sid",
                IndexFileBytes.file(
                    version,
                    IndexFileBytes.payload(format, lattices, "p", new int[] {0, 0, 0}, 0)));
        assertThat(Files.size(file)).isLessThan(200);
        refused(file, Problem.CORRUPT).hasMessageContaining("lattice cells, more than");
      }
    }
  }

  @Test
  void countsLargerThanThePayloadAreRefused() throws IOException {
    byte[] good = IndexFileBytes.payload("lattice", new int[][] {{2, 2}}, "p", new int[] {1}, 0);
    // The level count follows the format name (2 + 7 bytes); the entry count follows the level
    // (rows, cols, the topology's name in 2 + 11 bytes, the torus flag).
    for (int at : new int[] {9, 9 + 4 + 4 + 4 + 13 + 1}) {
      byte[] payload = good.clone();
      ByteBuffer.wrap(payload).putInt(at, Integer.MAX_VALUE);
      for (int version : new int[] {1, 2}) {
        Path file = write("count.sid", IndexFileBytes.file(version, payload));
        refused(file, Problem.CORRUPT).hasMessageContaining("payload bytes left");
      }
    }
  }

  @Test
  void aPayloadThatIsNotModifiedUtf8NamesTheFile() throws IOException {
    byte[] payload = IndexFileBytes.payload("lattice", new int[][] {{2, 2}}, "p", new int[] {1}, 0);
    payload[2] = (byte) 0xFF; // the format name's first byte: never valid in modified UTF-8
    for (int version : new int[] {1, 2}) {
      Path file = write("utf.sid", IndexFileBytes.file(version, payload));
      refused(file, Problem.CORRUPT)
          .hasMessageStartingWith(file + ": file is corrupt: its payload does not decode");
    }
  }

  @Test
  void aFlippedVersionByteIsCorruptionNotANewerVersion() throws IOException {
    byte[] bytes = Fixtures.bytes("index-v2.sid");
    bytes[9] ^= 0x01; // version 2 reads as 65538
    Path file = write("flipped.sid", bytes);
    refused(file, Problem.CORRUPT).hasMessageContaining("header checksum mismatch");
  }

  @Test
  void aFileCutInsideTheMagicIsTruncated() throws IOException {
    Path file = write("cut.sid", Arrays.copyOf(Fixtures.bytes("index-v2.sid"), 5));
    refused(file, Problem.TRUNCATED).hasMessageContaining("truncated");
  }

  @Test
  void theBuilderRefusesWhatTheReaderWouldRefuse() {
    IdSpace small = IdSpace.of(LatticeSpec.rectangular(2, 2));
    SemanticIdIndex.Builder builder =
        SemanticIdIndex.builder(small).add("p", SemanticId.of(new int[] {0}, 50_000_000));
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vocabulary of this index would hold 50000005 tokens");
    IdSpace huge = IdSpace.of(LatticeSpec.rectangular(4096, 4096), LatticeSpec.rectangular(2, 2));
    assertThatThrownBy(() -> SemanticIdIndex.builder(huge))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16777220 lattice cells");
  }
}
