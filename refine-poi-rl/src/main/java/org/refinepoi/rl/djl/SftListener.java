package org.refinepoi.rl.djl;

/**
 * Receives the SFT loss curve as it is made (for reports and progress bars). Called on the
 * trainer's thread between optimizer steps, so a slow listener slows training.
 */
public interface SftListener {

  /** After every optimizer step. */
  default void onStep(Step step) {}

  /** After every epoch (and its validation pass). */
  default void onEpoch(Epoch epoch) {}

  /** A listener that ignores everything. */
  static SftListener none() {
    return new SftListener() {};
  }

  /**
   * One optimizer step.
   *
   * @param step 0-based global step
   * @param epoch 0-based epoch
   * @param loss token-mean negative log-likelihood of the batch before the step
   * @param learningRate the rate used
   * @param gradNorm global gradient norm before clipping
   * @param examples examples in the batch
   */
  record Step(
      long step, int epoch, double loss, double learningRate, double gradNorm, int examples) {}

  /**
   * One epoch.
   *
   * @param epoch 0-based epoch
   * @param trainLoss mean of the epoch's batch losses
   * @param validationLoss token-mean NLL over the validation examples (NaN when there are none)
   * @param examplesPerSecond training throughput of the epoch (optimizer steps only)
   * @param best whether this epoch has the lowest validation loss so far
   */
  record Epoch(
      int epoch, double trainLoss, double validationLoss, double examplesPerSecond, boolean best) {}
}
