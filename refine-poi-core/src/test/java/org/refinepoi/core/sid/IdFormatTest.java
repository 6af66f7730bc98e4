package org.refinepoi.core.sid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.sid.SidArbitraries.SpaceAndIds;

/** Token rendering and parsing of both built-in formats. */
class IdFormatTest {

  private static final IdSpace CITY =
      IdSpace.of(LatticeSpec.rectangular(16, 16), LatticeSpec.rectangular(4, 4));
  private static final SemanticId ID = SemanticId.of(new int[] {3 * 16 + 12, 1 * 4 + 2}, 0);

  @Test
  void latticeFormatMatchesTheDocumentedExample() {
    IdFormat f = LatticeTokenFormat.of(CITY);
    assertThat(f.tokensOf(ID)).containsExactly("<a_03_12>", "<b_1_2>", "<c_0>");
    assertThat(f.render(ID)).isEqualTo("<a_03_12><b_1_2><c_0>");
    assertThat(f.parse("<a_03_12><b_1_2><c_0>")).isEqualTo(ID);
    assertThat(f.render(SemanticId.of(new int[] {255, 15}, 117)))
        .isEqualTo("<a_15_15><b_3_3><c_117>");
    assertThat(f.tokensPerId()).isEqualTo(3);
  }

  @Test
  void rowColumnFormatMatchesTheDocumentedExample() {
    IdFormat f = RowColumnTokenFormat.of(CITY);
    assertThat(f.render(ID)).isEqualTo("<a_r03><a_c12><b_r1><b_c2><c_0>");
    assertThat(f.parse("<a_r03><a_c12><b_r1><b_c2><c_0>")).isEqualTo(ID);
    assertThat(f.tokensPerId()).isEqualTo(5);
  }

  @Test
  void paddingFollowsEachDimension() {
    IdSpace space = IdSpace.of(LatticeSpec.rectangular(100, 7), LatticeSpec.rectangular(1, 11));
    IdFormat f = LatticeTokenFormat.of(space);
    SemanticId id = SemanticId.of(new int[] {5 * 7 + 6, 10}, 12);
    assertThat(f.render(id)).isEqualTo("<a_05_6><b_0_10><c_12>");
    assertThat(f.parse("<a_05_6><b_0_10><c_12>")).isEqualTo(id);
  }

  @Test
  void vocabularyListsLatticeTokensThenSlots() {
    IdFormat f = LatticeTokenFormat.of(CITY);
    List<String> vocab = f.vocabulary(3);
    assertThat(vocab).hasSize(256 + 16 + 3);
    assertThat(vocab.get(0)).isEqualTo("<a_00_00>");
    assertThat(vocab.get(255)).isEqualTo("<a_15_15>");
    assertThat(vocab.get(256)).isEqualTo("<b_0_0>");
    assertThat(vocab.subList(272, 275)).containsExactly("<c_0>", "<c_1>", "<c_2>");
    assertThat(new HashSet<>(vocab)).hasSize(vocab.size());
    List<String> rc = RowColumnTokenFormat.of(CITY).vocabulary(1);
    assertThat(rc).hasSize(16 + 16 + 4 + 4 + 1);
    assertThat(rc.subList(0, 2)).containsExactly("<a_r00>", "<a_r01>");
    assertThat(rc.get(16)).isEqualTo("<a_c00>");
  }

  @Test
  void vocabularyGrowsByAppending() {
    IdFormat f = RowColumnTokenFormat.of(CITY);
    assertThat(f.vocabulary(5).subList(0, f.vocabulary(2).size())).isEqualTo(f.vocabulary(2));
  }

