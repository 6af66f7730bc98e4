package org.refinepoi.pipeline.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.rl.reward.SoftAccuracyReward;

/**
 * Invariants of scoring a file of completions: for any list of distinct catalogue IDs, the metrics
 * read the truth's rank, and the composite is the documented weighted mean of its terms.
 */
class CompletionScorerProperties {

  private static final int K = 10;
  private static final IdSpace SPACE =
      IdSpace.of(LatticeSpec.rectangular(4, 4), LatticeSpec.rectangular(2, 2));
  private static final SemanticIdIndex INDEX = catalogue();
  private static final double TOL = 1e-9;

  /** One POI per leaf (64 POIs), named p-<row>. */
  private static SemanticIdIndex catalogue() {
    SemanticIdIndex.Builder b = SemanticIdIndex.builder(SPACE);
    for (int c1 = 0; c1 < 16; c1++) {
      for (int c2 = 0; c2 < 4; c2++) {
        b.add("p-" + (c1 * 4 + c2), SemanticId.of(new int[] {c1, c2}, 0));
      }
    }
    return b.build();
  }

  @Provide
  Arbitrary<List<Integer>> lists() {
    return Arbitraries.integers().between(0, 63).list().ofMinSize(1).ofMaxSize(K).uniqueElements();
  }

  @Property(tries = 60)
  void metricsFollowTheTruthsRankAndTheCompositeIsTheWeightedMean(
      @ForAll("lists") List<Integer> pois, @ForAll("truths") int truthPoi) throws IOException {
    List<String> ids = new ArrayList<>();
    for (int p : pois) {
      ids.add(INDEX.format().render(INDEX.idOf("p-" + p)));
    }
    String line =
        "{\"completion\":\"<think>x</think><answer>%s</answer>\",\"ground_truth_id\":\"p-%d\"}"
            .formatted(String.join(", ", ids), truthPoi);
    Path file = Files.createTempFile("completions", ".jsonl");
    try {
      Files.writeString(file, line + "\n", UTF_8);
      List<CompletionScorer.LineScore> lines = new ArrayList<>();
      CompletionScorer.Report report = new CompletionScorer(INDEX, K).score(file, lines::add);
      CompletionScorer.LineScore s = lines.getFirst();

      int rank = pois.indexOf(truthPoi) + 1; // 0 when absent
      assertThat(s.rank()).isEqualTo(rank);
      assertThat(report.ranking().mrr()).isCloseTo(rank == 0 ? 0 : 1.0 / rank, within(TOL));
      assertThat(report.ranking().acc1()).isEqualTo(rank == 1 ? 1.0 : 0.0);
      assertThat(report.ranking().acc5()).isEqualTo(rank >= 1 && rank <= 5 ? 1.0 : 0.0);
      assertThat(s.terms().get("reciprocal_rank"))
          .isCloseTo(rank == 0 ? 0 : 1.0 / rank, within(TOL));
      assertThat(s.terms().get("format")).isEqualTo(1.0);
      assertThat(s.terms().get("diversity")).isEqualTo(1.0);
      assertThat(s.terms().get("length")).isCloseTo(pois.size() / (double) K, within(TOL));
      double soft =
          SoftAccuracyReward.builder(SPACE, K)
              .build()
              .score(
                  pois.stream().map(p -> INDEX.idOf("p-" + p)).toList(),
                  INDEX.idOf("p-" + truthPoi));
      assertThat(s.terms().get("soft_accuracy")).isCloseTo(soft, within(TOL));
      // Weights: format 1, reciprocal rank 1, soft accuracy 1, diversity 0.5, length 0.5, ndcg 0.
      double expected =
          (1.0
                  + s.terms().get("reciprocal_rank")
                  + soft
                  + 0.5 * 1.0
                  + 0.5 * s.terms().get("length"))
              / 4.0;
      assertThat(s.composite()).isCloseTo(expected, within(TOL)).isBetween(0.0, 1.0);
      assertThat(report.meanRewards().get(CompletionScorer.COMPOSITE))
          .isCloseTo(s.composite(), within(TOL));
    } finally {
      Files.delete(file);
    }
  }

  @Provide
  Arbitrary<Integer> truths() {
    return Arbitraries.integers().between(0, 63);
  }
}
