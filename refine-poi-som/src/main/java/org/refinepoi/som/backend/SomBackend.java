package org.refinepoi.som.backend;

import org.refinepoi.core.math.FloatMatrix;

/**
 * A compute backend for self-organizing-map training: the hot path of a batch-map epoch (the
 * best-matching-unit search over every sample and the per-unit accumulation of sums and counts).
 * The algorithm (schedules, neighbourhoods, hierarchy) is written once against this interface.
 *
 * <p>A backend is a factory of {@link SomSession sessions}: {@link #open} hands it the training
 * data once, so a device backend can keep the samples resident (on a GPU, in a native buffer)
 * across all epochs and only move the small codebook per call.
 *
 * <p><b>Contract every backend keeps.</b>
 *
 * <ul>
 *   <li><b>Tie rule</b> (best and second-best unit, so also QE and TE): units are ordered by
 *       (squared Euclidean distance, unit index), so among equal distances the <em>lowest unit
 *       index</em> wins; the second-best unit is the best of the remaining units by the same order.
 *       When the BMU has a duplicate (an equal prototype), the second-best unit is the lowest-index
 *       duplicate after it, at distance equal to the BMU's. Equal prototypes are exact ties on
 *       every backend ({@link DuplicatePrototypes}); the pure-Java backend, the exact oracle {@code
 *       TopographicError.of(vectors, codebook, lattice)} and the NumPy baseline of the benchmarks
 *       keep the same rule. Backends may compute distances in the expanded form {@code ||x||^2 - 2
 *       x.w + ||w||^2} in float32, so two <em>different</em> units whose distances differ by less
 *       than float rounding of that expression may be ordered differently than an exact computation
 *       would; ties that are exact in the backend's arithmetic always go to the lowest index.
 *   <li>Results are deterministic: the same inputs give the same outputs whatever the number of
 *       threads (backends that cannot promise this must say so in their provider's description).
 *   <li>Inputs are validated at the boundary: a codebook whose column count differs from the data's
 *       is rejected with {@link IllegalArgumentException}.
 * </ul>
 *
 * <p>Implementations are obtained by name or automatically through {@link SomBackends}, which
 * discovers {@link SomBackendProvider}s with {@link java.util.ServiceLoader}.
 */
public interface SomBackend {

  /** The backend's short name, as used for selection ({@code java}, {@code nd4j}, {@code cuda}). */
  String name();

  /**
   * Opens a session over a training matrix (N samples × D features). The backend may copy the data
   * to a device; the matrix itself is never modified.
   *
   * @param data the samples, one per row
   * @return a session; close it to release device memory and threads
   */
  SomSession open(FloatMatrix data);
}
