package org.refinepoi.pipeline.recommender;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableMap;
import java.util.Map;
import org.refinepoi.core.eval.MetricsReport;

/**
 * Where a trained recommender came from, as its bundle records it.
 *
 * @param libraryVersion the Refine-POI version that trained it
 * @param dataset the dataset's name
 * @param dataFingerprint SHA-256 (hex) of the prepared data: POI ids and coordinates, user ids and
 *     every check-in (user, POI, time, offset); {@link NextPoiRecommender#evaluate} refuses other
 *     data
 * @param seed the master seed
 * @param config the experiment settings it was trained with ({@code ExperimentConfig.describe()})
 * @param testMetrics its metrics on the test split at training time (top-10 lists)
 * @param testColdStartMetrics the same over the cold-start users' samples
 * @param trainSeconds wall time of SFT and list GRPO
 * @param training SFT and RL details (epochs run, RL accepted, ...) as {@code metrics.json} has
 *     them
 */
public record Provenance(
    String libraryVersion,
    String dataset,
    String dataFingerprint,
    long seed,
    Map<String, Object> config,
    MetricsReport testMetrics,
    MetricsReport testColdStartMetrics,
    double trainSeconds,
    Map<String, Object> training) {

  /** Checks the fields and copies the maps (null values dropped). */
  public Provenance {
    checkNotNull(libraryVersion, "libraryVersion");
    checkNotNull(dataset, "dataset");
    checkNotNull(dataFingerprint, "dataFingerprint");
    checkNotNull(testMetrics, "testMetrics");
    checkNotNull(testColdStartMetrics, "testColdStartMetrics");
    config = copy(config);
    training = copy(training);
  }

  private static Map<String, Object> copy(Map<String, Object> map) {
    checkNotNull(map, "map");
    ImmutableMap.Builder<String, Object> b = ImmutableMap.builder();
    map.forEach(
        (k, v) -> {
          if (k != null && v != null) {
            b.put(k, v);
          }
        });
    return b.buildKeepingLast();
  }
}
