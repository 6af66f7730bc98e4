package org.refinepoi.rl.reward;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.prompt.PromptRenderer;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.protocol.Split;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.LatticeTokenFormat;
import org.refinepoi.core.sid.SemanticId;

/**
 * The answer format {@link PromptRenderer} asks a model for is the one {@link AnswerParser} reads:
 * the instruction's own {@code <think>...</think>} and {@code <answer>...</answer>} templates,
 * filled with the k IDs "separated by commas", parse into exactly those k IDs with no problem.
 */
class PromptAnswerContractTest {

  static final IdSpace SPACE =
      IdSpace.of(LatticeSpec.rectangular(4, 4), LatticeSpec.rectangular(2, 2));
  static final LatticeTokenFormat FORMAT = LatticeTokenFormat.of(SPACE);
  static final long T0 = 1336240680L;
  static final int POIS = 8;
  static final int K = 5;

  static SemanticId idOf(int poi) {
    return SemanticId.of(new int[] {poi, poi % 4}, poi % 2);
  }

  static PromptRenderer renderer(CheckInDataset dataset) {
    return PromptRenderer.builder()
        .dataset(dataset)
        .poiIds(PromptAnswerContractTest::idOf)
        .idFormat(FORMAT)
        .k(K)
        .build();
  }

  static CheckInDataset dataset() {
    List<Poi> pois = new ArrayList<>();
    for (int i = 0; i < POIS; i++) {
      pois.add(new Poi("v" + i, "c" + i, "Cafe " + i, 40.7, -74.0));
    }
    List<CheckIn> checkIns = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      checkIns.add(new CheckIn(0, i, T0 + i * 600L, -240));
    }
    return CheckInDataset.of("contract", pois, List.of("42"), checkIns);
  }

  static Sample sample() {
    List<CheckIn> st = List.of(new CheckIn(0, 1, T0, -240), new CheckIn(0, 2, T0 + 600L, -240));
    CheckIn target = new CheckIn(0, 3, T0 + 1200L, -240);
    return new Sample(0, 0, st, List.of(), target, false, Split.TRAIN);
  }

  /** The last line of the prompt, the answer-format instruction. */
  static String instruction(String prompt) {
    return prompt.substring(prompt.lastIndexOf('\n') + 1);
  }

  @Test
  void aCompletionWrittenAsTheInstructionAsksParsesIntoTheKIds() {
    PromptRenderer renderer = renderer(dataset());
    String instruction = instruction(renderer.render(sample()));
    assertThat(instruction).contains("separated by commas").contains(" " + K + " POI IDs");
    Matcher think = Pattern.compile("<think>(.*?)</think>").matcher(instruction);
    Matcher answer = Pattern.compile("<answer>(.*?)</answer>").matcher(instruction);
    assertThat(think.find()).as("think template in %s", instruction).isTrue();
    assertThat(answer.find()).as("answer template in %s", instruction).isTrue();

    List<SemanticId> ranked = List.of(idOf(5), idOf(0), idOf(7), idOf(2), idOf(3));
    List<String> rendered = ranked.stream().map(FORMAT::render).toList();
    AnswerParser parser = new AnswerParser(FORMAT, renderer.k());
    // "separated by commas", with and without a space after each comma
    for (String separator : List.of(", ", ",")) {
      String completion =
          think.group(0).replace(think.group(1), "the user drinks coffee in the afternoon")
              + answer.group(0).replace(answer.group(1), String.join(separator, rendered));
      ParsedAnswer parsed = parser.parse(completion);
      assertThat(parsed.problems()).as(completion).isEmpty();
      assertThat(parsed.wellFormed()).isTrue();
      assertThat(parsed.items()).containsExactlyElementsOf(ranked);
      assertThat(parsed.entryCount()).isEqualTo(renderer.k());
    }
  }

  @Test
  void theRenderersOwnTargetCompletionParsesBack() {
    PromptRenderer renderer = renderer(dataset());
    List<SemanticId> ranked = List.of(idOf(1), idOf(6), idOf(4), idOf(0), idOf(2));
    ParsedAnswer parsed =
        new AnswerParser(FORMAT, renderer.k()).parse(renderer.renderAnswer(ranked));
    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.items()).containsExactlyElementsOf(ranked);
  }

  @Test
  void oneIdMoreThanAskedForIsFlagged() {
    PromptRenderer renderer = renderer(dataset());
    List<SemanticId> ranked = new ArrayList<>();
    for (int i = 0; i <= renderer.k(); i++) {
      ranked.add(idOf(i));
    }
    ParsedAnswer parsed =
        new AnswerParser(FORMAT, renderer.k()).parse(renderer.renderAnswer(ranked));
    assertThat(parsed.wellFormed()).isFalse();
    assertThat(parsed.problems())
        .extracting(ParseProblem::reason)
        .containsExactly(ParseProblem.Reason.TOO_MANY_ITEMS);
  }
}
