package org.refinepoi.core.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.sid.SemanticId;

class SampleTokenizerTest {

  private static SampleTokenizer tokenizer(int userBuckets, int longTerm, int shortTerm) {
    return SampleTokenizer.builder()
        .vocabulary(PromptVocabulary.of(PromptFixtures.SPACE, 2, userBuckets))
        .poiIds(PromptFixtures::idOf)
        .longTermCheckIns(longTerm)
        .maxShortTermCheckIns(shortTerm)
        .build();
  }

  @Test
  void promptLayoutIsAsDocumented() {
    SampleTokenizer tok = tokenizer(0, 20, 20);
    PromptVocabulary v = tok.vocabulary();
    int[] prompt = tok.prompt(PromptFixtures.sample(1, 2, 5));
    // BOS, 1 long-term check-in, SEP, 2 short-term check-ins, SEP, hour, weekday, ANSWER
    assertThat(prompt).hasSize(1 + 5 + 1 + 10 + 1 + 3);
    assertThat(prompt[0]).isEqualTo(PromptVocabulary.BOS);
    assertThat(prompt[6]).isEqualTo(PromptVocabulary.SEP);
    assertThat(prompt[17]).isEqualTo(PromptVocabulary.SEP);
    assertThat(prompt[prompt.length - 1]).isEqualTo(PromptVocabulary.ANSWER);
    // The first short-term check-in: 13:58 on Saturday 2012-05-05 at POI 2.
    assertThat(prompt[7]).isEqualTo(v.hourToken(13));
    assertThat(prompt[8]).isEqualTo(v.weekdayToken(5));
    assertThat(v.decodeId(prompt, 9)).isEqualTo(PromptFixtures.idOf(2));
    // The target's time: 13:58 + 72 min = 15:10.
    assertThat(prompt[prompt.length - 3]).isEqualTo(v.hourToken(15));
    assertThat(tok.describe(prompt)).startsWith("<bos> <h_");
  }

  @Property
  void lengthsFollowTheTruncation(
      @ForAll @IntRange(max = 30) int longTerm,
      @ForAll @IntRange(min = 1, max = 30) int shortTerm,
      @ForAll @IntRange(max = 10) int keepLong,
      @ForAll @IntRange(min = 1, max = 10) int keepShort,
      @ForAll @IntRange(max = 4) int userBuckets) {
    SampleTokenizer tok = tokenizer(userBuckets, keepLong, keepShort);
    int[] prompt = tok.prompt(PromptFixtures.sample(longTerm, shortTerm, 0));
    int expected =
        1
            + (userBuckets > 0 ? 1 : 0)
            + (Math.min(longTerm, keepLong) + Math.min(shortTerm, keepShort)) * 5
            + 1
            + 1
            + 3;
    assertThat(prompt).hasSize(expected);
    assertThat(prompt.length).isLessThanOrEqualTo(tok.maxPromptLength());
  }

  @Test
  void promptIsDeterministicAndNeverReadsTheTarget() {
    SampleTokenizer tok = tokenizer(16, 5, 5);
    int[] a = tok.prompt(PromptFixtures.sample(7, 3, 1));
    int[] b = tok.prompt(PromptFixtures.sample(7, 3, 4));
    assertThat(a).containsExactly(b);
  }

  @Test
  void truncationKeepsTheMostRecentCheckIns() {
    SampleTokenizer tok = tokenizer(0, 1, 1);
    PromptVocabulary v = tok.vocabulary();
    int[] prompt = tok.prompt(PromptFixtures.sample(4, 3, 0));
    // long-term check-in 3 (POI 3), short-term check-in 2 (POI (2 + 2) % 6 = 4).
    assertThat(v.decodeId(prompt, 3)).isEqualTo(PromptFixtures.idOf(3));
    assertThat(v.decodeId(prompt, 9)).isEqualTo(PromptFixtures.idOf(4));
  }

  @Property
  void answersRoundTrip(@ForAll @IntRange(max = 6) int k) {
    SampleTokenizer tok = tokenizer(0, 5, 5);
    List<SemanticId> ids = new ArrayList<>();
    for (int i = 0; i < k; i++) {
      ids.add(PromptFixtures.idOf(5 - i));
    }
    int[] answer = tok.answer(ids);
    assertThat(answer).hasSize(tok.answerLength(k));
    assertThat(answer[answer.length - 1]).isEqualTo(PromptVocabulary.EOS);
    assertThat(tok.parseAnswer(answer)).containsExactlyElementsOf(ids);
  }

  @Test
  void targetAnswerIsTheTargetIdThenEos() {
    SampleTokenizer tok = tokenizer(0, 5, 5);
    assertThat(tok.parseAnswer(tok.targetAnswer(PromptFixtures.sample(2, 2, 3))))
        .containsExactly(PromptFixtures.idOf(3));
  }

  @Test
  void rejectsBadAnswers() {
    SampleTokenizer tok = tokenizer(0, 5, 5);
    SemanticId id = PromptFixtures.idOf(1);
    assertThatThrownBy(() -> tok.answer(List.of(id, id))).hasMessageContaining("appears twice");
    int[] partial = {tok.vocabulary().idTokens(PromptFixtures.idOf(1))[0], PromptVocabulary.EOS};
    assertThatThrownBy(() -> tok.parseAnswer(partial)).hasMessageContaining("whole number");
    SampleTokenizer missing =
        SampleTokenizer.builder()
            .vocabulary(tok.vocabulary())
            .poiIds(p -> p == 0 ? null : PromptFixtures.idOf(p))
            .build();
    assertThatThrownBy(() -> missing.prompt(PromptFixtures.sample(1, 2, 0)))
        .hasMessageContaining("POI 0 has no semantic ID");
  }
}
