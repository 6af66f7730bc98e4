package org.refinepoi.examples.pipeline;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Map;
import java.util.Optional;
import org.refinepoi.core.eval.EvaluationResult;

/**
 * One evaluated method of the experiment.
 *
 * @param evaluation its metrics on the test split, overall and cold-start
 * @param kind {@code "baseline"}, {@code "sft"} or {@code "sft+grpo"}
 * @param scheme the ID scheme its policy writes (empty for the baselines)
 * @param seed the seed its training used
 * @param trainSeconds wall time of its training (fit, SFT, or SFT plus GRPO)
 * @param evalSeconds wall time of producing its test rankings and metrics
 * @param details what training did and measured (epochs, losses, rewards, throughput), in order
 */
public record MethodResult(
    EvaluationResult evaluation,
    String kind,
    Optional<IdScheme> scheme,
    long seed,
    double trainSeconds,
    double evalSeconds,
    Map<String, Object> details) {

  /** Copies the details. */
  public MethodResult {
    checkNotNull(evaluation, "evaluation");
    checkNotNull(kind, "kind");
    checkNotNull(scheme, "scheme");
    details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
  }

  /** The method's name in tables. */
  public String method() {
    return evaluation.method();
  }
}
