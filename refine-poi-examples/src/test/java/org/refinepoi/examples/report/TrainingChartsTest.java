package org.refinepoi.examples.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.pipeline.progress.TrainingRecorder;
import org.refinepoi.rl.djl.SftListener;
import org.refinepoi.rl.grpo.StepListener;
import org.refinepoi.rl.grpo.StepMetrics;

/**
 * Recorded runs ({@link TrainingRecorder}) become one SFT chart and, when GRPO ran, two GRPO charts
 * each.
 */
class TrainingChartsTest {

  @TempDir Path dir;

  static StepMetrics step(long s) {
    return new StepMetrics(
        s,
        1e-4,
        0.3 + 0.01 * s,
        0.1,
        Map.of("ndcg", 0.2 + 0.01 * s, "format", 1.0),
        Map.of("ndcg", 0.1, "format", 0.0),
        0.1,
        1,
        0.01,
        0.02 * (s % 3),
        0.001 * s,
        1.2,
        21,
        0,
        10,
        0.4,
        1.1);
  }

  @Test
  void writesTheChartsOfEveryRun() throws IOException {
    TrainingRecorder recorder = new TrainingRecorder();
    SftListener hsom = recorder.sft("SFT (HSOM)");
    for (int s = 0; s < 30; s++) {
      hsom.onStep(new SftListener.Step(s, s / 10, 5.0 / (1 + s), 1e-3, 1, 64));
      if (s % 10 == 9) {
        hsom.onEpoch(new SftListener.Epoch(s / 10, 1, 6.0 / (1 + s), 100, true));
      }
      recorder.sftStep("SFT (random IDs)", s, 6.0 / (1 + s));
    }
    StepListener listener = recorder.grpo("SFT (HSOM)");
    for (int s = 0; s < 20; s++) {
      listener.onStep(step(s));
    }
    assertThat(recorder.grpoSteps("SFT (HSOM)")).hasSize(20);
    ReportWriter w = new ReportWriter(dir, "training");
    List<Path> pngs = TrainingCharts.addTo(w, recorder);
    w.writeIndex();
    assertThat(pngs)
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "sft-loss-sft-hsom.png",
            "grpo-reward-sft-hsom.png",
            "grpo-kl-clip-sft-hsom.png",
            "sft-loss-sft-random-ids.png");
    PngChecks.checkReport(dir, pngs);
  }
}
