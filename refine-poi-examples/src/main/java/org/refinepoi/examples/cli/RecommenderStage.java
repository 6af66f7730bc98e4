package org.refinepoi.examples.cli;

import java.util.List;
import org.refinepoi.core.eval.Recommender;
import org.refinepoi.core.protocol.PreparedData;

/**
 * One step of a command's pipeline that yields recommenders to evaluate, fitted on the training
 * split of the prepared data: the classic baselines today; the semantic-ID and policy stages join
 * the demo later by adding more implementations.
 */
interface RecommenderStage {

  /** The stage's name in the timing lines, for example {@code "fit baselines"}. */
  String name();

  /**
   * Fits this stage's recommenders.
   *
   * @param data the prepared data; fit on its training split only
   * @return the recommenders, in table order
   */
  List<Recommender> fit(PreparedData data);
}
