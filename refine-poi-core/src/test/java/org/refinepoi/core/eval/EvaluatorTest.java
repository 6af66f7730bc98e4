package org.refinepoi.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.refinepoi.core.eval.TinyData.ci;
import static org.refinepoi.core.eval.TinyData.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.protocol.Sample;

class EvaluatorTest {

  /** A recommender defined by a function, for the tests. */
  private record Fake(String name, BiFunction<Sample, Integer, int[]> f) implements Recommender {
    @Override
    public int[] recommend(Sample sample, int k) {
      return f.apply(sample, k);
    }
  }

  private static Sample s(int user, int target, boolean cold) {
    return sample(user, List.of(ci(user, 0, 10)), List.of(), target, cold);
  }

  @Test
  void reports_overall_and_cold_start_rows() {
    // Catalogue of 20 POIs; the recommender lists 0..19 in order, so rank = target + 1.
    Recommender identity =
        new Fake("Identity", (x, k) -> java.util.stream.IntStream.range(0, k).toArray());
    List<Sample> samples = List.of(s(0, 0, false), s(1, 2, true), s(2, 6, false), s(3, 14, true));
    EvaluationResult r = Evaluator.forCatalogue(20).evaluate(identity, samples);
    assertThat(r.method()).isEqualTo("Identity");
    assertThat(r.listSize()).isEqualTo(20);
    assertThat(r.overall().count()).isEqualTo(4);
    assertThat(r.overall().acc1()).isCloseTo(0.25, within(1e-12));
    assertThat(r.overall().acc5()).isCloseTo(0.5, within(1e-12));
    assertThat(r.overall().acc10()).isCloseTo(0.75, within(1e-12));
    assertThat(r.overall().mrr()).isCloseTo((1 + 1.0 / 3 + 1.0 / 7 + 1.0 / 15) / 4, within(1e-12));
    assertThat(r.coldStart().count()).isEqualTo(2);
    assertThat(r.coldStart().acc5()).isCloseTo(0.5, within(1e-12));
    assertThat(r.coldStart().mrr()).isCloseTo((1.0 / 3 + 1.0 / 15) / 2, within(1e-12));
  }

  @Test
  void capped_list_size_turns_deep_targets_into_misses() {
    Recommender identity =
        new Fake("Identity", (x, k) -> java.util.stream.IntStream.range(0, k).toArray());
    List<Sample> samples = List.of(s(0, 11, false), s(1, 1, false));
    Evaluator capped = Evaluator.builder(20).listSize(10).build();
    int[] ranks = capped.ranks(identity, samples);
    assertThat(ranks).containsExactly(RankingMetrics.MISS, 2);
    assertThat(capped.evaluate(identity, samples).coldStart().isEmpty()).isTrue();
    assertThat(Evaluator.forCatalogue(20).ranks(identity, samples)).containsExactly(12, 2);
  }

  @Test
  void invalid_lists_name_the_recommender() {
    List<Sample> samples = List.of(s(0, 1, false));
    Evaluator ev = Evaluator.forCatalogue(20);
    assertThatThrownBy(() -> ev.evaluate(new Fake("Dup", (x, k) -> new int[] {3, 4, 3}), samples))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Dup")
        .hasMessageContaining("POI 3 twice (at positions 1 and 3)");
    assertThatThrownBy(() -> ev.evaluate(new Fake("Far", (x, k) -> new int[] {20}), samples))
        .hasMessageContaining("Far")
        .hasMessageContaining("outside the catalogue");
    assertThatThrownBy(() -> ev.evaluate(new Fake("Neg", (x, k) -> new int[] {-1}), samples))
        .hasMessageContaining("Neg");
    assertThatThrownBy(() -> ev.evaluate(new Fake("Null", (x, k) -> null), samples))
        .hasMessageContaining("Null returned null");
    assertThatThrownBy(() -> ev.evaluate(new Fake("Long", (x, k) -> new int[k + 1]), samples))
        .hasMessageContaining("Long returned 21 POIs when asked for 20");
    assertThatThrownBy(
            () ->
                ev.evaluate(
                    new Fake(
                        "Boom",
                        (x, k) -> {
                          throw new ArithmeticException("oops");
                        }),
                    samples))
        .hasMessageContaining("Boom failed")
        .hasCauseInstanceOf(ArithmeticException.class);
  }

  @Test
  void bad_samples_are_refused() {
    Recommender r = new Fake("Any", (x, k) -> new int[] {0});
    assertThatThrownBy(() -> Evaluator.forCatalogue(5).evaluate(r, List.of()))
        .hasMessageContaining("no samples");
    assertThatThrownBy(() -> Evaluator.forCatalogue(5).evaluate(r, List.of(s(0, 7, false))))
        .hasMessageContaining("target POI 7 outside the catalogue of 5 POIs");
    assertThatThrownBy(() -> Evaluator.builder(5).listSize(3)).hasMessageContaining("list size");
  }

  @Test
  void parallel_and_sequential_runs_agree() {
    // A recommender whose ranking depends on the sample, over many samples.
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      samples.add(s(i % 37, (i * 7) % 50, i % 3 == 0));
    }
    Recommender rotating =
        new Fake(
            "Rotate",
            (x, k) -> {
              int[] out = new int[k];
              for (int j = 0; j < k; j++) {
                out[j] = (x.user() * 13 + j) % 50;
              }
              return out;
            });
    EvaluationResult par = Evaluator.builder(50).parallel(true).build().evaluate(rotating, samples);
    EvaluationResult seq =
        Evaluator.builder(50).parallel(false).build().evaluate(rotating, samples);
    assertThat(par).isEqualTo(seq);
  }
}
