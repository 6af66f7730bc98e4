package org.refinepoi.som.baseline;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import java.util.List;
import org.refinepoi.core.sid.SemanticId;

/**
 * Assigns collision slots the way HSOM does: POIs that share every lattice cell are ordered by a
 * key (their distance to the leaf prototype, or a random number for random IDs), ties by row, and
 * numbered 0, 1, 2... in that order.
 */
public final class CollisionSlots {

  private CollisionSlots() {}

  /**
   * The IDs of rows {@code 0..n-1}.
   *
   * @param cells {@code cells[i]} is row i's cell per level (all rows the same number of levels)
   * @param orderKey {@code orderKey[i]} orders row i among the rows sharing its cells (smaller
   *     first); no NaN
   */
  public static List<SemanticId> assign(int[][] cells, double[] orderKey) {
    checkNotNull(cells, "cells");
    checkNotNull(orderKey, "orderKey");
    int n = cells.length;
    checkArgument(n == orderKey.length, "%s rows of cells but %s keys", n, orderKey.length);
    for (int i = 0; i < n; i++) {
      checkArgument(
          cells[i].length == cells[0].length,
          "row %s has %s levels, row 0 has %s",
          i,
          cells[i].length,
          cells[0].length);
      checkArgument(!Double.isNaN(orderKey[i]), "order key of row %s is NaN", i);
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (a, b) -> {
          int c = Arrays.compare(cells[a], cells[b]);
          if (c != 0) {
            return c;
          }
          c = Double.compare(orderKey[a], orderKey[b]);
          return c != 0 ? c : Integer.compare(a, b);
        });
    SemanticId[] ids = new SemanticId[n];
    int slot = 0;
    for (int t = 0; t < n; t++) {
      int i = order[t];
      slot = t > 0 && Arrays.equals(cells[i], cells[order[t - 1]]) ? slot + 1 : 0;
      ids[i] = SemanticId.of(cells[i], slot);
    }
    return List.of(ids);
  }
}
