package org.refinepoi.examples.cli;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.eval.EvaluationResult;
import org.refinepoi.core.eval.Evaluator;
import org.refinepoi.core.eval.MetricsTable;
import org.refinepoi.core.eval.Recommender;
import org.refinepoi.core.protocol.NextPoiProtocol;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.protocol.Split;

/**
 * What {@code eval} and {@code demo} share once they hold a raw dataset: prepare it with the
 * protocol, print the statistics, fit every {@link RecommenderStage}, evaluate every recommender on
 * one split, print the metrics table (overall and cold-start rows), each step timed.
 */
final class NextPoiPipeline {

  private final PrintWriter out;
  private final StageClock clock;

  NextPoiPipeline(PrintWriter out, StageClock clock) {
    this.out = out;
    this.clock = clock;
  }

  /** Prepares the raw data and prints its statistics table. */
  PreparedData prepare(CheckInDataset raw, ProtocolConfig config) {
    PreparedData data =
        clock.time(
            "prepare (filter, sessions, split, samples)",
            () -> NextPoiProtocol.prepare(raw, config));
    out.println();
    out.println("## Dataset: " + raw.name());
    out.println();
    out.println(data.stats().toTable());
    out.flush();
    return data;
  }

  /**
   * Fits the stages, evaluates their recommenders on a split, and prints the metrics table.
   *
   * @param listSize POIs asked of each recommender per sample; 0 = the whole catalogue
   * @return one result per recommender, in stage order
   */
  List<EvaluationResult> evaluate(
      PreparedData data, List<RecommenderStage> stages, Split split, int listSize) {
    List<Sample> samples = data.samples(split);
    checkArgument(
        !samples.isEmpty(),
        "the %s split of %s has no samples to evaluate",
        split,
        data.dataset().name());
    List<Recommender> recommenders = new ArrayList<>();
    for (RecommenderStage stage : stages) {
      recommenders.addAll(clock.time(stage.name(), () -> stage.fit(data)));
    }
    Evaluator.Builder builder = Evaluator.builder(data.dataset().poiCount());
    if (listSize > 0) {
      builder.listSize(listSize);
    }
    Evaluator evaluator = builder.build();
    List<EvaluationResult> results = new ArrayList<>();
    for (Recommender r : recommenders) {
      results.add(
          clock.time(
              "evaluate " + r.name() + " (" + samples.size() + " samples)",
              () -> evaluator.evaluate(r, samples)));
    }
    out.println();
    out.printf(
        "## Metrics: %s split, %d samples, %d POIs ranked per sample%s%n%n",
        split.name().toLowerCase(java.util.Locale.ROOT),
        samples.size(),
        evaluator.listSize(),
        evaluator.listSize() == evaluator.poiCount() ? " (full catalogue)" : " (MRR@list size)");
    out.println(MetricsTable.of(results).toMarkdown());
    out.flush();
    return results;
  }

  /** Prints the timing table of every stage so far. */
  void printTimings() {
    out.println("## Timings");
    out.println();
    out.println(clock.toTable());
    out.flush();
  }
}
