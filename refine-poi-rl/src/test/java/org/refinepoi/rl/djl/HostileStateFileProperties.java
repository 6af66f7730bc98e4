package org.refinepoi.rl.djl;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.refinepoi.core.io.FileFormatException;
import org.refinepoi.core.testing.Fixtures;
import org.refinepoi.core.testing.Mutations;
import org.refinepoi.core.testing.Scratch;
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
      throws Exception {
    Scratch.withFile(
        ".djl",
        bytes,
        file -> {
          TransformerPolicyModel model =
              Mutations.loadsOrRefuses(
                  () -> TransformerPolicyModel.load(file),
                  IllegalArgumentException.class,
                  file.toString());
          if (model != null) {
            model.close();
          }
        });
  }

  @Property(tries = 300)
  void aMutatedCheckpointRestoresOrIsRefusedNamingTheFile(
      @ForAll("mutatedCheckpoints") byte[] bytes, @ForAll boolean seal) throws Exception {
    Scratch.withFile(
        ".ckpt",
        seal ? Mutations.sealTrailingCrc32(bytes) : bytes,
        file ->
            Mutations.loadsOrRefuses(
                () -> {
                  GrpoFixtures.trainer().restoreCheckpoint(file);
                  return true;
                },
                FileFormatException.class,
                file.toString()));
  }
}
