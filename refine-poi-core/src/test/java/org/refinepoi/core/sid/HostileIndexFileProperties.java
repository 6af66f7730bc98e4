package org.refinepoi.core.sid;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.refinepoi.core.io.AtomicFiles;
import org.refinepoi.core.testing.Fixtures;
import org.refinepoi.core.testing.Mutations;

/**
 * Mutated index files (bit flips, cuts, splices, fields set to extremes), with their checksums left
 * broken or sealed again so that the decoder's bounds are reached: each loads or is refused with a
 * {@link SemanticIdIndexFileException} naming the file, and a loaded index builds its vocabulary
 * and trie, never an {@link OutOfMemoryError} or an exception from below.
 */
class HostileIndexFileProperties {

  private static Path dir;

  @BeforeContainer
  static void folder() throws IOException {
    dir = Files.createTempDirectory("hostile-index");
  }

  @AfterContainer
  static void clean() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  @Provide
  Arbitrary<byte[]> mutated() {
    return Mutations.of(Fixtures.bytes("index-v2.sid"));
  }

  /** Rewrites the payload length and both checksums of a version 2 layout. */
  static byte[] sealed(byte[] bytes) {
    if (bytes.length < 28) {
      return bytes;
    }
    byte[] b = bytes.clone();
    ByteBuffer buf = ByteBuffer.wrap(b);
    buf.putLong(12, b.length - 28L);
    buf.putInt(20, (int) AtomicFiles.crc32(b, 0, 20));
    buf.putInt(b.length - 4, (int) AtomicFiles.crc32(b, 24, b.length - 28));
    return b;
  }

  @Property(tries = 400)
  void aMutatedIndexLoadsOrIsRefusedNamingTheFile(
      @ForAll("mutated") byte[] bytes, @ForAll boolean seal) throws IOException {
    Path file = Files.write(dir.resolve("index.sid"), seal ? sealed(bytes) : bytes);
    SemanticIdIndex index =
        Mutations.loadsOrRefuses(
            () -> SemanticIdIndex.load(file), SemanticIdIndexFileException.class, file.toString());
    if (index != null) {
      index.vocabulary();
      index.trie();
    }
  }
}
