package org.refinepoi.core.sid;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;

/**
 * A fixed-length semantic ID: one lattice cell per level (row-major cell index in that level's
 * {@link LatticeSpec}) plus a collision slot that tells apart POIs sharing every cell (0 = the POI
 * closest to the leaf prototype). Immutable; ordered lexicographically (cells, then slot).
 */
public final class SemanticId implements Comparable<SemanticId> {

  private final int[] cells;
  private final int slot;

  private SemanticId(int[] cells, int slot) {
    this.cells = cells;
    this.slot = slot;
  }

  /**
   * An ID from its per-level cells and collision slot.
   *
   * @param cells cell index per level, each >= 0; at least one level
   * @param slot the collision slot, >= 0
   */
  public static SemanticId of(int[] cells, int slot) {
    checkNotNull(cells, "cells");
    checkArgument(cells.length >= 1, "a semantic ID needs at least one level");
    for (int c : cells) {
      checkArgument(c >= 0, "cells must be >= 0, got %s", Arrays.toString(cells));
    }
    checkArgument(slot >= 0, "collision slot must be >= 0, got %s", slot);
    return new SemanticId(cells.clone(), slot);
  }

  /** Number of lattice levels (the slot not counted). */
  public int levels() {
    return cells.length;
  }

  /** The cell at a level, 0 = coarsest. */
  public int cell(int level) {
    checkElementIndex(level, cells.length, "level");
    return cells[level];
  }

  /** A copy of the per-level cells. */
  public int[] cells() {
    return cells.clone();
  }

  /** The collision slot. */
  public int collisionSlot() {
    return slot;
  }

  /**
   * The first level at which two IDs differ: a level index in [0, levels) when a cell differs,
   * {@code levels()} when only the slot differs, -1 when equal.
   *
   * @throws IllegalArgumentException when the IDs have different numbers of levels
   */
  public int firstDifferingLevel(SemanticId other) {
    checkArgument(
        other.cells.length == cells.length,
        "IDs with %s and %s levels are not comparable",
        cells.length,
        other.cells.length);
    for (int i = 0; i < cells.length; i++) {
      if (cells[i] != other.cells[i]) {
        return i;
      }
    }
    return slot == other.slot ? -1 : cells.length;
  }

  /** Whether both IDs share the cells of the first {@code levels} levels. */
  public boolean sharesPrefix(SemanticId other, int levels) {
    checkArgument(levels >= 0 && levels <= cells.length, "levels out of range: %s", levels);
    return Arrays.equals(cells, 0, levels, other.cells, 0, levels);
  }

  @Override
  public int compareTo(SemanticId o) {
    int c = Arrays.compare(cells, o.cells);
    return c != 0 ? c : Integer.compare(slot, o.slot);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SemanticId other && slot == other.slot && Arrays.equals(cells, other.cells);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(cells) + slot;
  }

  /** A debugging form such as {@code SID[3, 12 | 0]}; use an {@link IdFormat} for tokens. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("SID[");
    for (int i = 0; i < cells.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(cells[i]);
    }
    return sb.append(" | ").append(slot).append(']').toString();
  }
}
