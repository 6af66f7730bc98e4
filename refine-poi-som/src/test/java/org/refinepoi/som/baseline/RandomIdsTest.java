package org.refinepoi.som.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.som.quality.SidQuality;

/** Random IDs and the shared collision-slot assignment. */
class RandomIdsTest {

  private static final IdSpace SPACE =
      IdSpace.of(LatticeSpec.rectangular(4, 4), LatticeSpec.hexagonal(2, 2));

  @Property(tries = 50)
  void uniqueMembersWithContiguousSlots(
      @ForAll @IntRange(min = 1, max = 400) int count, @ForAll long seed) {
    List<SemanticId> ids = RandomIds.assign(count, SPACE, seed);
    assertThat(ids).hasSize(count);
    assertThat(new HashSet<>(ids)).hasSize(count);
    ids.forEach(SPACE::checkMember);
    // Slots of a leaf are 0..m-1: a slot s > 0 implies the same leaf holds slot s - 1.
    var set = new HashSet<>(ids);
    for (SemanticId id : ids) {
      if (id.collisionSlot() > 0) {
        assertThat(set).contains(SemanticId.of(id.cells(), id.collisionSlot() - 1));
      }
    }
    assertThat(RandomIds.assign(count, SPACE, seed)).isEqualTo(ids);
  }

  @Test
  void levelOneUsageIsNearlyUniform() {
    List<SemanticId> ids = RandomIds.assign(16_000, SPACE, 1);
    int[] usage = new int[16];
    ids.forEach(id -> usage[id.cell(0)]++);
    // 1000 expected per cell; perplexity of a multinomial sample this size is within 0.1% of 16.
    assertThat(SidQuality.perplexity(usage)).isGreaterThan(15.95);
    assertThat(RandomIds.assign(100, SPACE, 2)).isNotEqualTo(RandomIds.assign(100, SPACE, 3));
  }

  @Test
  void collisionSlotsOrderByKeyThenRow() {
    int[][] cells = {{1, 0}, {0, 3}, {1, 0}, {1, 0}, {0, 3}};
    double[] key = {0.5, 2, 0.1, 0.5, 1};
    List<SemanticId> ids = CollisionSlots.assign(cells, key);
    assertThat(ids)
        .containsExactly(
            SemanticId.of(new int[] {1, 0}, 1),
            SemanticId.of(new int[] {0, 3}, 1),
            SemanticId.of(new int[] {1, 0}, 0),
            SemanticId.of(new int[] {1, 0}, 2),
            SemanticId.of(new int[] {0, 3}, 0));
    assertThatThrownBy(() -> CollisionSlots.assign(cells, new double[] {1}))
        .hasMessageContaining("5 rows of cells but 1 keys");
    assertThatThrownBy(() -> RandomIds.assign(0, SPACE, 1))
        .hasMessageContaining("count must be >= 1");
  }
}
