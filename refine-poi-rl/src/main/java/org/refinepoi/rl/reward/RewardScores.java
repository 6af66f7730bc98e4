package org.refinepoi.rl.reward;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The rewards of a batch: one total per sample ({@code NaN} = not applicable, as TRL's {@code
 * None}), the per-term breakdown that made it (same convention), and per-sample diagnostics that
 * are not rewards (for example the parsed list length) for logging.
 *
 * @param totals the reward of each sample; NaN when not applicable
 * @param terms per term name, one value per sample (NaN when not applicable); insertion order
 * @param diagnostics per name, one value per sample (NaN when not defined)
 */
public record RewardScores(
    double[] totals, Map<String, double[]> terms, Map<String, double[]> diagnostics) {

  /**
   * Checks sizes and copies.
   *
   * @throws IllegalArgumentException when a term or diagnostic does not hold one value per sample,
   *     or a total is infinite
   */
  public RewardScores {
    checkNotNull(totals, "totals");
    totals = totals.clone();
    terms = copy(terms, totals.length, "term");
    diagnostics = copy(diagnostics, totals.length, "diagnostic");
    for (double t : totals) {
      checkArgument(!Double.isInfinite(t), "rewards must be finite or NaN, got %s", t);
    }
  }

  private static Map<String, double[]> copy(Map<String, double[]> map, int n, String what) {
    checkNotNull(map, what + "s");
    Map<String, double[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : map.entrySet()) {
      checkNotNull(e.getKey(), "a %s name is null", what);
      checkNotNull(e.getValue(), "%s %s has no values", what, e.getKey());
      checkArgument(
          e.getValue().length == n,
          "%s %s has %s values for %s samples",
          what,
          e.getKey(),
          e.getValue().length,
          n);
      out.put(e.getKey(), e.getValue().clone());
    }
    return ImmutableMap.copyOf(out);
  }

  /** Scores with a single term named like the reward. */
  public static RewardScores single(String name, double[] values) {
    return new RewardScores(values, Map.of(name, values), Map.of());
  }

  /** Number of samples. */
  public int size() {
    return totals.length;
  }

  /** The reward of sample {@code i}, empty when not applicable. */
  public OptionalDouble total(int i) {
    checkElementIndex(i, totals.length, "sample");
    return Double.isNaN(totals[i]) ? OptionalDouble.empty() : OptionalDouble.of(totals[i]);
  }

  /** A copy of the totals (NaN = not applicable). */
  @Override
  public double[] totals() {
    return totals.clone();
  }
}
