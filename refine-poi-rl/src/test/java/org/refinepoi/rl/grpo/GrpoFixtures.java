package org.refinepoi.rl.grpo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import org.refinepoi.core.sid.SemanticId;

/**
 * The GRPO checkpoint fixture ({@code grpo-v1.ckpt}, checkpoint format version 1): the small
 * ranking task of {@link GrpoTrainerTest} after two steps, with a tabular policy.
 */
public final class GrpoFixtures {

  private GrpoFixtures() {}

  /** A fresh trainer of the fixture's task and config (the checkpoint restores into it). */
  public static GrpoTrainer<SemanticId> trainer() {
    return GrpoTrainerTest.trainer(GrpoTrainerTest.newPolicy(), new ArrayList<>());
  }

  /** Writes {@code grpo-v1.ckpt} into the folder given as the first argument. */
  public static void main(String[] args) throws IOException {
    GrpoTrainer<SemanticId> t = trainer();
    t.train(2);
    t.saveCheckpoint(Path.of(args[0]).resolve("grpo-v1.ckpt"));
  }
}
