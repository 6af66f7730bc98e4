package org.refinepoi.rl.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.testing.Fixtures;

/**
 * Model files users keep still load byte for byte, and a file whose config was changed, whose
 * parameters do not fit its config, or with bytes after the model is refused (issue 14, case 2).
 */
class TransformerPolicyModelFilesTest {

  static {
    DjlTestThreads.pin();
  }

  /** Where version 1 keeps the config: after the magic (2 + 26 bytes) and the version. */
  private static final int V1_CONFIG = 2 + 26 + 4;

  @TempDir Path dir;

  private static byte[] bytesOf(TransformerPolicyModel model) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    model.writeTo(out);
    return out.toByteArray();
  }

  @Test
  void theFixturesOfBothVersionsLoadAndVersionTwoSavesTheSameBytes() throws IOException {
    byte[] v2 = Fixtures.bytes("model-v2.djl");
    try (TransformerPolicyModel model = TransformerPolicyModel.load(Fixtures.path("model-v2.djl"));
        TransformerPolicyModel old = TransformerPolicyModel.load(Fixtures.path("model-v1.djl"))) {
      assertThat(model.config()).isEqualTo(ModelFixtures.config());
      assertThat(bytesOf(model)).isEqualTo(v2);
      // The version 1 file holds the same model: saving it writes the version 2 bytes.
      assertThat(old.config()).isEqualTo(ModelFixtures.config());
      assertThat(bytesOf(old)).isEqualTo(v2);
    }
  }

  @Test
  void everyFlippedByteOfTheHeaderAndConfigIsRefused() throws IOException {
    byte[] good = Fixtures.bytes("model-v2.djl");
    Path file = dir.resolve("flipped.djl");
    // Magic, version, block length and CRC, then the config at the start of the checked block.
    for (int at = 0; at < V1_CONFIG + 4 + 8 + 40; at++) {
      byte[] bytes = good.clone();
      bytes[at] ^= 0x10;
      Files.write(file, bytes);
      assertThatThrownBy(() -> TransformerPolicyModel.load(file).close())
          .as("byte %d flipped", at)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(file.toString());
    }
  }

  @Test
  void aVersionOneConfigThatTheParametersDoNotFitIsRefused() throws IOException {
    byte[] bytes = Fixtures.bytes("model-v1.djl");
    ByteBuffer.wrap(bytes).putInt(V1_CONFIG, 13); // vocabSize 12 -> 13, outside the checksum
    Path file = Files.write(dir.resolve("vocab.djl"), bytes);
    assertThatThrownBy(() -> TransformerPolicyModel.load(file).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("parameter token_embedding has shape (12, 8)");
  }

  @Test
  void bytesAfterTheModelAreRefused() throws IOException {
    for (String name : new String[] {"model-v1.djl", "model-v2.djl"}) {
      byte[] good = Fixtures.bytes(name);
      Path file = Files.write(dir.resolve("long.djl"), Arrays.copyOf(good, good.length + 7));
      assertThatThrownBy(() -> TransformerPolicyModel.load(file).close())
          .as(name)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(file + " is corrupt: unexpected bytes after the model");
    }
  }
}
