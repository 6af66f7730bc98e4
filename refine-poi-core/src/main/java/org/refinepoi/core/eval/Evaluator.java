package org.refinepoi.core.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;
import org.refinepoi.core.protocol.Sample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link Recommender}s over next-POI samples and reports {@link MetricsReport}s overall and
 * for cold-start users.
 *
 * <p><b>List size.</b> By default each recommender is asked for the whole catalogue ({@code k =}
 * catalogue size), so MRR is the exact full-catalogue MRR. A smaller {@link Builder#listSize} cap
 * (for example 100 for a generative policy that cannot rank every POI) leaves Acc@k and NDCG@k for
 * {@code k <= cap} unchanged and turns MRR into MRR@cap: targets ranked below the cap count 0, a
 * lower bound of the full MRR. A recommender may return fewer POIs than asked; a target it leaves
 * out counts as a miss everywhere.
 *
 * <p><b>Validation.</b> Every list is checked: no more entries than asked, every entry a valid POI
 * index, no duplicates. A violation throws an {@link IllegalStateException} naming the recommender,
 * the sample and the offending POI, since metrics on such a list would be meaningless.
 *
 * <p><b>Determinism.</b> Samples are ranked in parallel (the common fork-join pool) when {@link
 * Builder#parallel} is on; each sample's rank is stored at its index and the ranks are summed in
 * sample order, so results do not depend on thread scheduling, provided the recommender itself is
 * deterministic. Immutable and thread-safe.
 */
public final class Evaluator {

  private static final Logger log = LoggerFactory.getLogger(Evaluator.class);

  private final int poiCount;
  private final int listSize;
  private final boolean parallel;

  private Evaluator(Builder b) {
    this.poiCount = b.poiCount;
    this.listSize = b.listSize == 0 ? b.poiCount : Math.min(b.listSize, b.poiCount);
    this.parallel = b.parallel;
  }

  /**
   * An evaluator with the default settings: full-catalogue lists, parallel.
   *
   * @param poiCount the catalogue size; sample targets and recommended POIs index it
   */
  public static Evaluator forCatalogue(int poiCount) {
    return builder(poiCount).build();
  }

  /**
   * A builder.
   *
   * @param poiCount the catalogue size; sample targets and recommended POIs index it
   */
  public static Builder builder(int poiCount) {
    return new Builder(poiCount);
  }

  /** The catalogue size. */
  public int poiCount() {
    return poiCount;
  }

  /** How many POIs each recommender is asked for per sample. */
  public int listSize() {
    return listSize;
  }

  /**
   * Evaluates one recommender.
   *
   * @param recommender the recommender to run
   * @param samples the samples, for example the test split's; not empty
   * @return overall and cold-start metrics
   * @throws IllegalArgumentException if the samples are empty or a target is outside the catalogue
   * @throws IllegalStateException if the recommender returns an invalid list (named in the message)
   */
  public EvaluationResult evaluate(Recommender recommender, List<Sample> samples) {
    int[] ranks = ranks(recommender, samples);
    RankingMetrics overall = new RankingMetrics();
    RankingMetrics cold = new RankingMetrics();
    for (int i = 0; i < ranks.length; i++) {
      overall.add(ranks[i]);
      if (samples.get(i).coldStart()) {
        cold.add(ranks[i]);
      }
    }
    EvaluationResult result =
        new EvaluationResult(recommender.name(), overall.report(), cold.report(), listSize);
    log.debug("{}: {}", recommender.name(), result);
    return result;
  }

  /**
   * Evaluates several recommenders on the same samples, in the given order.
   *
   * @return one result per recommender, same order
   */
  public ImmutableList<EvaluationResult> evaluateAll(
      List<? extends Recommender> recommenders, List<Sample> samples) {
    checkNotNull(recommenders, "recommenders");
    ImmutableList.Builder<EvaluationResult> out = ImmutableList.builder();
    for (Recommender r : recommenders) {
      out.add(evaluate(r, samples));
    }
    return out.build();
  }

  /**
   * The rank of each sample's target in the recommender's list: 1-based, or {@link
   * RankingMetrics#MISS} when the list leaves the target out.
   *
   * @return one rank per sample, in sample order
   */
  public int[] ranks(Recommender recommender, List<Sample> samples) {
    checkNotNull(recommender, "recommender");
    checkNotNull(samples, "samples");
    checkArgument(!samples.isEmpty(), "no samples to evaluate %s on", recommender.name());
    List<Sample> list = List.copyOf(samples);
    for (int i = 0; i < list.size(); i++) {
      int target = list.get(i).targetPoi();
      checkArgument(
          target < poiCount,
          "sample %s has target POI %s outside the catalogue of %s POIs",
          i,
          target,
          poiCount);
    }
    int[] ranks = new int[list.size()];
    IntStream indices = IntStream.range(0, list.size());
    if (parallel) {
      indices = indices.parallel();
    }
    indices.forEach(i -> ranks[i] = rankOne(recommender, list.get(i), i));
    return ranks;
  }

  private int rankOne(Recommender recommender, Sample sample, int index) {
    int[] ranked;
    try {
      ranked = recommender.recommend(sample, listSize);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "recommender %s failed on sample %d (user %d): %s"
              .formatted(recommender.name(), index, sample.user(), e.getMessage()),
          e);
    }
    if (ranked == null) {
      throw invalid(recommender, sample, index, "returned null");
    }
    if (ranked.length > listSize) {
      throw invalid(
          recommender,
          sample,
          index,
          "returned %d POIs when asked for %d".formatted(ranked.length, listSize));
    }
    BitSet seen = new BitSet(poiCount);
    int rank = RankingMetrics.MISS;
    for (int i = 0; i < ranked.length; i++) {
      int poi = ranked[i];
      if (poi < 0 || poi >= poiCount) {
        throw invalid(
            recommender,
            sample,
            index,
            "returned POI index %d outside the catalogue [0, %d)".formatted(poi, poiCount));
      }
      if (seen.get(poi)) {
        throw invalid(
            recommender,
            sample,
            index,
            "returned POI %d twice (at positions %d and %d)"
                .formatted(poi, RankingMetrics.rankOf(Arrays.copyOf(ranked, i), poi), i + 1));
      }
      seen.set(poi);
      if (poi == sample.targetPoi()) {
        rank = i + 1;
      }
    }
    return rank;
  }

  private static IllegalStateException invalid(
      Recommender recommender, Sample sample, int index, String what) {
    return new IllegalStateException(
        "recommender %s %s for sample %d (user %d)"
            .formatted(recommender.name(), what, index, sample.user()));
  }

  /** Builds an {@link Evaluator}. */
  public static final class Builder {
    private final int poiCount;
    private int listSize;
    private boolean parallel = true;

    private Builder(int poiCount) {
      checkArgument(poiCount >= 1, "the catalogue needs at least one POI, got %s", poiCount);
      this.poiCount = poiCount;
    }

    /**
     * How many POIs to ask each recommender for. Default: the catalogue size (exact MRR). Values
     * above the catalogue size are clamped to it.
     *
     * @param listSize at least 10, so that Acc@10 and NDCG@10 stay meaningful
     */
    public Builder listSize(int listSize) {
      checkArgument(
          listSize >= 10, "list size must be >= 10 (Acc@10 needs 10 entries), got %s", listSize);
      this.listSize = listSize;
      return this;
    }

    /** Whether to rank samples in parallel. Default: {@code true}. */
    public Builder parallel(boolean parallel) {
      this.parallel = parallel;
      return this;
    }

    /** The evaluator. */
    public Evaluator build() {
      return new Evaluator(this);
    }
  }
}
