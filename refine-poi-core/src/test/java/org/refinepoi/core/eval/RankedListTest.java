package org.refinepoi.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RankedListTest {

  @Property
  void top_by_score_matches_a_reference_sort(
      @ForAll @Size(min = 1, max = 300) List<@IntRange(min = -5, max = 5) Integer> coarse,
      @ForAll @IntRange(min = 1, max = 400) int k) {
    // Small integer scores force many ties, which must go to the lower index.
    double[] scores = coarse.stream().mapToDouble(i -> i * 0.5).toArray();
    int[] expected =
        IntStream.range(0, scores.length)
            .boxed()
            .sorted(
                Comparator.<Integer>comparingDouble(i -> -scores[i])
                    .thenComparing(Comparator.naturalOrder()))
            .limit(k)
            .mapToInt(Integer::intValue)
            .toArray();
    assertThat(RankedList.topByScore(scores, k)).containsExactly(expected);
  }

  @Test
  void offers_skip_duplicates_and_stop_when_full() {
    RankedList list = new RankedList(10, 3);
    list.offerAll(new int[] {4, 4, 2});
    assertThat(list.isFull()).isFalse();
    list.offerAll(new int[] {2, 7, 9});
    assertThat(list.isFull()).isTrue();
    assertThat(list.toArray()).containsExactly(4, 2, 7);
    assertThat(new RankedList(2, 5).toArray()).isEmpty();
  }

  @Test
  void nan_scores_and_bad_k_are_refused() {
    assertThatThrownBy(() -> RankedList.topByScore(new double[] {1, Double.NaN}, 1))
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> new RankedList(3, 0)).hasMessageContaining("k must be >= 1");
  }
}
