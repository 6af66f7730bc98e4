package org.refinepoi.som.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.backend.BmuSearch;

/**
 * A trained self-organizing map: a lattice and one prototype per unit (row-major lattice order).
 * Immutable.
 */
public final class SomMap {

  private final LatticeSpec lattice;
  private final FloatMatrix codebook;
  private final BmuSearch search;

  /**
   * A map from a lattice and a codebook with one row per unit.
   *
   * @throws IllegalArgumentException when the codebook's rows differ from the lattice's units
   */
  public SomMap(LatticeSpec lattice, FloatMatrix codebook) {
    this.lattice = checkNotNull(lattice, "lattice");
    this.codebook = checkNotNull(codebook, "codebook");
    checkArgument(
        codebook.rows() == lattice.size(),
        "codebook has %s rows, the %sx%s lattice has %s units",
        codebook.rows(),
        lattice.rows(),
        lattice.cols(),
        lattice.size());
    this.search = new BmuSearch(codebook);
  }

  /** The lattice. */
  public LatticeSpec lattice() {
    return lattice;
  }

  /** The prototypes, M × D. */
  public FloatMatrix codebook() {
    return codebook;
  }

  /** Number of features D. */
  public int dims() {
    return codebook.cols();
  }

  /** The best-matching unit of a vector (lowest index on ties; same arithmetic as training). */
  public int bmu(float[] vector) {
    return search.bmu(vector);
  }

  /** A copy of a unit's prototype. */
  public float[] prototype(int unit) {
    return codebook.row(unit);
  }
}
