package org.refinepoi.rl.reward;

import static com.google.common.base.Preconditions.checkArgument;

import org.refinepoi.core.sid.SemanticId;

/**
 * The format term: did the answer parse, is every item a valid ID, are there at most k items.
 *
 * <p>Strict (default): 1 for a {@linkplain ParsedAnswer#wellFormed() well-formed} answer with at
 * most k items, else 0. With partial credit: 0 without an answer block or with no entry; otherwise
 * {@code validItems / entries}, times {@code k / entries} when there are more than k entries, so a
 * mostly valid list earns most of the credit and a single bad token does not erase the signal.
 *
 * <p>Immutable and thread-safe; values are in [0, 1].
 */
public final class FormatReward implements RankingReward {

  private final int k;
  private final boolean partialCredit;

  /**
   * A format term.
   *
   * @param k the most items allowed
   * @param partialCredit whether to grade instead of pass/fail (see the class comment)
   */
  public FormatReward(int k, boolean partialCredit) {
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    this.k = k;
    this.partialCredit = partialCredit;
  }

  /** A strict format term. */
  public static FormatReward strict(int k) {
    return new FormatReward(k, false);
  }

  @Override
  public String name() {
    return "format";
  }

  @Override
  public boolean gatedByFormat() {
    return false;
  }

  /** Whether an answer passes the strict check (what {@link CompositeReward} gates on). */
  public boolean passes(ParsedAnswer answer) {
    return answer.wellFormed() && answer.entryCount() <= k;
  }

  @Override
  public double score(ParsedAnswer answer, SemanticId truth) {
    if (!partialCredit) {
      return passes(answer) ? 1.0 : 0.0;
    }
    int entries = answer.entryCount();
    if (!answer.answerFound() || entries == 0) {
      return 0.0;
    }
    double valid = (double) answer.items().size() / entries;
    return entries <= k ? valid : valid * k / entries;
  }

  @Override
  public String toString() {
    return "format(k=" + k + (partialCredit ? ", partial" : "") + ")";
  }
}
