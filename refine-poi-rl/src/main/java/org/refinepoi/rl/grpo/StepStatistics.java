package org.refinepoi.rl.grpo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleFunction;
import org.refinepoi.rl.policy.UpdateResult;
import org.refinepoi.rl.reward.RewardScores;
import org.slf4j.Logger;

/** The {@link StepMetrics} of a step from its rewards and update, shared by the GRPO trainers. */
final class StepStatistics {

  private StepStatistics() {}

  /**
   * What the updates of one step did.
   *
   * @param learningRate the rate of the first update
   * @param clipLow mean fraction clipped low
   * @param clipHigh mean fraction clipped high
   * @param kl mean k3 KL at the first update (NaN without a reference)
   * @param entropy mean entropy (NaN when unknown)
   * @param loss the first update's loss
   * @param gradNorm the first update's gradient norm
   */
  record UpdateSummary(
      double learningRate,
      double clipLow,
      double clipHigh,
      double kl,
      double entropy,
      double loss,
      double gradNorm) {

    /** This summary with another entropy (one measured from the samples). */
    UpdateSummary withEntropy(double value) {
      return new UpdateSummary(learningRate, clipLow, clipHigh, kl, value, loss, gradNorm);
    }
  }

  /**
   * Runs the config's {@code updatesPerBatch} optimizer steps on one batch, the {@code u}-th at the
   * schedule's rate for optimizer step {@code firstOptimizerStep + u}, and summarizes them: clip
   * fractions averaged over the updates; loss, gradient norm, KL (with a reference) and entropy
   * from the first. The caller advances its optimizer step count by {@code updatesPerBatch}.
   *
   * @param updateAt one optimizer step at the given learning rate
   */
  static UpdateSummary runUpdates(
      GrpoConfig config,
      long firstOptimizerStep,
      boolean hasReference,
      DoubleFunction<UpdateResult> updateAt) {
    int mu = config.updatesPerBatch();
    double clipLow = 0;
    double clipHigh = 0;
    double firstLoss = 0;
    double firstNorm = 0;
    double kl = Double.NaN;
    double entropy = Double.NaN;
    for (int u = 0; u < mu; u++) {
      UpdateResult r = updateAt.apply(config.schedule().rate(firstOptimizerStep + u));
      Map<String, Double> d = r.evaluation().diagnostics();
      clipLow += d.getOrDefault("clip_low", 0.0) / mu;
      clipHigh += d.getOrDefault("clip_high", 0.0) / mu;
      if (u == 0) {
        firstLoss = r.evaluation().loss();
        firstNorm = r.gradNorm();
        kl = hasReference ? d.getOrDefault("kl", Double.NaN) : Double.NaN;
        entropy = r.meanEntropy().orElse(Double.NaN);
      }
    }
    return new UpdateSummary(
        config.schedule().rate(firstOptimizerStep),
        clipLow,
        clipHigh,
        kl,
        entropy,
        firstLoss,
        firstNorm);
  }

  /**
   * The DEBUG line of a step: {@code what} ("GRPO", "list GRPO"), then reward, zero-spread groups,
   * clip fractions, KL, entropy, the completion length when {@code withLength}, and the rate.
   */
  static void logStep(Logger log, String what, StepMetrics m, boolean withLength) {
    if (!log.isDebugEnabled()) {
      return;
    }
    log.debug(
        "{} step {}: reward {} ± {}, zero-spread groups {}, clip low/high {}/{}, kl {}, entropy {}{},"
            + " lr {}",
        what,
        m.step(),
        fmt(m.rewardMean()),
        fmt(m.rewardStd()),
        fmt(m.zeroSpreadGroupFraction()),
        fmt(m.clipLowFraction()),
        fmt(m.clipHighFraction()),
        fmt(m.kl()),
        fmt(m.entropy()),
        withLength ? ", length " + fmt(m.completionLength()) : "",
        m.learningRate());
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  static StepMetrics metrics(
      long step,
      RewardScores scores,
      int[] groupIds,
      double completionLength,
      double truncatedFraction,
      UpdateSummary s) {
    double[] totals = scores.totals();
    Map<Integer, List<Integer>> members = Advantages.groupMembers(totals, groupIds);
    List<Integer> applicable = new ArrayList<>();
    members.values().forEach(applicable::addAll);
    int zeroSpread = 0;
    for (List<Integer> group : members.values()) {
      // Same test as Advantages: a group equal up to rounding noise has no learning signal.
      if (Advantages.withinRoundingNoise(
          Advantages.sampleStd(totals, group), Advantages.mean(totals, group))) {
        zeroSpread++;
      }
    }
    Map<String, Double> termMeans = new LinkedHashMap<>();
    Map<String, Double> termStds = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : scores.terms().entrySet()) {
      List<Integer> idx = present(e.getValue());
      termMeans.put(e.getKey(), idx.isEmpty() ? Double.NaN : Advantages.mean(e.getValue(), idx));
      termStds.put(e.getKey(), Advantages.sampleStd(e.getValue(), idx));
    }
    double[] lists = scores.diagnostics().get("list_length");
    double listLength = Double.NaN;
    if (lists != null && !present(lists).isEmpty()) {
      listLength = Advantages.mean(lists, present(lists));
    }
    return new StepMetrics(
        step,
        s.learningRate(),
        applicable.isEmpty() ? Double.NaN : Advantages.mean(totals, applicable),
        Advantages.sampleStd(totals, applicable),
        termMeans,
        termStds,
        members.isEmpty() ? Double.NaN : (double) zeroSpread / members.size(),
        (double) applicable.size() / totals.length,
        s.clipLow(),
        s.clipHigh(),
        s.kl(),
        s.entropy(),
        completionLength,
        truncatedFraction,
        listLength,
        s.loss(),
        s.gradNorm());
  }

  private static List<Integer> present(double[] values) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      if (!Double.isNaN(values[i])) {
        idx.add(i);
      }
    }
    return idx;
  }
}
