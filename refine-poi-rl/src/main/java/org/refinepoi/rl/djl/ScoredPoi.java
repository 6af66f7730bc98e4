package org.refinepoi.rl.djl;

/**
 * A POI found by beam search with the model's log-probability of its whole ID. Immutable (it holds
 * no array).
 *
 * @param poi the dense POI index
 * @param logProb log p(ID | prompt), the sum of the ID tokens' log-probabilities (natural log,
 *     {@code <= 0})
 */
public record ScoredPoi(int poi, double logProb) {}
