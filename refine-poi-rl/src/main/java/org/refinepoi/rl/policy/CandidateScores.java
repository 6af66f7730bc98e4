package org.refinepoi.rl.policy;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;

/**
 * A list policy's candidate set for one prompt: the items it may rank and its score of each (a
 * log-probability or any log-scale score; a Plackett-Luce ranking at temperature {@code t} draws
 * item {@code i} next with probability proportional to {@code exp(score_i / t)} among the items not
 * yet drawn).
 *
 * @param items the candidate item ids, distinct, non-empty
 * @param scores one finite score per item
 */
public record CandidateScores(int[] items, double[] scores) {

  /** Checks sizes, distinctness and finiteness, and copies. */
  public CandidateScores {
    checkNotNull(items, "items");
    checkNotNull(scores, "scores");
    checkArgument(items.length > 0, "a candidate set needs at least one item");
    checkArgument(
        items.length == scores.length, "%s items but %s scores", items.length, scores.length);
    items = items.clone();
    scores = scores.clone();
    int[] sorted = items.clone();
    Arrays.sort(sorted);
    for (int i = 1; i < sorted.length; i++) {
      checkArgument(sorted[i] != sorted[i - 1], "candidate item %s appears twice", sorted[i]);
    }
    for (double s : scores) {
      checkArgument(Double.isFinite(s), "candidate scores must be finite, got %s", s);
    }
  }

  /** Number of candidates. */
  public int size() {
    return items.length;
  }

  /** The items by score, highest first (ties: lower item id first): the most likely ranking. */
  public int[] ranked() {
    Integer[] order = new Integer[items.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) ->
            scores[a] != scores[b]
                ? Double.compare(scores[b], scores[a])
                : Integer.compare(items[a], items[b]));
    int[] out = new int[items.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = items[order[i]];
    }
    return out;
  }

  /** A copy of the items. */
  @Override
  public int[] items() {
    return items.clone();
  }

  /** A copy of the scores. */
  @Override
  public double[] scores() {
    return scores.clone();
  }

  /** The candidate position of an item, or -1. */
  public int indexOf(int item) {
    for (int i = 0; i < items.length; i++) {
      if (items[i] == item) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CandidateScores c
        && Arrays.equals(items, c.items)
        && Arrays.equals(scores, c.scores);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(items) + Arrays.hashCode(scores);
  }

  @Override
  public String toString() {
    return "CandidateScores[" + items.length + " items]";
  }
}
