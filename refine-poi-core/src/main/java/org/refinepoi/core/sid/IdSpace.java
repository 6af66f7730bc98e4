package org.refinepoi.core.sid;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * The lattices of every level of a semantic-ID scheme, and the distance between IDs that makes
 * "near IDs" mean "similar POIs".
 *
 * <p><b>ID distance.</b> Two IDs are compared at the first level where they differ. If that is
 * lattice level {@code l}, the distance is {@code offset(l) + latticeDistance_l}; if only the
 * collision slot differs it is 1; equal IDs are at 0. The offsets make any difference at a coarser
 * level larger than every difference at a finer one: {@code offset(L) = 0} for the slot level and
 * {@code offset(l) = offset(l+1) + diameter(l+1)} (with the slot's diameter taken as 1). Since
 * lattice distances are metrics and the first differing level behaves like an ultrametric, this is
 * a metric (identity, symmetry, triangle inequality), which the property tests check.
 */
public final class IdSpace {

  private final ImmutableList<LatticeSpec> levels;
  private final double[] offsets;

  /**
   * An ID space from its levels' lattices, coarsest first.
   *
   * @param levels at least one lattice
   */
  public IdSpace(List<LatticeSpec> levels) {
    checkNotNull(levels, "levels");
    checkArgument(!levels.isEmpty(), "an ID space needs at least one level");
    this.levels = ImmutableList.copyOf(levels);
    int n = this.levels.size();
    this.offsets = new double[n + 1];
    for (int l = n - 1; l >= 0; l--) {
      offsets[l] = offsets[l + 1] + (l + 1 < n ? this.levels.get(l + 1).diameter() : 1.0);
    }
  }

  /** An ID space from its levels' lattices, coarsest first. */
  public static IdSpace of(LatticeSpec... levels) {
    return new IdSpace(List.of(levels));
  }

  /** The lattices, coarsest first. */
  public ImmutableList<LatticeSpec> levels() {
    return levels;
  }

  /** Number of lattice levels. */
  public int levelCount() {
    return levels.size();
  }

  /** The lattice of a level. */
  public LatticeSpec level(int level) {
    return levels.get(level);
  }

  /** Checks that an ID has this space's number of levels and that each cell fits its lattice. */
  public void checkMember(SemanticId id) {
    checkNotNull(id, "id");
    checkArgument(
        id.levels() == levels.size(),
        "ID %s has %s levels, this ID space has %s",
        id,
        id.levels(),
        levels.size());
    for (int l = 0; l < levels.size(); l++) {
      checkArgument(
          id.cell(l) < levels.get(l).size(),
          "ID %s: cell %s at level %s is outside the %sx%s lattice",
          id,
          id.cell(l),
          l,
          levels.get(l).rows(),
          levels.get(l).cols());
    }
  }

  /**
   * The offset added to the lattice distance when two IDs first differ at {@code level} (see the
   * class comment); {@code level == levelCount()} is the slot level, whose offset is 0.
   */
  public double levelOffset(int level) {
    checkArgument(level >= 0 && level <= levels.size(), "level out of range: %s", level);
    return offsets[level];
  }

  /** The distance between two IDs of this space (see the class comment). */
  public double distance(SemanticId a, SemanticId b) {
    int level = a.firstDifferingLevel(b);
    if (level < 0) {
      return 0;
    }
    if (level == levels.size()) {
      return 1;
    }
    return levelOffset(level) + levels.get(level).distance(a.cell(level), b.cell(level));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdSpace other && levels.equals(other.levels);
  }

  @Override
  public int hashCode() {
    return levels.hashCode();
  }

  @Override
  public String toString() {
    return "IdSpace" + levels;
  }
}
