package org.refinepoi.examples.pipeline;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import java.util.Map;
import org.refinepoi.core.protocol.DatasetStats;

/**
 * Everything a {@link RecommendationExperiment} run produced.
 *
 * @param config the settings
 * @param stats the prepared data's statistics (sample counts per split included)
 * @param featureDimension the width of the POI feature vectors
 * @param schemes the four ID schemes with their quality, in {@link IdScheme} order
 * @param methods every evaluated method, in table order
 * @param comparisons {@code "final_vs_sft"} and {@code "final_vs_best_baseline"} (the baseline with
 *     the best validation NDCG@10), when those methods ran
 * @param stageSeconds wall time of each stage, in run order
 * @param totalSeconds wall time of the whole run
 */
public record ExperimentResult(
    ExperimentConfig config,
    DatasetStats stats,
    int featureDimension,
    List<SchemeIds> schemes,
    List<MethodResult> methods,
    Map<String, Comparison> comparisons,
    Map<String, Double> stageSeconds,
    double totalSeconds) {

  /** Copies the collections. */
  public ExperimentResult {
    checkNotNull(config, "config");
    checkNotNull(stats, "stats");
    schemes = List.copyOf(schemes);
    methods = List.copyOf(methods);
    comparisons = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(comparisons));
    stageSeconds =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(stageSeconds));
  }
}
