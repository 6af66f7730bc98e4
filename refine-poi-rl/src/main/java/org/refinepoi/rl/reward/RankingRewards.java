package org.refinepoi.rl.reward;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.refinepoi.core.sid.SemanticId;

/**
 * The ranking rewards as plain static functions of a ranked list (best first) and the ground truth,
 * for projects that embed them without the parser. Each returns a value in [0, 1]. The {@link
 * RankingReward} terms ({@link #reciprocalRank(int)}, ...) wrap them for parsed answers and read
 * only the first k items.
 *
 * <p>Stateless and thread-safe.
 */
public final class RankingRewards {

  private RankingRewards() {}

  /** The 1-based rank of the first occurrence of {@code truth}, or 0 when absent. */
  public static int rankOf(List<SemanticId> list, SemanticId truth) {
    checkNotNull(list, "list");
    checkNotNull(truth, "truth");
    int i = list.indexOf(truth);
    return i < 0 ? 0 : i + 1;
  }

  /** {@code 1 / rank} of the truth, 0 when absent. */
  public static double reciprocalRank(List<SemanticId> list, SemanticId truth) {
    int rank = rankOf(list, truth);
    return rank == 0 ? 0.0 : 1.0 / rank;
  }

  /**
   * NDCG@k with a single relevant item: {@code 1 / log2(rank + 1)} when the truth is within the
   * first k, else 0 (the ideal DCG is 1).
   */
  public static double ndcg(List<SemanticId> list, SemanticId truth, int k) {
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    int rank = rankOf(list, truth);
    return rank == 0 || rank > k ? 0.0 : RankDiscount.LOG2.at(rank);
  }

  /** Distinct items / items; duplicates earn nothing; 0 for an empty list. */
  public static double diversity(List<SemanticId> list) {
    checkNotNull(list, "list");
    if (list.isEmpty()) {
      return 0.0;
    }
    Set<SemanticId> distinct = new HashSet<>(list);
    return (double) distinct.size() / list.size();
  }

  /** A reciprocal-rank term over the first k items. */
  public static RankingReward reciprocalRank(int k) {
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    return new Term("reciprocal_rank", true) {
      @Override
      public double score(ParsedAnswer answer, SemanticId truth) {
        return reciprocalRank(answer.top(k), truth);
      }
    };
  }

  /** An NDCG@k term. */
  public static RankingReward ndcg(int k) {
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    return new Term("ndcg", true) {
      @Override
      public double score(ParsedAnswer answer, SemanticId truth) {
        return ndcg(answer.top(k), truth, k);
      }
    };
  }

  /** A diversity term over all valid items of the answer (duplicates beyond k count too). */
  public static RankingReward diversity() {
    return new Term("diversity", true) {
      @Override
      public double score(ParsedAnswer answer, SemanticId truth) {
        return diversity(answer.items());
      }
    };
  }

  /** Base of the small terms: a name and the gating flag. */
  private abstract static class Term implements RankingReward {
    private final String name;
    private final boolean gated;

    Term(String name, boolean gated) {
      this.name = name;
      this.gated = gated;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public boolean gatedByFormat() {
      return gated;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
