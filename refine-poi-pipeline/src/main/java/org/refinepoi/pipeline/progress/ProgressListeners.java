package org.refinepoi.pipeline.progress;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Locale;
import org.refinepoi.rl.djl.SftListener;
import org.refinepoi.rl.grpo.StepListener;
import org.refinepoi.som.train.SomTrainer;

/**
 * Adapters from the libraries' training listeners to a {@link ProgressReporter.Task}: the task
 * advances by one unit per step or epoch, and shows the latest numbers as its message.
 */
public final class ProgressListeners {

  private ProgressListeners() {}

  /**
   * A GRPO step listener that advances {@code task} once per step (the task's total should be the
   * number of steps asked of the trainer) and shows the mean reward and the KL.
   */
  public static StepListener grpo(ProgressReporter.Task task) {
    checkNotNull(task, "task");
    return m -> {
      task.message(
          Double.isNaN(m.kl())
              ? String.format(Locale.ROOT, "reward %.4f", m.rewardMean())
              : String.format(Locale.ROOT, "reward %.4f, kl %.4f", m.rewardMean(), m.kl()));
      task.step();
    };
  }

  /**
   * A SOM batch-training epoch listener ({@link SomTrainer#trainBatch(
   * org.refinepoi.som.backend.SomSession, org.refinepoi.core.math.FloatMatrix,
   * SomTrainer.EpochListener)}) that advances {@code task} once per epoch and shows the radius.
   */
  public static SomTrainer.EpochListener somEpochs(ProgressReporter.Task task) {
    checkNotNull(task, "task");
    return (epoch, radius, codebook) -> {
      task.message(String.format(Locale.ROOT, "radius %.2f", radius));
      task.step();
    };
  }

  /**
   * An SFT listener that advances {@code task} once per optimizer step (the task's total should be
   * epochs × steps per epoch; early stopping ends it short) and shows the latest loss, and the
   * validation loss once an epoch has finished.
   */
  public static SftListener sft(ProgressReporter.Task task) {
    checkNotNull(task, "task");
    return new SftListener() {
      private String validation = "";

      @Override
      public void onStep(Step step) {
        task.message(String.format(Locale.ROOT, "loss %.4f%s", step.loss(), validation));
        task.step();
      }

      @Override
      public void onEpoch(Epoch epoch) {
        if (!Double.isNaN(epoch.validationLoss())) {
          validation = String.format(Locale.ROOT, ", validation %.4f", epoch.validationLoss());
        }
      }
    };
  }
}
