package org.refinepoi.rl.policy;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;

/**
 * One ranked list drawn for a prompt: the candidate set it was drawn from (fixed, so that the
 * update scores exactly the items the sampler saw) and the ranking as positions into it.
 *
 * @param prompt the prompt
 * @param candidates the candidate items, distinct, non-empty
 * @param ranking the list, best first, as indices into {@code candidates}; distinct, non-empty, no
 *     longer than the candidates
 * @param <P> the prompt type
 */
public record ListRollout<P>(P prompt, int[] candidates, int[] ranking) {

  /** Checks the indices and copies. */
  public ListRollout {
    checkNotNull(prompt, "prompt");
    checkNotNull(candidates, "candidates");
    checkNotNull(ranking, "ranking");
    checkArgument(candidates.length > 0, "a rollout needs candidates");
    checkArgument(
        ranking.length > 0 && ranking.length <= candidates.length,
        "a ranking of %s items from %s candidates",
        ranking.length,
        candidates.length);
    candidates = candidates.clone();
    ranking = ranking.clone();
    boolean[] seen = new boolean[candidates.length];
    for (int r : ranking) {
      checkElementIndex(r, candidates.length, "ranking position");
      checkArgument(!seen[r], "candidate %s ranked twice", r);
      seen[r] = true;
    }
  }

  /** The ranked items (candidate ids, best first). */
  public int[] items() {
    int[] out = new int[ranking.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = candidates[ranking[i]];
    }
    return out;
  }

  /** A copy of the candidates. */
  @Override
  public int[] candidates() {
    return candidates.clone();
  }

  /** A copy of the ranking. */
  @Override
  public int[] ranking() {
    return ranking.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ListRollout<?> r
        && prompt.equals(r.prompt)
        && Arrays.equals(candidates, r.candidates)
        && Arrays.equals(ranking, r.ranking);
  }

  @Override
  public int hashCode() {
    return (prompt.hashCode() * 31 + Arrays.hashCode(candidates)) * 31 + Arrays.hashCode(ranking);
  }

  @Override
  public String toString() {
    return "ListRollout" + Arrays.toString(items());
  }
}
