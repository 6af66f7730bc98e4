package org.refinepoi.pipeline.experiment;

import static com.google.common.base.Preconditions.checkNotNull;

import org.refinepoi.core.features.PoiFeatures;
import org.refinepoi.core.history.HistoryEvidence;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.pipeline.ids.SchemeIds;
import org.refinepoi.rl.djl.HistoryPolicy;

/**
 * Everything a trained recommended model consists of, as the experiment's stages produced it: the
 * input of {@code NextPoiRecommender.from}. The policy belongs to the run that trained it and is
 * open only while the callback that received this runs ({@link
 * RecommendationExperiment#onTrainedModel}); keep a copy, not the reference.
 *
 * @param config the experiment's settings
 * @param data the prepared data it was trained on (its dense POI and user numbering)
 * @param features the POI features (stage 2)
 * @param ids the HSOM TREE IDs with the fitted model (stage 3)
 * @param evidence the history evidence of the training split (stage 5)
 * @param policy the trained policy (stage 6)
 * @param result its metrics on the test split
 */
public record TrainedModel(
    ExperimentConfig config,
    PreparedData data,
    PoiFeatures features,
    SchemeIds ids,
    HistoryEvidence evidence,
    HistoryPolicy policy,
    MethodResult result) {

  /** Checks that nothing is null. */
  public TrainedModel {
    checkNotNull(config, "config");
    checkNotNull(data, "data");
    checkNotNull(features, "features");
    checkNotNull(ids, "ids");
    checkNotNull(evidence, "evidence");
    checkNotNull(policy, "policy");
    checkNotNull(result, "result");
  }
}
