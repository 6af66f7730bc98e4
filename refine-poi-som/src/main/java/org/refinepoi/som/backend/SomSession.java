package org.refinepoi.som.backend;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.train.Neighbourhood;
import org.refinepoi.som.train.NeighbourhoodMatrix;

/**
 * One backend holding one training matrix (N × D), ready for repeated epochs against changing
 * codebooks (M × D, one prototype per lattice unit, row-major lattice order). Not thread-safe: one
 * caller at a time. Close it to release native memory, device buffers or worker threads.
 */
public interface SomSession extends AutoCloseable {

  /**
   * Number of samples N (a {@code long}: a session may stand for a data set spread over many
   * machines).
   */
  long samples();

  /** Number of features D. */
  int dims();

  /**
   * Finds each sample's best-matching unit (and, when asked, its second-best unit, for the
   * topographic error). See {@link SomBackend} for the tie rule.
   *
   * @param codebook M × D prototypes, M >= 1 (M >= 2 when {@code withSecond})
   * @param withSecond whether to also find the second-best unit of each sample
   */
  BmuResult bmu(FloatMatrix codebook, boolean withSecond);

  /**
   * The batch-map reduction: for the current codebook, finds every sample's BMU and returns, per
   * unit, the sum of the samples it won and their count, plus the total squared quantization
   * distance. This is the part of an epoch that touches all N samples; the neighbourhood smoothing
   * that follows only touches M × M.
   */
  UnitSums accumulate(FloatMatrix codebook);

  /**
   * One full batch-map update: {@code w'_j = sum_k h(j,k) S_k / sum_k h(j,k) c_k} where {@code S_k}
   * and {@code c_k} are the sums and counts of {@link #accumulate}; a unit whose total weight is
   * zero keeps its prototype; negative weights count as 0 (see {@link UnitSums#smooth}). The
   * default runs on the host from {@link #accumulate}; a device backend may override it to keep the
   * codebook resident.
   *
   * @param codebook M × D prototypes
   * @param neighbourhood M × M row-major weights {@code h(j,k)} (unit j receiving from winner k);
   *     negative values count as 0
   * @return the updated codebook
   */
  default FloatMatrix batchEpoch(FloatMatrix codebook, float[] neighbourhood) {
    checkNotNull(codebook, "codebook");
    checkNeighbourhood(neighbourhood, codebook.rows());
    return UnitSums.smooth(accumulate(codebook), codebook, neighbourhood);
  }

  /**
   * One batch-map epoch with the neighbourhood given by its lattice, function and radius rather
   * than as an M × M matrix, so a device backend can build the weights where they are used (the
   * trainer calls this form). The default expands the weights on the host with a cached {@link
   * NeighbourhoodMatrix} and calls {@link #batchEpoch(FloatMatrix, float[])}; overrides must give
   * the same weights.
   *
   * @param codebook M × D prototypes, M = {@code lattice.size()}
   * @param lattice the map's lattice
   * @param neighbourhood the neighbourhood function
   * @param radius the epoch's radius, >= 0
   */
  default FloatMatrix batchEpoch(
      FloatMatrix codebook, LatticeSpec lattice, Neighbourhood neighbourhood, double radius) {
    checkLatticeEpoch(codebook, lattice, neighbourhood, radius);
    return batchEpoch(codebook, NeighbourhoodMatrix.cached(lattice).weights(neighbourhood, radius));
  }

  /**
   * The check every session's host-matrix epoch shares: M × M weights for M units.
   *
   * @throws NullPointerException when {@code neighbourhood} is null
   * @throws IllegalArgumentException when it does not hold {@code units * units} weights
   */
  static void checkNeighbourhood(float[] neighbourhood, int units) {
    checkNotNull(neighbourhood, "neighbourhood");
    checkArgument(
        neighbourhood.length == (long) units * units,
        "neighbourhood must be %sx%s = %s weights, got %s",
        units,
        units,
        (long) units * units,
        neighbourhood.length);
  }

  /**
   * The check every session's lattice-form epoch shares.
   *
   * @throws NullPointerException when an argument is null
   * @throws IllegalArgumentException when the lattice's size differs from the codebook's rows or
   *     the radius is negative, NaN or infinite
   */
  static void checkLatticeEpoch(
      FloatMatrix codebook, LatticeSpec lattice, Neighbourhood neighbourhood, double radius) {
    checkNotNull(codebook, "codebook");
    checkNotNull(lattice, "lattice");
    checkNotNull(neighbourhood, "neighbourhood");
    checkArgument(
        lattice.size() == codebook.rows(),
        "lattice has %s cells, the codebook %s rows",
        lattice.size(),
        codebook.rows());
    checkArgument(radius >= 0 && Double.isFinite(radius), "radius must be >= 0, got %s", radius);
  }

  /**
   * The neighbourhood step of a lattice-form epoch from its sums, as the Java backend takes it: a
   * Gaussian neighbourhood on a rectangular lattice by {@link SeparableGaussianSmoothing} (no M × M
   * matrix), every other one densely by {@link UnitSums#smooth} with {@link NeighbourhoodMatrix}
   * weights. A session whose sums come from elsewhere (the partitions of a distributed data set)
   * calls this to get the Java backend's codebook bit for bit.
   *
   * @param sums the epoch's sums against {@code codebook}
   * @param codebook M × D prototypes
   * @param lattice the map's lattice, M cells
   * @param neighbourhood the neighbourhood function
   * @param radius the epoch's radius, >= 0
   * @return the updated codebook
   */
  static FloatMatrix smooth(
      UnitSums sums,
      FloatMatrix codebook,
      LatticeSpec lattice,
      Neighbourhood neighbourhood,
      double radius) {
    checkNotNull(sums, "sums");
    checkLatticeEpoch(codebook, lattice, neighbourhood, radius);
    if (SeparableGaussianSmoothing.applies(lattice, neighbourhood)) {
      return SeparableGaussianSmoothing.smooth(sums, codebook, lattice, radius);
    }
    return UnitSums.smooth(
        sums, codebook, NeighbourhoodMatrix.cached(lattice).weights(neighbourhood, radius));
  }

  /** Releases the session's resources; the session must not be used afterwards. */
  @Override
  void close();

  /**
   * The argument check every session's {@code bmu} and {@code accumulate} share, so all backends
   * refuse bad input with the same message.
   *
   * @param codebook the M × D prototypes passed in
   * @param dims the session's D (columns of its samples)
   * @param withSecond whether a second-best unit is asked for (needs M >= 2)
   * @throws NullPointerException when {@code codebook} is null
   * @throws IllegalArgumentException when the codebook's width differs from {@code dims}, or a
   *     second-best unit is asked of a one-unit codebook
   */
  static void checkCodebook(FloatMatrix codebook, int dims, boolean withSecond) {
    checkNotNull(codebook, "codebook");
    checkArgument(
        codebook.cols() == dims, "codebook has %s columns, the data has %s", codebook.cols(), dims);
    checkArgument(
        !withSecond || codebook.rows() >= 2,
        "a second-best unit needs at least 2 units, the codebook has %s",
        codebook.rows());
  }
}
