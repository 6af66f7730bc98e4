package org.refinepoi.rl.djl;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Settings of supervised fine-tuning (teacher forcing on the ground-truth next POI). Defaults: 10
 * epochs, batches of 32, peak learning rate 1e-3 with linear warm-up over the first 5% of steps
 * then cosine decay to 10% of the peak, gradient norm clipped to 1, seed 42, no early stopping,
 * validation batches of 128, a log line every 50 steps.
 *
 * @param epochs passes over the training examples, at least 1
 * @param batchSize examples per optimizer step, at least 1
 * @param learningRate peak learning rate, > 0
 * @param warmupFraction fraction of all steps spent warming up, in [0, 1)
 * @param minLearningRateRatio final learning rate as a fraction of the peak, in [0, 1]
 * @param maxGradNorm global gradient-norm clip, > 0 (infinity for none)
 * @param seed seed of the per-epoch shuffling
 * @param patience epochs without a validation improvement before stopping; 0 = never stop early.
 *     With early stopping the best epoch's parameters are restored at the end.
 * @param validationBatchSize examples per validation forward pass, at least 1
 * @param logEvery log a step line every this many steps (SLF4J, DEBUG), at least 1
 */
public record SftConfig(
    int epochs,
    int batchSize,
    double learningRate,
    double warmupFraction,
    double minLearningRateRatio,
    double maxGradNorm,
    long seed,
    int patience,
    int validationBatchSize,
    int logEvery) {

  /** Validates the ranges. */
  public SftConfig {
    checkArgument(epochs >= 1, "epochs must be >= 1, got %s", epochs);
    checkArgument(batchSize >= 1, "batchSize must be >= 1, got %s", batchSize);
    checkArgument(
        Double.isFinite(learningRate) && learningRate > 0,
        "learningRate must be finite and > 0, got %s",
        learningRate);
    checkArgument(
        warmupFraction >= 0 && warmupFraction < 1,
        "warmupFraction must be in [0, 1), got %s",
        warmupFraction);
    checkArgument(
        minLearningRateRatio >= 0 && minLearningRateRatio <= 1,
        "minLearningRateRatio must be in [0, 1], got %s",
        minLearningRateRatio);
    checkArgument(
        !Double.isNaN(maxGradNorm) && maxGradNorm > 0,
        "maxGradNorm must be > 0, got %s",
        maxGradNorm);
    checkArgument(patience >= 0, "patience must be >= 0, got %s", patience);
    checkArgument(
        validationBatchSize >= 1, "validationBatchSize must be >= 1, got %s", validationBatchSize);
    checkArgument(logEvery >= 1, "logEvery must be >= 1, got %s", logEvery);
  }

  /** The documented defaults. */
  public static SftConfig defaults() {
    return new SftConfig(10, 32, 1e-3, 0.05, 0.1, 1.0, 42, 0, 128, 50);
  }

  /** The same config with another number of epochs. */
  public SftConfig withEpochs(int newEpochs) {
    return new SftConfig(
        newEpochs,
        batchSize,
        learningRate,
        warmupFraction,
        minLearningRateRatio,
        maxGradNorm,
        seed,
        patience,
        validationBatchSize,
        logEvery);
  }

  /** The same config with another batch size and learning rate. */
  public SftConfig withBatch(int newBatchSize, double newLearningRate) {
    return new SftConfig(
        epochs,
        newBatchSize,
        newLearningRate,
        warmupFraction,
        minLearningRateRatio,
        maxGradNorm,
        seed,
        patience,
        validationBatchSize,
        logEvery);
  }

  /** The same config with early stopping after {@code newPatience} epochs without improvement. */
  public SftConfig withPatience(int newPatience) {
    return new SftConfig(
        epochs,
        batchSize,
        learningRate,
        warmupFraction,
        minLearningRateRatio,
        maxGradNorm,
        seed,
        newPatience,
        validationBatchSize,
        logEvery);
  }
}
