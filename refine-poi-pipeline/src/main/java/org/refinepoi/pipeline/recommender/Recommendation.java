package org.refinepoi.pipeline.recommender;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * One ranked POI of {@link NextPoiRecommender#recommend} with the evidence for it.
 *
 * @param rank 1 for the first item
 * @param poiId the POI's source id
 * @param semanticId its semantic ID in the model's token format, for example {@code
 *     <a_3_4><b_1_0><c_0>}
 * @param probability the policy's probability of this POI being the next check-in, in (0, 1]
 * @param origin whether the POI was in the user's history (copied) or is new to the user (generated
 *     through the ID trie)
 * @param historyCount how often the history holds this POI (0 when generated)
 * @param latticeDistance the lattice distance between this POI's ID and the last visited POI's
 *     ({@code 0} for the same POI; see {@code SemanticIdIndex.distance})
 */
public record Recommendation(
    int rank,
    String poiId,
    String semanticId,
    double probability,
    Origin origin,
    int historyCount,
    double latticeDistance) {

  /** Where a recommended POI came from. */
  public enum Origin {
    /** The user has visited it: the policy's copy path. */
    COPIED,
    /** The user has not visited it: generated over the semantic-ID trie. */
    GENERATED
  }

  /** Checks the fields. */
  public Recommendation {
    checkArgument(rank >= 1, "rank must be >= 1, got %s", rank);
    checkNotNull(poiId, "poiId");
    checkNotNull(semanticId, "semanticId");
    checkNotNull(origin, "origin");
    checkArgument(historyCount >= 0, "historyCount must be >= 0, got %s", historyCount);
    checkArgument(
        (origin == Origin.COPIED) == (historyCount > 0),
        "a copied POI has a history count, a generated one none (%s, %s)",
        origin,
        historyCount);
  }
}
