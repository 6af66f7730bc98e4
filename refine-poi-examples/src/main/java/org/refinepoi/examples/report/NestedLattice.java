package org.refinepoi.examples.report;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;
import java.util.Set;
import org.refinepoi.core.sid.LatticeSpec;

/**
 * The lattices of one picture, coarsest first, and the cell paths that exist: one lattice for a
 * single map, two for a mosaic whose child maps sit inside their parent cells. A TREE hierarchy
 * only has child maps under occupied parents, so {@code parents} lists the prefixes (length {@code
 * lattices.size() - 1}) that have a child map; it is empty for a single lattice.
 *
 * @param lattices the lattice of each nesting level, coarsest first
 * @param parents the paths whose child lattice exists (all of them when every parent has one)
 */
public record NestedLattice(List<LatticeSpec> lattices, Set<CellPath> parents) {

  /** Copies and checks that every parent path fits the lattices. */
  public NestedLattice {
    checkNotNull(lattices, "lattices");
    checkNotNull(parents, "parents");
    lattices = ImmutableList.copyOf(lattices);
    parents = Set.copyOf(parents);
    checkArgument(!lattices.isEmpty(), "at least one lattice");
    for (CellPath p : parents) {
      checkArgument(
          p.length() == lattices.size() - 1,
          "parent path %s must have %s levels",
          p,
          lattices.size() - 1);
      checkFits(lattices, p, p.length());
    }
    checkArgument(
        lattices.size() == 1 || !parents.isEmpty(), "a nested lattice needs parent paths");
  }

  /** A single lattice. */
  public static NestedLattice single(LatticeSpec lattice) {
    return new NestedLattice(List.of(lattice), Set.of());
  }

  /** Number of nesting levels. */
  public int depth() {
    return lattices.size();
  }

  /** Whether a full-length path lies inside these lattices and under an existing parent. */
  public boolean contains(CellPath path) {
    if (path.length() != lattices.size()) {
      return false;
    }
    for (int l = 0; l < path.length(); l++) {
      if (path.cell(l) >= lattices.get(l).size()) {
        return false;
      }
    }
    return lattices.size() == 1 || parents.contains(path.prefix(lattices.size() - 1));
  }

  /**
   * Checks that a full-length path lies inside these lattices.
   *
   * @throws IllegalArgumentException naming the path otherwise
   */
  public void checkContains(CellPath path) {
    checkArgument(
        path.length() == lattices.size(),
        "cell path %s must have %s levels",
        path,
        lattices.size());
    checkFits(lattices, path, path.length());
    checkArgument(contains(path), "cell path %s lies under a parent without a child map", path);
  }

  private static void checkFits(List<LatticeSpec> lattices, CellPath p, int levels) {
    for (int l = 0; l < levels; l++) {
      checkArgument(
          p.cell(l) < lattices.get(l).size(),
          "cell path %s: cell %s outside the %sx%s lattice of level %s",
          p,
          p.cell(l),
          lattices.get(l).rows(),
          lattices.get(l).cols(),
          l);
    }
  }
}
