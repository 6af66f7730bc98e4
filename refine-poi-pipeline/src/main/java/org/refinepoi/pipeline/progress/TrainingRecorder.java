package org.refinepoi.pipeline.progress;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.refinepoi.rl.djl.SftListener;
import org.refinepoi.rl.grpo.StepListener;
import org.refinepoi.rl.grpo.StepMetrics;

/**
 * Collects training curves while a pipeline runs, one named run at a time (for example {@code
 * "HSOM"} or {@code "RQ-KMeans"}): per run the SFT loss (train per step, validation per epoch), the
 * GRPO step metrics and the RL validation scores, for charts and reports. Thread-safe: listeners
 * may be called from training threads.
 */
public final class TrainingRecorder {

  private final Map<String, Sft> sft = new LinkedHashMap<>();
  private final Map<String, List<StepMetrics>> grpo = new LinkedHashMap<>();
  private final Map<String, List<double[]>> validation = new LinkedHashMap<>();

  private static final class Sft {
    final List<double[]> steps = new ArrayList<>();
    final List<double[]> epochs = new ArrayList<>();
  }

  /** Records one SFT optimizer step's training loss. */
  public synchronized void sftStep(String run, long step, double loss) {
    checkRun(run);
    checkArgument(step >= 0, "step must be >= 0, got %s", step);
    sft.computeIfAbsent(run, k -> new Sft()).steps.add(new double[] {step, loss});
  }

  /**
   * Records one finished SFT epoch: its validation loss, placed at the last step of the epoch.
   *
   * @param lastStep the global step the epoch ended on
   * @param validationLoss NaN when there was no validation set
   */
  public synchronized void sftEpoch(String run, long lastStep, double validationLoss) {
    checkRun(run);
    sft.computeIfAbsent(run, k -> new Sft()).epochs.add(new double[] {lastStep, validationLoss});
  }

  /**
   * An SFT listener that records a run: the loss of every optimizer step, and the validation loss
   * of every epoch at the epoch's last step.
   */
  public SftListener sft(String run) {
    checkRun(run);
    return new SftListener() {
      private long lastStep;

      @Override
      public void onStep(Step step) {
        lastStep = step.step();
        sftStep(run, step.step(), step.loss());
      }

      @Override
      public void onEpoch(Epoch epoch) {
        sftEpoch(run, lastStep, epoch.validationLoss());
      }
    };
  }

  /** A GRPO step listener that records every step of a run. */
  public StepListener grpo(String run) {
    checkRun(run);
    return m -> {
      synchronized (this) {
        grpo.computeIfAbsent(run, k -> new ArrayList<>()).add(m);
      }
    };
  }

  /**
   * Records a validation score of a run's RL stage (NDCG@10 of the policy's rankings) after a step
   * (0 = before the first).
   */
  public synchronized void validation(String run, long step, double score) {
    checkRun(run);
    checkArgument(step >= 0, "step must be >= 0, got %s", step);
    validation.computeIfAbsent(run, k -> new ArrayList<>()).add(new double[] {step, score});
  }

  /** The GRPO metrics recorded for a run (empty when none). */
  public synchronized List<StepMetrics> grpoSteps(String run) {
    return List.copyOf(grpo.getOrDefault(run, List.of()));
  }

  /**
   * The runs recorded so far, in the order they were first seen (SFT, then GRPO, then RL
   * validation).
   */
  public synchronized List<String> runs() {
    List<String> out = new ArrayList<>(sft.keySet());
    grpo.keySet().stream().filter(r -> !out.contains(r)).forEach(out::add);
    validation.keySet().stream().filter(r -> !out.contains(r)).forEach(out::add);
    return List.copyOf(out);
  }

  /** A run's SFT training losses as {@code {step, loss}} points (empty when none). */
  public synchronized List<double[]> sftSteps(String run) {
    Sft s = sft.get(run);
    return s == null ? List.of() : copy(s.steps);
  }

  /** A run's SFT validation losses as {@code {last step of the epoch, loss}} (empty when none). */
  public synchronized List<double[]> sftEpochs(String run) {
    Sft s = sft.get(run);
    return s == null ? List.of() : copy(s.epochs);
  }

  /** A run's RL validation scores as {@code {step, score}} points (empty when none). */
  public synchronized List<double[]> validationScores(String run) {
    return copy(validation.getOrDefault(run, List.of()));
  }

  private static List<double[]> copy(List<double[]> points) {
    return points.stream().map(double[]::clone).toList();
  }

  private static void checkRun(String run) {
    checkNotNull(run, "run");
    checkArgument(!run.isBlank(), "a run needs a name");
  }
}
