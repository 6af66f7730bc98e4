package org.refinepoi.core.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.protocol.Split;
import org.refinepoi.core.sid.SemanticId;

class PromptRendererTest {

  private static String format(SemanticId id) {
    return "<a_%d><b_%d><c_%d>".formatted(id.cell(0), id.cell(1), id.collisionSlot());
  }

  private static PromptRenderer renderer(int longTerm) {
    return PromptRenderer.builder()
        .dataset(PromptFixtures.dataset())
        .poiIds(PromptFixtures::idOf)
        .idFormat(PromptRendererTest::format)
        .longTermCheckIns(longTerm)
        .k(10)
        .build();
  }

  @Test
  void rendersTrajectoryMemoryQuestionAndFormat() {
    String text = renderer(2).render(PromptFixtures.sample(3, 2, 5));
    assertThat(text)
        .contains(
            "Current trajectory:\nAt 2012-05-05 13:58, user 42 visited <a_2><b_2><c_0>, a Gym.")
        .contains("At 2012-05-05 14:08, user 42 visited <a_3><b_3><c_1>, a Bar.")
        .contains(
            "At 2012-05-05 15:10, which 10 POIs will user 42 visit next? Answer as a ranked list.")
        .contains("<think>...</think>")
        .contains("<answer>...</answer>");
    // Only the two most recent of three long-term check-ins (POIs 1 and 2, not 0).
    assertThat(text).contains("Long-term memory").contains("an Office.");
    assertThat(text).doesNotContain("a Coffee Shop.");
    assertThat(text.indexOf("Long-term")).isLessThan(text.indexOf("Current trajectory"));
  }

  @Test
  void noMemorySectionWhenDisabledOrEmpty() {
    assertThat(renderer(0).render(PromptFixtures.sample(3, 1, 0))).doesNotContain("Long-term");
    assertThat(renderer(5).render(PromptFixtures.sample(0, 1, 0))).doesNotContain("Long-term");
  }

  @Test
  void neverReadsTheTargetPoi() {
    assertThat(renderer(5).render(PromptFixtures.sample(2, 2, 0)))
        .isEqualTo(renderer(5).render(PromptFixtures.sample(2, 2, 4)));
  }

  @Test
  void rendersIdsInTheIndexFormat() {
    org.refinepoi.core.sid.SemanticIdIndex.Builder b =
        org.refinepoi.core.sid.SemanticIdIndex.builder(PromptFixtures.SPACE);
    for (int poi = 0; poi < 6; poi++) {
      b.add("v" + poi, PromptFixtures.idOf(poi));
    }
    org.refinepoi.core.sid.SemanticIdIndex index = b.build();
    PromptRenderer r =
        PromptRenderer.builder().dataset(PromptFixtures.dataset()).idIndex(index).build();
    String text = r.render(PromptFixtures.sample(0, 1, 0));
    assertThat(text)
        .contains("visited " + index.format().render(PromptFixtures.idOf(2)) + ", a Gym.");
    assertThat(PoiIdTable.of(PromptFixtures.dataset(), index).missingCount()).isZero();
  }

  @Test
  void rendersAnAnswer() {
    assertThat(renderer(1).renderAnswer(List.of(PromptFixtures.idOf(1), PromptFixtures.idOf(2))))
        .isEqualTo("<think></think><answer><a_1><b_1><c_1>, <a_2><b_2><c_0></answer>");
  }

  @Test
  void refusesAUserOrPoiOutsideTheDatasetAndANullIdByName() {
    PromptRenderer r = renderer(2);
    CheckIn foreignPoi = new CheckIn(0, 6, PromptFixtures.T0, PromptFixtures.OFFSET);
    assertThatThrownBy(() -> r.checkInSentence(foreignPoi, "42"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("check-in POI 6 is not in dataset tiny (6 POIs)");
    CheckIn before = new CheckIn(1, 0, PromptFixtures.T0, PromptFixtures.OFFSET);
    CheckIn target = new CheckIn(1, 1, PromptFixtures.T0 + 600, PromptFixtures.OFFSET);
    Sample foreignUser = new Sample(1, 0, List.of(before), List.of(), target, false, Split.TRAIN);
    assertThatThrownBy(() -> r.render(foreignUser))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sample user 1 is not in dataset tiny (1 users)");
    assertThatThrownBy(() -> r.renderAnswer(Arrays.asList(PromptFixtures.idOf(1), null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ID at rank 1 is null");
  }
}
