package org.refinepoi.examples.pipeline;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Map;
import java.util.Optional;
import org.refinepoi.core.eval.EvaluationResult;

/**
 * One evaluated method of the experiment.
 *
 * @param evaluation its metrics on the test split, overall and cold-start
 * @param kind {@code "baseline"}, {@code "sft"} or {@code "sft+grpo"}
 * @param role its part in the comparison ({@code metrics.json}): {@code "baseline"}, {@code "sft"},
 *     {@code "final"} (the model the SDK recommends: SFT then RL; exactly one per run) or {@code
 *     "ablation"}
 * @param scheme the ID scheme its policy writes (empty for the baselines)
 * @param seed the seed its training used
 * @param trainSeconds wall time of its training (fit, SFT, or SFT plus GRPO)
 * @param evalSeconds wall time of producing its test rankings and metrics
 * @param details what training did and measured (epochs, losses, rewards, throughput), in order
 * @param testRanks the rank of each test sample's target in the method's list (1-based, or {@link
 *     org.refinepoi.core.eval.RankingMetrics#MISS}), in test-sample order: what the paired
 *     bootstrap compares
 */
public record MethodResult(
    EvaluationResult evaluation,
    String kind,
    String role,
    Optional<IdScheme> scheme,
    long seed,
    double trainSeconds,
    double evalSeconds,
    Map<String, Object> details,
    int[] testRanks) {

  /** The roles of {@code metrics.json}. */
  public static final java.util.Set<String> ROLES =
      java.util.Set.of("baseline", "sft", "final", "ablation");

  /** Copies the details. */
  public MethodResult {
    checkNotNull(evaluation, "evaluation");
    checkNotNull(kind, "kind");
    checkNotNull(role, "role");
    checkArgument(ROLES.contains(role), "unknown role %s", role);
    checkNotNull(testRanks, "testRanks");
    testRanks = testRanks.clone();
    checkNotNull(scheme, "scheme");
    details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
  }

  @Override
  public int[] testRanks() {
    return testRanks.clone();
  }

  /** The method's name in tables. */
  public String method() {
    return evaluation.method();
  }
}