  @Test
  void parseErrorsNameTheTokenAndWhatWasExpected() {
    IdFormat f = LatticeTokenFormat.of(CITY);
    assertThatThrownBy(() -> f.parse("<a_3_12><b_1_2><c_0>"))
        .isInstanceOf(IdParseException.class)
        .hasMessageContaining("token 0 '<a_3_12>'")
        .hasMessageContaining("row of level 0 (a) as 2 digits");
    assertThatThrownBy(() -> f.parse("<a_03_12><b_1_4><c_0>"))
        .hasMessageContaining("token 1 '<b_1_4>'")
        .hasMessageContaining("column of level 1 (b) is 4, outside [0, 4)");
    assertThatThrownBy(() -> f.parse("<a_03_12><c_1_2><c_0>"))
        .hasMessageContaining("token 1 '<c_1_2>'")
        .hasMessageContaining("<b_row_col>");
    assertThatThrownBy(() -> f.parse("<a_03_12><b_1_2>"))
        .hasMessageContaining("expected 3 tokens")
        .hasMessageContaining("got 2");
    assertThatThrownBy(() -> f.parse("<a_03_12><b_1_2><c_01>"))
        .hasMessageContaining("token 2 '<c_01>'")
        .hasMessageContaining("without leading zeros");
    assertThatThrownBy(() -> f.parse("<a_03_12> <b_1_2><c_0>"))
        .hasMessageContaining("character 9")
        .hasMessageContaining("expected '<'");
    assertThatThrownBy(() -> f.parse("<a_03_12><b_1_2<c_0>")).hasMessageContaining("not closed");
    assertThatThrownBy(() -> f.parse("")).hasMessageContaining("empty text");
    assertThatThrownBy(() -> f.parse("<a_03_12><b_1_2><c_99999999999>"))
        .hasMessageContaining("collision slot");
    assertThatThrownBy(() -> f.parse("<a_03><b_1_2><c_0>")).hasMessageContaining("two fields");
    IdFormat rc = RowColumnTokenFormat.of(CITY);
    assertThatThrownBy(() -> rc.parse("<a_c03><a_r12><b_r1><b_c2><c_0>"))
        .isInstanceOf(IdParseException.class)
        .satisfies(e -> assertThat(((IdParseException) e).tokenIndex()).isZero())
        .hasMessageContaining("row of level 0 (a)");
  }

  @Test
  void renderingRejectsIdsOutsideTheSpace() {
    IdFormat f = LatticeTokenFormat.of(CITY);
    assertThatThrownBy(() -> f.render(SemanticId.of(new int[] {256, 0}, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside the 16x16 lattice");
  }

  @Provide
  Arbitrary<SpaceAndIds> spaceAndIds() {
    return SidArbitraries.wideSpaceAndIds(1, 20, 150);
  }

  @Property(tries = 200)
  void bothFormatsRoundTrip(@ForAll("spaceAndIds") SpaceAndIds c) {
    for (IdFormat f :
        List.of(LatticeTokenFormat.of(c.space()), RowColumnTokenFormat.of(c.space()))) {
      Set<String> vocabulary = new HashSet<>(f.vocabulary(151));
      for (SemanticId id : c.ids()) {
        List<String> tokens = f.tokensOf(id);
        assertThat(tokens).hasSize(f.tokensPerId());
        assertThat(vocabulary).containsAll(tokens);
        assertThat(f.parseTokens(tokens)).isEqualTo(id);
        assertThat(f.parse(f.render(id))).isEqualTo(id);
        assertThat(IdFormat.splitTokens(f.render(id))).isEqualTo(tokens);
      }
    }
  }

  @Property(tries = 300)
  void distinctIdsRenderDistinctly(@ForAll("spaceAndIds") SpaceAndIds c) {
    IdFormat f = LatticeTokenFormat.of(c.space());
    for (SemanticId a : c.ids()) {
      for (SemanticId b : c.ids()) {
        assertThat(f.render(a).equals(f.render(b))).isEqualTo(a.equals(b));
      }
    }
  }

  @Test
  void formatsAreEqualByKindAndSpace() {
    IdSpace space =
        new IdSpace(List.of(LatticeSpec.rectangular(4, 4), LatticeSpec.hexagonal(2, 2)));
    IdSpace other = new IdSpace(List.of(LatticeSpec.rectangular(4, 4)));
    assertThat(LatticeTokenFormat.of(space)).isEqualTo(LatticeTokenFormat.of(space));
    assertThat(LatticeTokenFormat.of(space).hashCode())
        .isEqualTo(LatticeTokenFormat.of(space).hashCode());
    assertThat(RowColumnTokenFormat.of(space)).isEqualTo(RowColumnTokenFormat.of(space));
    assertThat((IdFormat) LatticeTokenFormat.of(space))
        .isNotEqualTo(RowColumnTokenFormat.of(space));
    assertThat(LatticeTokenFormat.of(space)).isNotEqualTo(LatticeTokenFormat.of(other));
    assertThat(RowColumnTokenFormat.of(space).toString()).startsWith("RowColumnTokenFormat[");
    assertThat(LatticeTokenFormat.of(space).render(SemanticId.of(new int[] {13, 3}, 0)))
        .isEqualTo("<a_3_1><b_1_1><c_0>");
    assertThat(RowColumnTokenFormat.of(space).render(SemanticId.of(new int[] {13, 3}, 0)))
        .isEqualTo("<a_r3><a_c1><b_r1><b_c1><c_0>");
  }
}
