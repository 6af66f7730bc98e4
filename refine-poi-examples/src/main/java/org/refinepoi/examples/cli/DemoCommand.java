package org.refinepoi.examples.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.eval.PopularNearLastCheckIn;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.core.synth.SyntheticCity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code refine-poi demo}: the README's main job. Generates the embedded synthetic city, prepares
 * it with the standard protocol, fits and evaluates every {@linkplain #stages() recommender stage}
 * on the test split, and prints the statistics, the metrics table and the time of each stage.
 *
 * <p>The pipeline grows by adding stages to {@link #stages()}: today the classic baselines; the
 * semantic-ID and policy stages are added there by later issues.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the pipeline on the embedded synthetic city (deterministic from --seed):",
      "generate, prepare (filters, 24 h sessions, 80/10/10 split, samples),",
      "fit the classic baselines, evaluate on the test split;",
      "prints the statistics, the metrics table and the time of each stage."
    })
public final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--seed",
      defaultValue = "7",
      paramLabel = "S",
      description = "Seed of the synthetic city (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--users",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Users of the synthetic city (default ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--pois",
      paramLabel = "N",
      defaultValue = "3000",
      description =
          "POIs of the synthetic city (default ${DEFAULT-VALUE}; at least 240 for its 24 neighbourhoods).")
  int pois;

  @Option(
      names = "--check-ins",
      paramLabel = "N",
      defaultValue = "100000",
      description = "Check-ins of the synthetic city (default ${DEFAULT-VALUE}).")
  int checkIns;

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
          "POIs asked of each recommender per sample; 0 (default) = the whole catalogue (exact"
              + " MRR); otherwise MRR@K.")
  int listSize;

  /** For picocli. */
  public DemoCommand() {}

  /**
   * The recommender stages, in table order. Later stages (semantic IDs, the policy) are appended
   * here.
   */
  List<RecommenderStage> stages() {
    List<RecommenderStage> stages = new ArrayList<>();
    stages.add(new BaselineStage(0.0, PopularNearLastCheckIn.DEFAULT_SCALE_KM));
    return stages;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (listSize != 0 && listSize < 10) {
      return CliOptions.fail(
          spec, new IllegalArgumentException("--list-size must be 0 (whole catalogue) or >= 10"));
    }
    ProtocolConfig config =
        ProtocolConfig.builder().sampleMode(CliOptions.sampleMode(spec, sampleMode)).build();
    var evalSplit = CliOptions.split(spec, split);
    StageClock clock = new StageClock(out);
    try {
      SyntheticCity city =
          SyntheticCity.builder().seed(seed).users(users).pois(pois).checkIns(checkIns).build();
      out.println("Synthetic city: " + city);
      CheckInDataset raw = clock.time("generate synthetic city", city::generate);
      NextPoiPipeline pipeline = new NextPoiPipeline(out, clock);
      PreparedData prepared = pipeline.prepare(raw, config);
      pipeline.evaluate(prepared, stages(), evalSplit, listSize);
      pipeline.printTimings();
      return 0;
    } catch (IllegalArgumentException | IllegalStateException e) {
      return CliOptions.fail(spec, e);
    }
  }
}
