package org.refinepoi.core.io;

import java.nio.file.Files;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.testing.Mutations;
import org.refinepoi.core.testing.Scratch;

/**
 * Mutated {@code .npy} files load (the format has no checksum: a changed value is still a matrix)
 * or are refused with an {@link NpyFormatException} naming the file.
 */
class HostileNpyFileProperties {

  private static byte[] original;

  @BeforeContainer
  static void original() throws Exception {
    float[] v = new float[6 * 5];
    for (int i = 0; i < v.length; i++) {
      v[i] = i * 0.25f - 3;
    }
    Scratch.withFile(
        ".npy",
        new byte[0],
        file -> {
          Npy.write(file, FloatMatrix.wrap(6, 5, v));
          original = Files.readAllBytes(file);
        });
  }

  @Provide
  Arbitrary<byte[]> mutated() {
    return Mutations.of(original);
  }

  @Property(tries = 400)
  void aMutatedNpyLoadsOrIsRefusedNamingTheFile(@ForAll("mutated") byte[] bytes) throws Exception {
    Scratch.withFile(
        ".npy",
        bytes,
        file ->
            Mutations.loadsOrRefuses(
                () -> Npy.read(file), NpyFormatException.class, file.toString()));
  }
}
