package org.refinepoi.rl.djl;

import java.nio.file.Path;

/**
 * The policy model fixtures: a tiny Transformer saved as {@code model-v1.djl} by the release before
 * model format version 2 (the config outside the checked block) and as {@code model-v2.djl} by
 * {@link #main}.
 */
public final class ModelFixtures {

  private ModelFixtures() {}

  /** The fixture model's config. */
  public static TransformerConfig config() {
    return TransformerConfig.builder(12, 8)
        .dModel(8)
        .layers(1)
        .heads(2)
        .mlpWidth(16)
        .seed(3)
        .build();
  }

  /** Writes {@code model-v2.djl} into the folder given as the first argument. */
  public static void main(String[] args) {
    try (TransformerPolicyModel model = TransformerPolicyModel.create(config())) {
      model.save(Path.of(args[0]).resolve("model-v2.djl"));
    }
  }
}
