package org.refinepoi.rl.djl;

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
import org.refinepoi.core.io.FileFormatException;
import org.refinepoi.core.testing.Fixtures;
import org.refinepoi.core.testing.Mutations;
import org.refinepoi.rl.grpo.GrpoFixtures;

/**
 * Mutated policy model files and GRPO checkpoints load or are refused naming the file: a model file
 * with the {@link IllegalArgumentException} its {@code load} documents, a checkpoint with a {@link
 * FileFormatException}. Checkpoints are also sealed again after the mutation, so the bounds behind
 * the checksum are reached. (A model file's checksum is not sealed again: behind it lies DJL's own
 * parameter encoding, whose array lengths DJL trusts.)
 */
class HostileStateFileProperties {

  static {
    DjlTestThreads.pin();
  }

  private static Path dir;

  @BeforeContainer
  static void folder() throws IOException {
    dir = Files.createTempDirectory("hostile-state");
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
  Arbitrary<byte[]> mutatedModels() {
    return net.jqwik.api.Arbitraries.of("model-v1.djl", "model-v2.djl")
        .flatMap(name -> Mutations.of(Fixtures.bytes(name)));
  }

  @Provide
  Arbitrary<byte[]> mutatedCheckpoints() {
    return Mutations.of(Fixtures.bytes("grpo-v1.ckpt"));
  }

  @Property(tries = 150)
  void aMutatedModelLoadsOrIsRefusedNamingTheFile(@ForAll("mutatedModels") byte[] bytes)
      throws IOException {
    Path file = Files.write(dir.resolve("model.djl"), bytes);
    TransformerPolicyModel model =
        Mutations.loadsOrRefuses(
            () -> TransformerPolicyModel.load(file),
            IllegalArgumentException.class,
            file.toString());
    if (model != null) {
      model.close();
    }
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

  @Property(tries = 300)
  void aMutatedCheckpointRestoresOrIsRefusedNamingTheFile(
      @ForAll("mutatedCheckpoints") byte[] bytes, @ForAll boolean seal) throws IOException {
    Path file = Files.write(dir.resolve("grpo.ckpt"), seal ? sealed(bytes) : bytes);
    Mutations.loadsOrRefuses(
        () -> {
          GrpoFixtures.trainer().restoreCheckpoint(file);
          return true;
        },
        FileFormatException.class,
        file.toString());
  }
}
