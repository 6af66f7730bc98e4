package org.refinepoi.examples.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.core.protocol.Split;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.synth.SyntheticCity;
import org.refinepoi.examples.progress.ConsoleProgress;
import org.refinepoi.pipeline.experiment.ExperimentConfig;
import org.refinepoi.pipeline.experiment.ExperimentReports;
import org.refinepoi.pipeline.experiment.ExperimentResult;
import org.refinepoi.pipeline.experiment.RecommendationExperiment;
import org.refinepoi.pipeline.recommender.NextPoiRecommender;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code refine-poi demo}: the README's main job, end to end on the embedded synthetic city.
 * Generates the city, prepares it with the standard protocol (statistics table), then runs the
 * {@link RecommendationExperiment} without its ablations: POI features, HSOM TREE IDs and their
 * quality beside HSOM RESIDUAL, RQ-KMeans and random IDs, the classic baselines, SFT of a small
 * Transformer on the HSOM IDs and GRPO on top, all evaluated on the test split (top-10 lists);
 * prints the quality table, the metrics table, the training table and the time of each stage.
 * Deterministic for a seed (apart from the timings).
 *
 * <p>Demo sizes (documented in {@link #config}): the level-1 lattice fits the city ({@link
 * #level1Side}), a width-32 two-layer model, at most 6 SFT epochs over the 4,000 most recent
 * training samples, 30 GRPO steps; {@code --quick} shrinks everything for tests.
 */
@Command(
    name = "demo",
    header = "The whole pipeline on the embedded synthetic city, with its metrics table.",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the pipeline end to end on the embedded synthetic city (deterministic from --seed):",
      "generate, prepare (filters, 24 h sessions, 80/10/10 split, samples), POI features,",
      "HSOM semantic IDs and their quality (vs HSOM RESIDUAL, RQ-KMeans, random), the classic",
      "baselines, SFT then GRPO of a small Transformer policy, metrics on the test split;",
      "prints the statistics, the ID quality, the metrics table and the time of each stage."
    })
public final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--seed",
      defaultValue = "7",
      paramLabel = "S",
      description = "Seed of the synthetic city and of the whole run (default ${DEFAULT-VALUE}).")
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
      names = "--quick",
      description =
          "Tiny model and training (1 SFT epoch on 200 samples, 2 GRPO steps): for tests; the"
              + " policy rows then mean nothing.")
  boolean quick;

  /** For picocli. */
  public DemoCommand() {}

  /**
   * The side of the square level-1 lattice for a catalogue: about 20 POIs per level-1 cell (so the
   * 4×4 child maps hold one or two POIs per leaf), {@code floor(sqrt(pois / 20))} clamped to [2,
   * 16]: 9×9 for the default city's 1,861 surviving POIs (of 3,000 generated), 16×16 from 5,120
   * POIs on.
   */
  static int level1Side(int poiCount) {
    return Math.clamp((int) Math.floor(Math.sqrt(poiCount / 20.0)), 2, 16);
  }

  /**
   * The demo's experiment settings: the lattices of {@link #level1Side} then 4×4 (2×2 under 4×4
   * level-1 cells), the recommended history policy with the experiment's defaults, SFT for 2 epochs
   * over the 20,000 most recent next check-ins of the training trajectories, list GRPO for 100
   * steps of 16 prompts × 32 rankings, validation on the 500 most recent validation samples, no
   * ablations: about 2 minutes on 2 cores. {@code --quick}: {@link ExperimentConfig#quick()} with
   * the same lattice rule.
   */
  ExperimentConfig config(int poiCount, ProtocolConfig protocol) throws java.io.IOException {
    return config(
        quick ? Sizing.QUICK : Sizing.DEMO, seed, poiCount, protocol, configFile, seedGiven());
  }

  /** Whether --seed was given on the command line (it then wins over a --config file's seed). */
  private boolean seedGiven() {
    return spec.commandLine().getParseResult().hasMatchedOption("--seed");
  }

  /** How much training a command's settings buy; every sizing uses {@link #level1Side}. */
  enum Sizing {
    /** {@link ExperimentConfig#quick()}: a smoke run whose numbers mean nothing. */
    QUICK,
    /** The demo's capped training (see {@link #config(int, ProtocolConfig)}). */
    DEMO,
    /**
     * The experiment's defaults, as {@code bench rec} and {@code NextPoiRecommender.trainer()} use
     * them: what {@code train} uses, so that a trained model is the one the benchmark measures.
     */
    FULL
  }

  /**
   * The settings of a sizing for a catalogue, then a {@code --config} file's, then the command
   * line's seed when it was given.
   */
  static ExperimentConfig config(
      Sizing sizing,
      long seed,
      int poiCount,
      ProtocolConfig protocol,
      ConfigFileOption file,
      boolean seedGiven)
      throws java.io.IOException {
    ExperimentConfig.Builder b = file.apply(builder(sizing, seed, poiCount, protocol));
    if (seedGiven || !file.given()) {
      b.seed(seed);
    }
    return b.protocol(protocol).build();
  }

  private static ExperimentConfig.Builder builder(
      Sizing sizing, long seed, int poiCount, ProtocolConfig protocol) {
    int side = level1Side(poiCount);
    LatticeSpec level2 = side >= 4 ? LatticeSpec.rectangular(4, 4) : LatticeSpec.rectangular(2, 2);
    ExperimentConfig.Builder b =
        switch (sizing) {
          case QUICK -> ExperimentConfig.quick();
          case DEMO ->
              ExperimentConfig.builder()
                  .policyTraining(2, 128, 2e-3)
                  .maxSftSamples(20_000)
                  .maxValidationSamples(500)
                  .listGrpo(100, 16, 32, 1e-4, 0.05);
          case FULL -> ExperimentConfig.builder();
        };
    return b.seed(seed)
        .protocol(protocol)
        .lattices(LatticeSpec.rectangular(side, side), level2)
        .ablations(false);
  }

  @Option(
      names = "--report",
      paramLabel = "DIR",
      description =
          "Also write pictures (U-matrix, dominant category, POI map, training curves, metrics"
              + " charts) and an index.html into DIR.")
  java.nio.file.Path report;

  @Option(
      names = "--save",
      paramLabel = "MODEL",
      description =
          "Also save the recommended model (SFT+GRPO on HSOM IDs) as one bundle file, for"
              + " `refine-poi recommend --model MODEL`.")
  java.nio.file.Path save;

  @picocli.CommandLine.Mixin ConfigFileOption configFile = new ConfigFileOption();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    configFile.check(spec);
    CliOptions.outputFile(spec, "--save", save);
    ProtocolConfig protocol =
        ProtocolConfig.builder().sampleMode(CliOptions.sampleMode(spec, sampleMode)).build();
    // Before the run, not after it: a --report that is a file or cannot be written fails now.
    CliOptions.outputFolder(spec, "--report", report);
    StageClock clock = new StageClock(out);
    try {
      SyntheticCity city =
          SyntheticCity.builder().seed(seed).users(users).pois(pois).checkIns(checkIns).build();
      out.println("Synthetic city: " + city);
      CheckInDataset raw = clock.time("generate synthetic city", city::generate);
      NextPoiPipeline pipeline = new NextPoiPipeline(out, clock);
      PreparedData prepared = pipeline.prepare(raw, protocol);
      ExperimentConfig config = config(prepared.dataset().poiCount(), protocol);
      RecommendationExperiment experiment = new RecommendationExperiment(config);
      if (save != null) {
        experiment.onTrainedModel(model -> saveModel(model, save));
      }
      // A bar at a terminal; elsewhere the experiment's own log lines report progress.
      if (ConsoleProgress.atTerminal()) {
        experiment.progress(ConsoleProgress.auto());
      }
      ExperimentResult result =
          clock.time(
              "features, IDs, baselines, SFT, GRPO, evaluation", () -> experiment.run(prepared));
      out.println();
      out.printf(
          "## Semantic-ID quality: %d POIs, lattices %dx%d + %dx%d%n%n",
          prepared.dataset().poiCount(),
          config.level1().rows(),
          config.level1().cols(),
          config.level2().rows(),
          config.level2().cols());
      out.println(ExperimentReports.sidQualityMarkdown(result.schemes()));
      out.printf(
          "## Metrics: test split, %d samples, top-%d lists (MRR@%d)%n%n",
          prepared.samples(Split.TEST).size(), ExperimentConfig.K, ExperimentConfig.K);
      out.println(ExperimentReports.metricsMarkdown(result));
      if (!result.comparisons().isEmpty()) {
        out.println("## Differences with paired bootstrap 95% intervals (test split)");
        out.println();
        out.println(ExperimentReports.comparisonsMarkdown(result));
      }
      out.println("## Training");
      out.println();
      out.println(ExperimentReports.trainingMarkdown(result));
      out.println("## Experiment stages");
      out.println();
      result
          .stageSeconds()
          .forEach((stage, s) -> out.printf(java.util.Locale.ROOT, "- %s: %.2f s%n", stage, s));
      out.println();
      if (report != null) {
        java.nio.file.Path index =
            clock.time(
                "report pictures",
                () -> {
                  try {
                    return org.refinepoi.examples.report.ExperimentPictures.builder(
                            experiment, result)
                        .title("Refine-POI demo: " + raw.name())
                        .commandLine(
                            "refine-poi "
                                + String.join(
                                    " ", spec.commandLine().getParseResult().originalArgs()))
                        .write(report);
                  } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(
                        "cannot write the report into " + report + ": " + e.getMessage(), e);
                  }
                });
        out.println("Report: " + index.toAbsolutePath());
        out.println();
      }
      if (save != null) {
        out.println("Model: " + save.toAbsolutePath());
        out.println();
      }
      pipeline.printTimings();
      return 0;
    } catch (IllegalArgumentException
        | IllegalStateException
        | java.io.IOException
        | java.io.UncheckedIOException e) {
      return CliOptions.fail(spec, e);
    }
  }

  /** Saves the experiment's recommended model while its policy is open. */
  static void saveModel(
      org.refinepoi.pipeline.experiment.TrainedModel model, java.nio.file.Path file) {
    try (NextPoiRecommender recommender = NextPoiRecommender.from(model)) {
      recommender.save(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(
          "cannot save the model to " + file + ": " + e.getMessage(), e);
    }
  }
}
