package org.refinepoi.examples.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.refinepoi.pipeline.progress.ProgressListeners;
import org.refinepoi.pipeline.progress.ProgressReporter;
import org.refinepoi.rl.grpo.StepListener;
import org.refinepoi.rl.grpo.StepMetrics;

/** Log-line progress with a fake clock: when lines appear and what they say. */
class LogProgressReporterTest {

  final StringWriter text = new StringWriter();
  final AtomicLong nanos = new AtomicLong();
  final LogProgressReporter reporter =
      new LogProgressReporter(new PrintWriter(text), 25, 5_000_000_000L, nanos::get);

  List<String> lines() {
    return text.toString().lines().toList();
  }

  @Test
  void aLineEveryPercentStepAndAFinalOne() {
    try (var task = reporter.start("SOM level 1", 100, "epoch")) {
      for (int i = 0; i < 100; i++) {
        nanos.addAndGet(10_000_000L); // 10 ms per epoch: the interval never triggers
        task.step();
      }
    }
    assertThat(lines())
        .containsExactly(
            "[SOM level 1] started: 100 epoch",
            "[SOM level 1] 25/100 epoch (25%), 0.3 s elapsed, about 1 s left",
            "[SOM level 1] 50/100 epoch (50%), 0.5 s elapsed, about 1 s left",
            "[SOM level 1] 75/100 epoch (75%), 0.8 s elapsed, about 0 s left",
            "[SOM level 1] 100/100 epoch (100%), 1.0 s elapsed, done");
  }

  @Test
  void slowStepsGetALineEveryInterval() {
    try (var task = reporter.start("SFT", 1000, "step")) {
      nanos.addAndGet(6_000_000_000L);
      task.stepBy(3);
      nanos.addAndGet(1_000_000_000L);
      task.step(); // within the interval and the same 25% bucket: no line
      nanos.addAndGet(5_000_000_000L);
      task.message("loss 2.3100");
      task.step();
    }
    assertThat(lines())
        .containsExactly(
            "[SFT] started: 1000 step",
            "[SFT] 3/1000 step (0%), 6.0 s elapsed, about 1994 s left",
            "[SFT] 5/1000 step (0%), 12.0 s elapsed, about 2388 s left, loss 2.3100",
            "[SFT] 5/1000 step (0%), 12.0 s elapsed, stopped early, loss 2.3100");
  }

  @Test
  void refusesBackwardsOrOverfullProgressAndBadTotals() {
    var task = reporter.start("eval", 10, "method");
    task.stepTo(4);
    assertThatThrownBy(() -> task.stepTo(3)).hasMessageContaining("forward");
    assertThatThrownBy(() -> task.stepTo(11)).hasMessageContaining("[4, 10]");
    assertThatThrownBy(() -> task.stepBy(-1)).hasMessageContaining(">= 0");
    task.stepBy(100); // clamps at the total
    assertThat(task.done()).isEqualTo(10);
    task.close();
    task.close(); // idempotent: one final line
    assertThat(lines()).filteredOn(l -> l.contains("done")).hasSize(1);
    assertThatThrownBy(() -> reporter.start("x", 0, "step")).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> new LogProgressReporter(new PrintWriter(text), 0, 1, nanos::get))
        .hasMessageContaining("percentStep");
  }

  @Test
  void grpoListenerAdvancesAndShowsRewardAndKl() {
    try (var task = reporter.start("GRPO", 4, "step")) {
      StepListener listener = ProgressListeners.grpo(task);
      for (int s = 0; s < 4; s++) {
        listener.onStep(metrics(s, 0.5 + 0.1 * s, s == 0 ? Double.NaN : 0.01 * s));
      }
      assertThat(task.done()).isEqualTo(4);
    }
    assertThat(lines().getLast())
        .isEqualTo("[GRPO] 4/4 step (100%), 0.0 s elapsed, done, reward 0.8000, kl 0.0300");
    assertThat(lines().get(1)).endsWith("reward 0.5000");
  }

  @Test
  void somListenerAdvancesPerEpoch() {
    try (var task = reporter.start("SOM", 3, "epoch")) {
      var listener = ProgressListeners.somEpochs(task);
      listener.epochDone(0, 4.0, null);
      listener.epochDone(1, 2.5, null);
      assertThat(task.done()).isEqualTo(2);
    }
    assertThat(lines().getLast()).endsWith("stopped early, radius 2.50");
  }

  @Test
  void sftListenerShowsLossAndValidation() {
    try (var task = reporter.start("SFT", 10, "step")) {
      var listener = ProgressListeners.sft(task);
      listener.onStep(new org.refinepoi.rl.djl.SftListener.Step(0, 0, 4.5, 1e-3, 1.0, 64));
      listener.onEpoch(new org.refinepoi.rl.djl.SftListener.Epoch(0, 4.5, 4.25, 100, true));
      listener.onStep(new org.refinepoi.rl.djl.SftListener.Step(1, 1, 4.0, 1e-3, 1.0, 64));
      assertThat(task.done()).isEqualTo(2);
    }
    assertThat(lines().getLast())
        .isEqualTo(
            "[SFT] 2/10 step (20%), 0.0 s elapsed, stopped early, loss 4.0000, validation 4.2500");
  }

  @Test
  void noneCountsButPrintsNothing() {
    var task = ProgressReporter.none().start("quiet", 2, "step");
    task.step();
    task.step();
    assertThat(task.done()).isEqualTo(2);
    task.step(); // a listener that reports one step too many never stops training
    assertThat(task.done()).isEqualTo(2);
    assertThatThrownBy(() -> task.stepTo(3)).isInstanceOf(IllegalArgumentException.class);
    task.close();
  }

  @Test
  void autoWritesLinesWhenNotAtATerminal() {
    // Surefire's forked JVM has no console, like a CI job or a pipe.
    org.junit.jupiter.api.Assumptions.assumeFalse(
        ConsoleProgress.atTerminal(), "running at a terminal");
    assertThat(ConsoleProgress.auto()).isInstanceOf(LogProgressReporter.class);
  }

  @Test
  void theBarReporterCountsLikeTheOthers() {
    var task = new BarProgressReporter().start("bar", 3, "step");
    task.message("loss 1.0");
    task.stepTo(2);
    task.step();
    assertThat(task.done()).isEqualTo(3);
    task.close();
    assertThatThrownBy(() -> new BarProgressReporter().start("bar", 0, "step"))
        .hasMessageContaining("at least 1");
  }

  static StepMetrics metrics(long step, double reward, double kl) {
    return new StepMetrics(
        step, 1e-3, reward, 0.1, Map.of(), Map.of(), 0, 1, 0, 0, kl, Double.NaN, 3, 0, 2, 0.5, 1);
  }
}
