package org.refinepoi.rl.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.rl.reward.ParseProblem.Reason;

class AnswerParserTest {

  static final IdSpace SPACE =
      IdSpace.of(LatticeSpec.rectangular(16, 16), LatticeSpec.rectangular(4, 4));
  final AnswerParser parser = new AnswerParser(SPACE, 3);

  static SemanticId id(int r1, int c1, int r2, int c2, int slot) {
    return SemanticId.of(new int[] {r1 * 16 + c1, r2 * 4 + c2}, slot);
  }

  private static List<Reason> reasons(ParsedAnswer a) {
    return a.problems().stream().map(ParseProblem::reason).toList();
  }

  @Test
  void formatsWithZeroPadding() {
    assertThat(new SidTokenFormat(SPACE).format(id(3, 12, 1, 2, 0)))
        .isEqualTo("<a_03_12><b_1_2><c_0>");
  }

  @Test
  void parsesAWellFormedAnswerWithMixedSeparators() {
    ParsedAnswer a =
        parser.parse(
            "<think>coffee first</think><answer><a_03_12><b_1_2><c_0>,\n"
                + "<a_3_12><b_1_3><c_1> <a_00_00><b_0_0><c_0></answer>");
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
  void skipsUnknownTokensAndKeepsTheValidIds() {
    ParsedAnswer a = parser.parse("<answer><a_01_01><b_0_0><c_0>, cafe, <z_1></answer>");
    assertThat(a.items()).containsExactly(id(1, 1, 0, 0, 0));
    assertThat(reasons(a)).containsExactly(Reason.UNKNOWN_TOKEN, Reason.UNKNOWN_TOKEN);
    assertThat(a.entryCount()).isEqualTo(3);
    assertThat(a.wellFormed()).isFalse();
  }

  @Test
  void reportsMalformedIds() {
    // missing level b, then an ID starting at b
    ParsedAnswer a =
        new AnswerParser(SPACE, 10).parse("<answer><a_01_01><c_0>, <b_0_0><c_0></answer>");
    assertThat(a.items()).isEmpty();
    assertThat(reasons(a)).containsOnly(Reason.MALFORMED_ID);
    // a level token with one number, a slot with two
    assertThat(reasons(parser.parse("<answer><a_01><b_0_0><c_0></answer>")))
        .contains(Reason.UNKNOWN_TOKEN);
    assertThat(reasons(parser.parse("<answer><a_01_01><b_0_0><c_0_1></answer>")))
        .contains(Reason.UNKNOWN_TOKEN, Reason.MALFORMED_ID);
  }

  @Test
  void reportsCellsOutsideTheLatticesAndUnknownPois() {
    assertThat(reasons(parser.parse("<answer><a_16_00><b_0_0><c_0></answer>")))
        .containsExactly(Reason.INVALID_ID);
    AnswerParser catalogue = new AnswerParser(SPACE, 3, id -> id.collisionSlot() == 0);
    ParsedAnswer a = catalogue.parse("<answer><a_01_01><b_0_0><c_1><a_01_01><b_0_0><c_0></answer>");
    assertThat(a.items()).containsExactly(id(1, 1, 0, 0, 0));
    assertThat(reasons(a)).containsExactly(Reason.INVALID_ID);
  }

  @Test
  void reportsTooManyItemsButKeepsThem() {
    ParsedAnswer a =
        parser.parse(
            "<answer><a_0_0><b_0_0><c_0> <a_0_1><b_0_0><c_0> <a_0_2><b_0_0><c_0>"
                + " <a_0_3><b_0_0><c_0></answer>");
    assertThat(a.items()).hasSize(4);
    assertThat(reasons(a)).containsExactly(Reason.TOO_MANY_ITEMS);
    assertThat(a.top(3)).hasSize(3);
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new AnswerParser(SPACE, 0)).hasMessageContaining("maxItems");
  }
}
