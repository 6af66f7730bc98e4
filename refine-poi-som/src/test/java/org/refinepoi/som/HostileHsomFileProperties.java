package org.refinepoi.som;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.refinepoi.core.io.AtomicFiles;
import org.refinepoi.core.io.FileFormatException;
import org.refinepoi.core.testing.Fixtures;
import org.refinepoi.core.testing.Mutations;

/**
 * Mutated {@code .hsom} files, their checksum left broken or sealed again so that the decoder's
 * bounds are reached, load or are refused with a {@link FileFormatException} naming the file.
 */
class HostileHsomFileProperties {

  private static Path dir;

  @BeforeContainer
  static void folder() throws IOException {
    dir = Files.createTempDirectory("hostile-hsom");
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
    return Arbitraries.of(HierarchyMode.values())
        .flatMap(mode -> Mutations.of(Fixtures.bytes(HsomFixtures.name(mode))));
  }

  /** Rewrites the trailing CRC32 over everything before it. */
  static byte[] sealed(byte[] bytes) {
    if (bytes.length < 8) {
      return bytes;
    }
    byte[] b = bytes.clone();
    ByteBuffer.wrap(b).putLong(b.length - 8, AtomicFiles.crc32(b, 0, b.length - 8));
    return b;
  }

  @Property(tries = 400)
  void aMutatedModelLoadsOrIsRefusedNamingTheFile(
      @ForAll("mutated") byte[] bytes, @ForAll boolean seal) throws IOException {
    Path file = Files.write(dir.resolve("m.hsom"), seal ? sealed(bytes) : bytes);
    HierarchicalSomModel model =
        Mutations.loadsOrRefuses(
            () -> HierarchicalSomModel.load(file), FileFormatException.class, file.toString());
    if (model != null) {
      model.idSpace();
    }
  }
}
