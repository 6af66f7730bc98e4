package org.refinepoi.som;

/** How the levels of a {@link HierarchicalSom} relate. */
public enum HierarchyMode {
  /**
   * A child SOM per occupied parent cell, trained on the POIs that map there (the default): the
   * deeper cells refine their parent's region, so lattice neighbours at every level are similar.
   */
  TREE,
  /**
   * One SOM per level over the residuals {@code x - (w_1 + ... + w_{l-1})}, RQ style: the deeper
   * levels share one codebook across all parents.
   */
  RESIDUAL
}
