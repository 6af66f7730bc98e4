package org.refinepoi.examples.report;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.refinepoi.pipeline.progress.TrainingRecorder;
import org.refinepoi.rl.grpo.StepMetrics;

/**
 * The training charts of a report: per run of a {@link TrainingRecorder} the SFT loss (train per
 * step, validation per epoch) and, when GRPO ran, its rewards and its KL and clip fraction, and the
 * RL validation curve.
 */
public final class TrainingCharts {

  private TrainingCharts() {}

  /**
   * Adds the charts of every run a recorder holds to a report, SFT then GRPO per run in the order
   * the runs were first seen. File names carry the run name (lower case, {@code a-z0-9-}).
   *
   * @return the PNGs written
   */
  public static List<Path> addTo(ReportWriter writer, TrainingRecorder recorder)
      throws IOException {
    checkNotNull(writer, "writer");
    checkNotNull(recorder, "recorder");
    List<String> runs = recorder.runs();
    List<Path> out = new ArrayList<>();
    for (String run : runs) {
      String stem = stem(run);
      List<double[]> steps = recorder.sftSteps(run);
      if (steps.stream().anyMatch(p -> !Double.isNaN(p[1]))) {
        out.add(
            writer.addSftLoss(
                "sft-loss-" + stem,
                run,
                curve("train loss", steps),
                curve("validation loss", recorder.sftEpochs(run))));
      }
      List<StepMetrics> g = recorder.grpoSteps(run);
      if (!g.isEmpty()) {
        out.add(writer.addGrpoRewards("grpo-reward-" + stem, run, g));
        // Without a KL penalty and with one update per batch both curves are 0: no chart then.
        if (ReportWriter.hasKlOrClip(g)) {
          out.add(writer.addGrpoKlAndClip("grpo-kl-clip-" + stem, run, g));
        }
      }
      List<double[]> v = recorder.validationScores(run);
      if (v.size() > 1) {
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
}
