package org.refinepoi.examples.pipeline;

/** The four semantic-ID schemes the experiment compares, all with the same code budget. */
public enum IdScheme {
  /** Hierarchical SOM, a child map per occupied level-1 cell (topology-aware). */
  HSOM_TREE("HSOM TREE", "hsom-tree", true),
  /** Hierarchical SOM over residuals, RQ style (topology-aware at level 1). */
  HSOM_RESIDUAL("HSOM RESIDUAL", "hsom-residual", true),
  /** Residual k-means, k-means++ per level: the usual stand-in for RQ-VAE IDs (topology-blind). */
  RQ_KMEANS("RQ-KMeans", "rq-kmeans", false),
  /** Uniformly random cells at every level: the floor (topology-blind). */
  RANDOM("random", "random", false);

  private final String label;
  private final String key;
  private final boolean topologyAware;

  IdScheme(String label, String key, boolean topologyAware) {
    this.label = label;
    this.key = key;
    this.topologyAware = topologyAware;
  }

  /** The name in tables, for example {@code "HSOM TREE"}. */
  public String label() {
    return label;
  }

  /** The key in JSON files, for example {@code "hsom-tree"}. */
  public String key() {
    return key;
  }

  /**
   * Whether the scheme's lattice coordinates carry geometry: its quality is measured with the
   * lattice ID distance, otherwise with the topology-blind one.
   */
  public boolean topologyAware() {
    return topologyAware;
  }
}
