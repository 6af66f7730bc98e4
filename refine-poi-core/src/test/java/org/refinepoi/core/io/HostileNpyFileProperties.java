package org.refinepoi.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.testing.Mutations;

/**
 * Mutated {@code .npy} files load (the format has no checksum: a changed value is still a matrix)
 * or are refused with an {@link NpyFormatException} naming the file.
 */
class HostileNpyFileProperties {

  private static Path dir;
  private static byte[] original;

  @BeforeContainer
  static void folder() throws IOException {
    dir = Files.createTempDirectory("hostile-npy");
    float[] v = new float[6 * 5];
    for (int i = 0; i < v.length; i++) {
      v[i] = i * 0.25f - 3;
    }
    Path file = dir.resolve("original.npy");
    Npy.write(file, FloatMatrix.wrap(6, 5, v));
    original = Files.readAllBytes(file);
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
    return Mutations.of(original);
  }

  @Property(tries = 400)
  void aMutatedNpyLoadsOrIsRefusedNamingTheFile(@ForAll("mutated") byte[] bytes)
      throws IOException {
    Path file = Files.write(dir.resolve("m.npy"), bytes);
    Mutations.loadsOrRefuses(() -> Npy.read(file), NpyFormatException.class, file.toString());
  }
}
