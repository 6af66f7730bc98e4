package org.refinepoi.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.refinepoi.core.data.LoadResult;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.ProtocolConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code refine-poi eval --data FILE}: loads a check-in file, prepares it with the standard
 * protocol, runs the classic baselines on the test split and prints the statistics and metrics
 * tables (overall and cold-start rows), with the time of each stage.
 */
@Command(
    name = "eval",
    header = "Evaluates the classic baselines on a check-in file.",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the classic baselines (MostPopular, UserMostVisited, MarkovTransition,"
          + " PopularNearLastCheckIn) on a check-in file under the standard next-POI protocol",
      "and prints the dataset statistics and the metrics table (Acc@1/5/10, NDCG@5/10, MRR;"
          + " overall and cold-start)."
    })
public final class EvalCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin CheckInFileOptions input;

  @Option(
      names = "--sample-mode",
      defaultValue = "last",
      paramLabel = "last|all",
      description =
          "last (default): predict the last check-in of each trajectory; all: every prefix.")
  String sampleMode;

  @Option(
      names = "--split",
      defaultValue = "test",
      paramLabel = "test|validation",
      description = "The split to evaluate on (default test).")
  String split;

  @Option(
      names = "--list-size",
      defaultValue = "0",
      paramLabel = "K",
      description =
          "POIs asked of each recommender per sample; 0 (default) = the whole catalogue, which"
              + " makes MRR exact; otherwise MRR@K.")
  int listSize;

  @Option(
      names = "--markov-smoothing",
      defaultValue = "0",
      paramLabel = "ALPHA",
      description =
          "Markov baseline: score = transitions + ALPHA * the user's visit share (default 0 ="
              + " transitions, then the user's most visited, then popularity).")
  double markovSmoothing;

  @Option(
      names = "--near-scale-km",
      defaultValue = "0.2",
      paramLabel = "KM",
      description =
          "Distance scale of PopularNearLastCheckIn: score = ln(1 + visits) - km / scale"
              + " (default 0.2).")
  double nearScaleKm;

  /** For picocli. */
  public EvalCommand() {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    input.check(spec);
    if (listSize != 0 && listSize < 10) {
      throw new ParameterException(
          spec.commandLine(), "--list-size must be 0 (whole catalogue) or >= 10");
    }
    // Checked here, before the load: NaN fails both comparisons.
    if (!(markovSmoothing >= 0 && markovSmoothing < Double.POSITIVE_INFINITY)) {
      throw new ParameterException(
          spec.commandLine(), "--markov-smoothing must be a number >= 0, got " + markovSmoothing);
    }
    if (!(nearScaleKm > 0 && nearScaleKm < Double.POSITIVE_INFINITY)) {
      throw new ParameterException(
          spec.commandLine(), "--near-scale-km must be a number > 0, got " + nearScaleKm);
    }
    ProtocolConfig config =
        ProtocolConfig.builder().sampleMode(CliOptions.sampleMode(spec, sampleMode)).build();
    var evalSplit = CliOptions.split(spec, split);
    BaselineStage baselines = new BaselineStage(markovSmoothing, nearScaleKm);
    StageClock clock = new StageClock(out);
    try {
      LoadResult loaded = clock.time("load " + input.file.getFileName(), this::load);
      out.println(loaded.report().summary());
      NextPoiPipeline pipeline = new NextPoiPipeline(out, clock);
      PreparedData prepared = pipeline.prepare(loaded.dataset(), config);
      pipeline.evaluate(prepared, List.of(baselines), evalSplit, listSize);
      pipeline.printTimings();
      return 0;
    } catch (UncheckedIOException e) {
      return CliOptions.fail(spec, e.getCause());
    } catch (IllegalArgumentException | IllegalStateException e) {
      return CliOptions.fail(spec, e);
    }
  }

  private LoadResult load() {
    try {
      return input.loading.read(input.file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
