package org.refinepoi.rl.grpo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.refinepoi.rl.reward.RewardScores;

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
      double gradNorm) {}

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
