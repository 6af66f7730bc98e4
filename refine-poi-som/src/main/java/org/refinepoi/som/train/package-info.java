/**
 * One self-organizing map: {@link org.refinepoi.som.train.SomConfig} (lattice, batch map or online
 * rule, epochs, {@link org.refinepoi.som.train.Neighbourhood}, radius and learning-rate {@link
 * org.refinepoi.som.train.Schedule}s, {@link org.refinepoi.som.train.Initialization}, seed), {@link
 * org.refinepoi.som.train.SomTrainer} to train it on a backend, the trained {@link
 * org.refinepoi.som.train.SomMap}, and {@link org.refinepoi.som.train.SomQuality} (quantization
 * error, topographic error, U-matrix; right on hexagonal and toroidal lattices).
 */
package org.refinepoi.som.train;
