package org.refinepoi.rl.reward;

import org.refinepoi.core.sid.SemanticId;

/**
 * One reward term: a pure function of a parsed answer and the ground truth, in [0, 1]. Stateless
 * and thread-safe.
 */
public interface RankingReward {

  /** A short name for logs and breakdowns, for example {@code "ndcg"}. */
  String name();

  /**
   * The reward, in [0, 1].
   *
   * @param answer the parsed answer
   * @param truth the ground-truth ID
   */
  double score(ParsedAnswer answer, SemanticId truth);

  /**
   * Whether the term measures ranking quality (and so is zeroed by format gating in a {@link
   * CompositeReward}); the format term itself says false.
   */
  default boolean gatedByFormat() {
    return true;
  }
}
