/**
 * The hierarchical SOM quantizer: {@link org.refinepoi.som.HierarchicalSom} (validated builder,
 * TREE or RESIDUAL hierarchy) fits POI vectors and returns a {@link
 * org.refinepoi.som.HierarchicalSomModel}, which assigns topology-aware semantic IDs to known and
 * new POIs, builds a {@link org.refinepoi.core.sid.SemanticIdIndex}, and saves/loads itself in a
 * versioned, checksummed file.
 *
 * <pre>{@code
 * HierarchicalSomModel model = HierarchicalSom.builder().seed(7).build().fit(poiVectors);
 * SemanticIdIndex index = model.index(poiIds, poiVectors);
 * SemanticId newPoi = model.quantize(vector);
 * }</pre>
 *
 * <p>Single maps (training, schedules, neighbourhoods, quality) live in {@code som.train}; compute
 * backends behind one interface in {@code som.backend}.
 */
package org.refinepoi.som;
