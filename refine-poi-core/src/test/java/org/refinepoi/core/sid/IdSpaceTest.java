package org.refinepoi.core.sid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.sid.SidArbitraries.SpaceAndIds;

/** The ID distance: hand-computed values and the metric axioms on random spaces. */
class IdSpaceTest {

  private static final double TOL = 1e-12;

  @Test
  void distanceAddsTheOffsetOfTheFirstDifferingLevel() {
    IdSpace space = IdSpace.of(LatticeSpec.rectangular(16, 16), LatticeSpec.rectangular(4, 4));
    double diam2 = Math.sqrt(18); // 4x4: corner to corner, 3 rows and 3 columns
    assertThat(space.levelOffset(2)).isZero();
    assertThat(space.levelOffset(1)).isEqualTo(1);
    assertThat(space.levelOffset(0)).isCloseTo(1 + diam2, within(TOL));
    SemanticId a = SemanticId.of(new int[] {0, 5}, 0);
    assertThat(space.distance(a, a)).isZero();
    assertThat(space.distance(a, SemanticId.of(new int[] {0, 5}, 3))).isEqualTo(1);
    assertThat(space.distance(a, SemanticId.of(new int[] {0, 15}, 0)))
        .isCloseTo(1 + Math.sqrt(4 + 4), within(TOL)); // (1,1) to (3,3)
    assertThat(space.distance(a, SemanticId.of(new int[] {17, 5}, 0)))
        .isCloseTo(1 + diam2 + Math.sqrt(2), within(TOL)); // (0,0) to (1,1) at level 0
  }

  @Test
  void checkMemberNamesTheOffendingLevel() {
    IdSpace space = IdSpace.of(LatticeSpec.rectangular(2, 2), LatticeSpec.rectangular(3, 3));
    assertThatThrownBy(() -> space.checkMember(SemanticId.of(new int[] {1, 9}, 0)))
        .hasMessageContaining("cell 9 at level 1");
    assertThatThrownBy(() -> space.checkMember(SemanticId.of(new int[] {1}, 0)))
        .hasMessageContaining("has 1 levels");
  }

  @Provide
  Arbitrary<SpaceAndIds> triples() {
    return SidArbitraries.spaceAndIds(3, 3, 3);
  }

  @Property(tries = 2000)
  void distanceIsAMetric(@ForAll("triples") SpaceAndIds c) {
    IdSpace space = c.space();
    List<SemanticId> ids = c.ids();
    SemanticId a = ids.get(0);
    SemanticId b = ids.get(1);
    SemanticId x = ids.get(2);
    double scale = space.levelOffset(0) + space.level(0).diameter();
    assertThat(space.distance(a, a)).isZero();
    assertThat(space.distance(a, b) == 0).isEqualTo(a.equals(b));
    assertThat(space.distance(a, b)).isEqualTo(space.distance(b, a));
    assertThat(space.distance(a, x))
        .isLessThanOrEqualTo(space.distance(a, b) + space.distance(b, x) + 1e-12 * scale);
  }

  @Property(tries = 1000)
  void deeperSharedPrefixIsAlwaysNearer(@ForAll("triples") SpaceAndIds c) {
    IdSpace space = c.space();
    SemanticId q = c.ids().get(0);
    SemanticId a = c.ids().get(1);
    SemanticId b = c.ids().get(2);
    int la = q.firstDifferingLevel(a);
    int lb = q.firstDifferingLevel(b);
    // -1 (equal) counts as the deepest possible agreement.
    int da = la < 0 ? Integer.MAX_VALUE : la;
    int db = lb < 0 ? Integer.MAX_VALUE : lb;
    if (da > db) {
      assertThat(space.distance(q, a)).isLessThan(space.distance(q, b));
    }
  }
}
