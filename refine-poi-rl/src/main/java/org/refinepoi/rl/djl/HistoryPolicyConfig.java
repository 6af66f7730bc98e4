package org.refinepoi.rl.djl;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The shape and switches of a {@link HistoryPolicy}; build with {@link #builder()}. Every switch is
 * there for ablations; the defaults are the recommended model:
 *
 * <ul>
 *   <li>width 64, 2 encoder layers, 4 heads, MLP width 128;
 *   <li>the 8 most recent check-ins as context and 32 copy candidates (the recent POIs, then the
 *       most visited; on Foursquare NYC 32 candidates hold the target of 95% of test samples, and
 *       64 add 0.2 points);
 *   <li>copy path on (a pointer over the candidates mixed with generation by a learned gate);
 *   <li>history summary on (candidates and their evidence from the whole memory; off: from the
 *       recent check-ins only);
 *   <li>a user embedding on (the protocol evaluates users seen in training; a user the policy was
 *       not trained on reads the mean of the trained users' embeddings, {@link
 *       HistoryPolicy#unseenUser()});
 *   <li>topology embeddings on (each level's lattice row and column add a shared vector to the
 *       cell's own, so that neighbouring cells start near each other and share what they learn);
 *   <li>a free embedding per POI on, besides its ID tokens' (so colliding POIs can differ);
 *   <li>list scores standardized to a spread of 2 (see {@link #listScale});
 *   <li>seed 42.
 * </ul>
 *
 * @param dModel the width, divisible by heads
 * @param layers encoder layers, {@code >= 1}
 * @param heads attention heads
 * @param mlpWidth MLP hidden width
 * @param recentCheckIns the most recent check-ins read as context, {@code >= 1}
 * @param candidateSlots copy candidates per sample, {@code >= 1}
 * @param copy whether the copy path is on (off: generation only)
 * @param summary whether the history summary is on (off: the memory is the recent check-ins)
 * @param userEmbedding whether the query carries a user embedding
 * @param topologyEmbeddings whether lattice rows and columns add shared embeddings
 * @param poiEmbedding whether each POI has a free embedding besides its ID tokens'
 * @param listScale the spread of the Plackett-Luce scores: each candidate set's {@code log p} are
 *     standardized (mean 0, standard deviation 1) then multiplied by this, so that a policy
 *     gradient cannot raise the expected reward of sampled lists by merely sharpening the
 *     distribution (what an unconstrained PL policy learns first) and has to change the order; the
 *     most likely ranking is the order of {@code log p} either way. 0 = the raw {@code log p},
 *     finite and {@code >= 0}
 * @param seed the initialization seed
 */
public record HistoryPolicyConfig(
    int dModel,
    int layers,
    int heads,
    int mlpWidth,
    int recentCheckIns,
    int candidateSlots,
    boolean copy,
    boolean summary,
    boolean userEmbedding,
    boolean topologyEmbeddings,
    boolean poiEmbedding,
    double listScale,
    long seed) {

  /** Validates. */
  public HistoryPolicyConfig {
    checkArgument(dModel >= 1, "dModel must be >= 1, got %s", dModel);
    checkArgument(layers >= 1, "layers must be >= 1, got %s", layers);
    checkArgument(
        heads >= 1 && dModel % heads == 0, "heads %s must divide dModel %s", heads, dModel);
    checkArgument(mlpWidth >= 1, "mlpWidth must be >= 1, got %s", mlpWidth);
    checkArgument(recentCheckIns >= 1, "recentCheckIns must be >= 1, got %s", recentCheckIns);
    checkArgument(candidateSlots >= 1, "candidateSlots must be >= 1, got %s", candidateSlots);
    checkArgument(
        Double.isFinite(listScale) && listScale >= 0, "listScale must be >= 0, got %s", listScale);
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder with this config's values. */
  public Builder toBuilder() {
    return new Builder()
        .model(dModel, layers, heads, mlpWidth)
        .context(recentCheckIns, candidateSlots)
        .copy(copy)
        .summary(summary)
        .userEmbedding(userEmbedding)
        .topologyEmbeddings(topologyEmbeddings)
        .poiEmbedding(poiEmbedding)
        .listScale(listScale)
        .seed(seed);
  }

  /** Builds a {@link HistoryPolicyConfig}; see the class comment for the defaults. */
  public static final class Builder {
    private int dModel = 64;
    private int layers = 2;
    private int heads = 4;
    private int mlpWidth = 128;
    private int recentCheckIns = 8;
    private int candidateSlots = 32;
    private boolean copy = true;
    private boolean summary = true;
    private boolean userEmbedding = true;
    private boolean topologyEmbeddings = true;
    private boolean poiEmbedding = true;
    private double listScale = 2.0;
    private long seed = 42;

    private Builder() {}

    /** Width, encoder layers, heads and MLP width. */
    public Builder model(int dModel, int layers, int heads, int mlpWidth) {
      this.dModel = dModel;
      this.layers = layers;
      this.heads = heads;
      this.mlpWidth = mlpWidth;
      return this;
    }

    /** Recent check-ins read and copy candidates per sample. */
    public Builder context(int recentCheckIns, int candidateSlots) {
      this.recentCheckIns = recentCheckIns;
      this.candidateSlots = candidateSlots;
      return this;
    }

    /** Whether the copy path is on. */
    public Builder copy(boolean value) {
      this.copy = value;
      return this;
    }

    /** Whether the history summary is on. */
    public Builder summary(boolean value) {
      this.summary = value;
      return this;
    }

    /** Whether the query carries a user embedding. */
    public Builder userEmbedding(boolean value) {
      this.userEmbedding = value;
      return this;
    }

    /** Whether lattice rows and columns add shared embeddings. */
    public Builder topologyEmbeddings(boolean value) {
      this.topologyEmbeddings = value;
      return this;
    }

    /** Whether each POI has a free embedding besides its ID tokens'. */
    public Builder poiEmbedding(boolean value) {
      this.poiEmbedding = value;
      return this;
    }

    /** The spread of the list scores (0 = raw log-probabilities). */
    public Builder listScale(double value) {
      this.listScale = value;
      return this;
    }

    /** The initialization seed. */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /**
     * The config.
     *
     * @throws IllegalArgumentException when a value is out of range
     */
    public HistoryPolicyConfig build() {
      return new HistoryPolicyConfig(
          dModel,
          layers,
          heads,
          mlpWidth,
          recentCheckIns,
          candidateSlots,
          copy,
          summary,
          userEmbedding,
          topologyEmbeddings,
          poiEmbedding,
          listScale,
          seed);
    }
  }
}
