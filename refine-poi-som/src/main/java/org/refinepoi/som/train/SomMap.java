package org.refinepoi.som.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.Serial;
import java.io.Serializable;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.backend.BmuSearch;

/**
 * A trained self-organizing map: a lattice and one prototype per unit (row-major lattice order).
 * Immutable.
 */
public final class SomMap implements Serializable {

  @Serial private static final long serialVersionUID = 1L;

  // Never serialized as fields: writeReplace sends the lattice and the codebook.
  private final transient LatticeSpec lattice;
  private final transient FloatMatrix codebook;
  private final transient BmuSearch search;

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

  /** Serialized as its lattice and codebook; the constructor validates them on the way back. */
  @Serial
  private Object writeReplace() {
    return new SerializedForm(lattice, codebook);
  }

  @Serial
  private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
    throw new java.io.InvalidObjectException("a SomMap is read from its serialized form");
  }

  private record SerializedForm(LatticeSpec lattice, FloatMatrix codebook) implements Serializable {
    @Serial
    private Object readResolve() {
      return new SomMap(lattice, codebook);
    }
  }

  /** A copy of a unit's prototype. */
  public float[] prototype(int unit) {
    return codebook.row(unit);
  }
}
