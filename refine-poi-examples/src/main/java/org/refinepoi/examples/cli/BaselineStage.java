package org.refinepoi.examples.cli;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.List;
import org.refinepoi.core.eval.Baselines;
import org.refinepoi.core.eval.Recommender;
import org.refinepoi.core.protocol.PreparedData;

/**
 * The four classic baselines (most popular, the user's most visited, Markov transitions,
 * popular-near-the-last-check-in).
 *
 * @param markovSmoothing the Markov baseline's prior mass towards the user's own visits (0 = none)
 * @param nearScaleKm the distance scale of popular-near-the-last-check-in, km
 */
record BaselineStage(double markovSmoothing, double nearScaleKm) implements RecommenderStage {

  /** Checks the parameters (the baselines check them again, with their own messages). */
  BaselineStage {
    checkArgument(markovSmoothing >= 0, "--markov-smoothing must be >= 0");
    checkArgument(nearScaleKm > 0, "--near-scale-km must be > 0");
  }

  @Override
  public String name() {
    return "fit baselines";
  }

  @Override
  public List<Recommender> fit(PreparedData data) {
    return Baselines.fitAll(data, markovSmoothing, nearScaleKm);
  }
}
