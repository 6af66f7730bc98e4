package org.refinepoi.core.sid;

import java.nio.ByteBuffer;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.refinepoi.core.io.AtomicFiles;
import org.refinepoi.core.testing.Fixtures;
import org.refinepoi.core.testing.Mutations;
import org.refinepoi.core.testing.Scratch;

/**
 * Mutated index files (bit flips, cuts, splices, fields set to extremes), with their checksums left
 * broken or sealed again so that the decoder's bounds are reached: each loads or is refused with a
 * {@link SemanticIdIndexFileException} naming the file, and a loaded index builds its vocabulary
 * and trie, never an {@link OutOfMemoryError} or an exception from below.
 */
class HostileIndexFileProperties {

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
      @ForAll("mutated") byte[] bytes, @ForAll boolean seal) throws Exception {
    Scratch.withFile(
        ".sid",
        seal ? sealed(bytes) : bytes,
        file -> {
          SemanticIdIndex index =
              Mutations.loadsOrRefuses(
                  () -> SemanticIdIndex.load(file),
                  SemanticIdIndexFileException.class,
                  file.toString());
          if (index != null) {
            index.vocabulary();
            index.trie();
          }
        });
  }
}
