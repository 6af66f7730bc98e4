package org.refinepoi.rl.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.LatticeTokenFormat;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.rl.reward.ParseProblem.Reason;

class AnswerParserTest {

  static final IdSpace SPACE =
      IdSpace.of(LatticeSpec.rectangular(16, 16), LatticeSpec.rectangular(4, 4));
  static final LatticeTokenFormat FORMAT = LatticeTokenFormat.of(SPACE);
  final AnswerParser parser = new AnswerParser(FORMAT, 3);

  static SemanticId id(int r1, int c1, int r2, int c2, int slot) {
    return SemanticId.of(new int[] {r1 * 16 + c1, r2 * 4 + c2}, slot);
  }

  private static List<Reason> reasons(ParsedAnswer a) {
    return a.problems().stream().map(ParseProblem::reason).toList();
  }

  @Test
  void parsesAWellFormedAnswerWithMixedSeparators() {
    ParsedAnswer a =
        parser.parse(
            "<think>coffee first</think><answer><a_03_12><b_1_2><c_0>,\n"
                + "<a_03_12><b_1_3><c_1> <a_00_00><b_0_0><c_0></answer>");
    assertThat(a.wellFormed()).isTrue();
    assertThat(a.items())
        .containsExactly(id(3, 12, 1, 2, 0), id(3, 12, 1, 3, 1), id(0, 0, 0, 0, 0));
    assertThat(a.entryCount()).isEqualTo(3);
  }

  @Test
  void parsesIdsWrittenBackToBack() {
    ParsedAnswer a = parser.parse("<answer><a_01_01><b_0_0><c_0><a_02_02><b_1_1><c_0></answer>");
    assertThat(a.items()).containsExactly(id(1, 1, 0, 0, 0), id(2, 2, 1, 1, 0));
    assertThat(a.wellFormed()).isTrue();
  }

  @Test
  void roundTripsRenderedIds() {
    List<SemanticId> ids = List.of(id(15, 15, 3, 3, 7), id(0, 9, 2, 0, 0));
    String text =
        "<answer>" + String.join(", ", ids.stream().map(FORMAT::render).toList()) + "</answer>";
    assertThat(parser.parse(text).items()).isEqualTo(ids);
  }

  @Test
  void reportsAMissingAnswerTag() {
    assertThat(reasons(parser.parse("<a_01_01><b_0_0><c_0>")))
        .containsExactly(Reason.MISSING_ANSWER_TAG);
    assertThat(reasons(parser.parse("<answer><a_01_01><b_0_0><c_0>")))
        .containsExactly(Reason.MISSING_ANSWER_TAG);
    assertThat(parser.parse("nothing").parsable()).isFalse();
  }

  @Test
  void reportsAnEmptyAnswer() {
    assertThat(reasons(parser.parse("<answer> , </answer>"))).containsExactly(Reason.EMPTY_ANSWER);
  }

  @Test
  void skipsUnknownTextAndKeepsTheValidIds() {
    ParsedAnswer a = parser.parse("<answer><a_01_01><b_0_0><c_0>, cafe, <a_02_02<b_0_0></answer>");
    assertThat(a.items()).containsExactly(id(1, 1, 0, 0, 0));
    // "cafe" and the unclosed "<a_02_02" are unknown; the orphan <b_0_0> belongs to the latter
    assertThat(reasons(a)).containsExactly(Reason.UNKNOWN_TOKEN, Reason.UNKNOWN_TOKEN);
    assertThat(a.entryCount()).isEqualTo(3);
    assertThat(a.wellFormed()).isFalse();
  }

  @Test
  void reportsMalformedIdsAndResynchronizes() {
    // an ID missing level b; the next ID is read intact
    ParsedAnswer a =
        new AnswerParser(FORMAT, 10)
            .parse("<answer><a_01_01><c_0>, <a_02_02><b_1_1><c_0></answer>");
    assertThat(a.items()).containsExactly(id(2, 2, 1, 1, 0));
    assertThat(reasons(a)).containsExactly(Reason.MALFORMED_ID);
    // not zero-padded (non-canonical), a row outside the lattice, a slot with two fields
    assertThat(reasons(parser.parse("<answer><a_1_01><b_0_0><c_0></answer>")))
        .contains(Reason.MALFORMED_ID);
    assertThat(reasons(parser.parse("<answer><a_16_00><b_0_0><c_0></answer>")))
        .contains(Reason.MALFORMED_ID);
    assertThat(reasons(parser.parse("<answer><a_01_01><b_0_0><c_0_1></answer>")))
        .contains(Reason.MALFORMED_ID);
    assertThat(parser.parse("<answer><a_01_01><b_0_0></answer>").problems().getFirst().detail())
        .contains("cut short");
  }

  @Test
  void checksTheIndexCatalogueAndVocabulary() {
    SemanticIdIndex index =
        SemanticIdIndex.builder(SPACE)
            .add("cafe", id(1, 1, 0, 0, 0))
            .add("bar", id(2, 2, 1, 1, 0))
            .build();
    AnswerParser strict = AnswerParser.forIndex(index, 3);
    ParsedAnswer a =
        strict.parse("<answer><a_01_01><b_0_0><c_0><a_05_05><b_0_0><c_0> <z_9></answer>");
    assertThat(a.items()).containsExactly(id(1, 1, 0, 0, 0));
    assertThat(reasons(a)).containsExactly(Reason.INVALID_ID, Reason.UNKNOWN_TOKEN);
  }

  @Test
  void reportsTooManyItemsButKeepsThem() {
    ParsedAnswer a =
        parser.parse(
            "<answer><a_00_00><b_0_0><c_0> <a_00_01><b_0_0><c_0> <a_00_02><b_0_0><c_0>"
                + " <a_00_03><b_0_0><c_0></answer>");
    assertThat(a.items()).hasSize(4);
    assertThat(reasons(a)).containsExactly(Reason.TOO_MANY_ITEMS);
    assertThat(a.top(3)).hasSize(3);
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new AnswerParser(FORMAT, 0)).hasMessageContaining("maxItems");
  }
}
