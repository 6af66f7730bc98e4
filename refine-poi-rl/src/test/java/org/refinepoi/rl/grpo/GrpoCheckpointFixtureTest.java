package org.refinepoi.rl.grpo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.testing.Fixtures;

/** A GRPO checkpoint that users keep still restores, and saves again byte for byte. */
class GrpoCheckpointFixtureTest {

  @Test
  void theFixtureRestoresAndSavesTheSameBytes(@TempDir Path dir) throws IOException {
    GrpoTrainer<SemanticId> trainer = GrpoFixtures.trainer();
    trainer.restoreCheckpoint(Fixtures.path("grpo-v1.ckpt"));
    assertThat(trainer.stepsDone()).isEqualTo(2);
    Path again = dir.resolve("again.ckpt");
    trainer.saveCheckpoint(again);
    assertThat(Files.readAllBytes(again)).isEqualTo(Fixtures.bytes("grpo-v1.ckpt"));
  }
}
