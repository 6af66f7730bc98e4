package org.refinepoi.core.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;

class PromptVocabularyTest {

  private static final IdSpace SPACE =
      IdSpace.of(LatticeSpec.rectangular(16, 16), LatticeSpec.hexagonal(4, 4));

  @Test
  void layoutCountsEveryTokenOnce() {
    PromptVocabulary v = PromptVocabulary.of(SPACE, 3, 8);
    assertThat(v.size()).isEqualTo(5 + 24 + 7 + 8 + 256 + 16 + 3);
    Set<String> names = new HashSet<>();
    for (int t = 0; t < v.size(); t++) {
      names.add(v.tokenName(t));
    }
    assertThat(names).hasSize(v.size());
    assertThat(v.tokenName(PromptVocabulary.PAD)).isEqualTo("<pad>");
    assertThat(v.tokenName(v.hourToken(13))).isEqualTo("<h_13>");
    assertThat(v.tokenName(v.weekdayToken(6))).isEqualTo("<w_6>");
  }

  @Test
  void idTokensFollowTheIdFormat() {
    PromptVocabulary v = PromptVocabulary.of(SPACE, 2, 0);
    SemanticId id = SemanticId.of(new int[] {3 * 16 + 12, 1 * 4 + 2}, 0);
    StringBuilder sb = new StringBuilder();
    for (int t : v.idTokens(id)) {
      sb.append(v.tokenName(t));
    }
    assertThat(sb.toString()).isEqualTo("<a_03_12><b_1_2><c_0>");
  }

  @Property
  void idTokensRoundTrip(
      @ForAll @IntRange(max = 255) int c0,
      @ForAll @IntRange(max = 15) int c1,
      @ForAll @IntRange(max = 4) int slot) {
    PromptVocabulary v = PromptVocabulary.of(SPACE, 5, 0);
    SemanticId id = SemanticId.of(new int[] {c0, c1}, slot);
    int[] tokens = v.idTokens(id);
    assertThat(tokens).hasSize(v.idLength());
    for (int t : tokens) {
      assertThat(v.isIdToken(t)).isTrue();
    }
    assertThat(v.isIdToken(v.hourToken(3))).isFalse();
    assertThat(v.decodeId(tokens, 0)).isEqualTo(id);
  }

  @Property
  void userTokensStayInTheirBuckets(@ForAll @IntRange(max = 1_000_000) int user) {
    PromptVocabulary v = PromptVocabulary.of(SPACE, 1, 7);
    String name = v.tokenName(v.userToken(user));
    assertThat(name).startsWith("<u_");
    assertThat(v.userToken(user)).isEqualTo(v.userToken(user));
  }

  @Test
  void rejectsWhatItCannotRender() {
    PromptVocabulary v = PromptVocabulary.of(SPACE, 2, 0);
    assertThatThrownBy(() -> v.idTokens(SemanticId.of(new int[] {1, 1}, 2)))
        .hasMessageContaining("collision slot 2 has no token");
    assertThatThrownBy(() -> v.idTokens(SemanticId.of(new int[] {256, 1}, 0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> v.userToken(3)).hasMessageContaining("no user tokens");
    assertThatThrownBy(() -> v.hourToken(24)).isInstanceOf(IndexOutOfBoundsException.class);
    int[] bad = {v.hourToken(1), v.idToken("<b_0_0>"), v.idToken("<c_0>")};
    assertThatThrownBy(() -> v.decodeId(bad, 0)).hasMessageContaining("is not an ID token");
    int[] swapped = {v.idToken("<b_0_0>"), v.idToken("<a_00_00>"), v.idToken("<c_0>")};
    assertThatThrownBy(() -> v.decodeId(swapped, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
