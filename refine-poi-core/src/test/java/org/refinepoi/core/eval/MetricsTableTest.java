package org.refinepoi.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTableTest {

  @Test
  void renders_overall_rows_then_cold_start_rows() {
    MetricsReport a = new MetricsReport(3, 0.5, 0.25, 1, 0.123456, 0, 1.0 / 3);
    EvaluationResult first = new EvaluationResult("A|B", a, MetricsReport.EMPTY, 10);
    EvaluationResult second = new EvaluationResult("Markov", a, a, 10);
    String md = MetricsTable.of(List.of(first, second)).toMarkdown();
    assertThat(md)
        .isEqualTo(
            """
            | method | subset     |   n |  Acc@1 |  Acc@5 | Acc@10 | NDCG@5 | NDCG@10 |    MRR |
            |:-------|:-----------|----:|-------:|-------:|-------:|-------:|--------:|-------:|
            | A\\|B   | overall    |   3 | 0.5000 | 0.2500 | 1.0000 | 0.1235 |  0.0000 | 0.3333 |
            | Markov | overall    |   3 | 0.5000 | 0.2500 | 1.0000 | 0.1235 |  0.0000 | 0.3333 |
            | A\\|B   | cold-start |   0 |    n/a |    n/a |    n/a |    n/a |     n/a |    n/a |
            | Markov | cold-start |   3 | 0.5000 | 0.2500 | 1.0000 | 0.1235 |  0.0000 | 0.3333 |
            """);
  }
}
