package org.refinepoi.examples.report;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.refinepoi.rl.djl.SftListener;
import org.refinepoi.rl.grpo.StepListener;
import org.refinepoi.rl.grpo.StepMetrics;

/**
 * Collects training curves while a pipeline runs, one named run at a time (for example {@code
 * "HSOM"} or {@code "RQ-KMeans"}), and adds their charts to a report: per run the SFT loss (train
 * per step, validation per epoch) and, when GRPO ran, its rewards and its KL and clip fraction.
 * Thread-safe: listeners may be called from training threads.
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
   * Adds the charts of every recorded run to a report, SFT then GRPO per run in the order the runs
   * were first seen. File names carry the run name (lower case, {@code a-z0-9-}).
   *
   * @return the PNGs written
   */
  public synchronized List<Path> addTo(ReportWriter writer) throws IOException {
    checkNotNull(writer, "writer");
    List<String> runs = new ArrayList<>(sft.keySet());
    grpo.keySet().stream().filter(r -> !runs.contains(r)).forEach(runs::add);
    validation.keySet().stream().filter(r -> !runs.contains(r)).forEach(runs::add);
    List<Path> out = new ArrayList<>();
    for (String run : runs) {
      String stem = stem(run);
      Sft s = sft.get(run);
      if (s != null && s.steps.stream().anyMatch(p -> !Double.isNaN(p[1]))) {
        out.add(
            writer.addSftLoss(
                "sft-loss-" + stem,
                run,
                curve("train loss", s.steps),
                curve("validation loss", s.epochs)));
      }
      List<StepMetrics> g = grpo.get(run);
      if (g != null && !g.isEmpty()) {
        out.add(writer.addGrpoRewards("grpo-reward-" + stem, run, g));
        out.add(writer.addGrpoKlAndClip("grpo-kl-clip-" + stem, run, g));
      }
      List<double[]> v = validation.get(run);
      if (v != null && v.size() > 1) {
        out.add(
            writer.addLineChart(
                "rl-validation-" + stem,
                "RL validation NDCG@10 (" + run + ")",
                "NDCG@10 of the policy's most likely rankings on the validation samples, before"
                    + " the first RL step (step 0, the SFT policy) and every few steps after. The"
                    + " run keeps the best state (ties: the earlier one), so RL never returns a"
                    + " policy worse on validation than SFT.",
                "RL step",
                "validation NDCG@10",
                List.of(curve("validation NDCG@10", v))));
      }
    }
    return out;
  }

  private static Curve curve(String name, List<double[]> points) {
    double[] x = new double[points.size()];
    double[] y = new double[points.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = points.get(i)[0];
      y[i] = Double.isInfinite(points.get(i)[1]) ? Double.NaN : points.get(i)[1];
    }
    return new Curve(name, x, y);
  }

  private static String stem(String run) {
    String s = run.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    return s.isEmpty() ? "run" : s.length() > 40 ? s.substring(0, 40) : s;
  }

  private static void checkRun(String run) {
    checkNotNull(run, "run");
    checkArgument(!run.isBlank(), "a run needs a name");
  }
}
