package org.refinepoi.som.baseline;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import java.util.SplittableRandom;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.SemanticId;

/**
 * Random semantic IDs with the same code budget as an HSOM: each POI draws its cell at every level
 * uniformly from that level's lattice, independently. POIs sharing every cell get collision slots
 * in a random order. The floor any learned scheme must clear. Deterministic for a seed.
 */
public final class RandomIds {

  private RandomIds() {}

  /**
   * IDs for {@code count} POIs (rows 0..count-1), members of the space.
   *
   * @throws IllegalArgumentException when {@code count < 1}
   */
  public static List<SemanticId> assign(int count, IdSpace space, long seed) {
    checkNotNull(space, "space");
    checkArgument(count >= 1, "count must be >= 1, got %s", count);
    SplittableRandom random = new SplittableRandom(seed);
    int levels = space.levelCount();
    int[][] cells = new int[count][levels];
    for (int i = 0; i < count; i++) {
      for (int l = 0; l < levels; l++) {
        cells[i][l] = random.nextInt(space.level(l).size());
      }
    }
    double[] order = new double[count];
    for (int i = 0; i < count; i++) {
      order[i] = random.nextDouble();
    }
    return CollisionSlots.assign(cells, order);
  }
}
