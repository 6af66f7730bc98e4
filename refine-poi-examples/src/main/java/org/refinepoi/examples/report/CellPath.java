package org.refinepoi.examples.report;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;

/**
 * A cell in a hierarchy of lattices: the cell index at every level from the first (coarsest) down.
 * For a single map the path has one entry. Immutable; equal paths are equal keys.
 */
public final class CellPath {

  private final int[] cells;

  private CellPath(int[] cells) {
    this.cells = cells;
  }

  /**
   * A path of cell indices, first level first.
   *
   * @throws IllegalArgumentException when empty or a cell is negative
   */
  public static CellPath of(int... cells) {
    checkNotNull(cells, "cells");
    checkArgument(cells.length > 0, "a cell path needs at least one level");
    for (int c : cells) {
      checkArgument(c >= 0, "cell indices must be >= 0, got %s", Arrays.toString(cells));
    }
    return new CellPath(cells.clone());
  }

  /** Number of levels in the path. */
  public int length() {
    return cells.length;
  }

  /** The cell at a level. */
  public int cell(int level) {
    return cells[level];
  }

  /** The first {@code levels} entries of this path. */
  public CellPath prefix(int levels) {
    checkArgument(levels >= 1 && levels <= cells.length, "prefix length %s", levels);
    return new CellPath(Arrays.copyOf(cells, levels));
  }

  /** This path with one more (deeper) cell. */
  public CellPath child(int cell) {
    checkArgument(cell >= 0, "cell must be >= 0, got %s", cell);
    int[] out = Arrays.copyOf(cells, cells.length + 1);
    out[cells.length] = cell;
    return new CellPath(out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CellPath p && Arrays.equals(cells, p.cells);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(cells);
  }

  @Override
  public String toString() {
    return Arrays.toString(cells);
  }
}
