package org.refinepoi.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.refinepoi.core.eval.EvaluationResult;
import org.refinepoi.core.eval.MetricsTable;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.examples.progress.ConsoleProgress;
import org.refinepoi.pipeline.experiment.ExperimentConfig;
import org.refinepoi.pipeline.recommender.NextPoiRecommender;
import org.refinepoi.pipeline.recommender.Provenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code refine-poi train --data FILE --out MODEL}: trains the recommended model (the experiment's
 * defaults, as {@code bench rec} and {@code NextPoiRecommender.trainer()} use them, with the demo's
 * lattice sized to the catalogue; see {@link DemoCommand.Sizing#FULL}) and saves it as one bundle;
 * prints its test metrics, which {@code recommend --evaluate} reproduces from the saved file.
 */
@Command(
    name = "train",
    header = "Trains the recommended model and saves it as one bundle file.",
    mixinStandardHelpOptions = true,
    description = {
      "Trains the recommended next-POI model on a check-in file (or the synthetic city): the",
      "protocol, POI features, HSOM semantic IDs, the history policy's SFT then list GRPO (kept",
      "only when it beats SFT on held-out validation samples); prints its test metrics and saves",
      "it as one versioned, checksummed file for `refine-poi recommend`."
    })
public final class TrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin CheckInSource source;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "MODEL",
      description = "The model file to write (replaced atomically).")
  Path out;

  @Option(
      names = "--seed",
      defaultValue = "7",
      paramLabel = "S",
      description = "Seed of the training (default ${DEFAULT-VALUE}).")
  long seed;

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
              + " model then means nothing.")
  boolean quick;

  /** For picocli. */
  public TrainCommand() {}

  @picocli.CommandLine.Mixin ConfigFileOption configFile = new ConfigFileOption();

  @Override
  public Integer call() {
    PrintWriter console = spec.commandLine().getOut();
    source.check(spec);
    configFile.check(spec);
    CliOptions.outputFile(spec, "--out", out, source.file());
    ProtocolConfig protocol =
        ProtocolConfig.builder().sampleMode(CliOptions.sampleMode(spec, sampleMode)).build();
    StageClock clock = new StageClock(console);
    try {
      var raw = clock.time("load", () -> load(console));
      PreparedData data = new NextPoiPipeline(console, clock).prepare(raw, protocol);
      ExperimentConfig config =
          DemoCommand.config(
              quick ? DemoCommand.Sizing.QUICK : DemoCommand.Sizing.FULL,
              seed,
              data.dataset().poiCount(),
              protocol,
              configFile,
              spec.commandLine().getParseResult().hasMatchedOption("--seed"));
      NextPoiRecommender.Trainer trainer = NextPoiRecommender.trainer().config(config);
      if (ConsoleProgress.atTerminal()) {
        trainer.progress(ConsoleProgress.auto());
      }
      try (NextPoiRecommender model = clock.time("train", () -> trainer.train(data))) {
        clock.time(
            "save",
            () -> {
              try {
                model.save(out);
                return out;
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
        console.println();
        printMetrics(console, model.provenance());
        console.println("Model: " + out.toAbsolutePath());
      }
      return 0;
    } catch (IllegalArgumentException
        | IllegalStateException
        | IOException
        | UncheckedIOException e) {
      return CliOptions.fail(spec, e);
    }
  }

  private org.refinepoi.core.data.CheckInDataset load(PrintWriter console) {
    try {
      return source.load(spec, console);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The training-time test metrics of a model, as a markdown table. */
  static void printMetrics(PrintWriter out, Provenance p) {
    out.printf(
        Locale.ROOT,
        "## Test metrics at training time (%s, seed %d, top-%d lists)%n%n",
        p.dataset(),
        p.seed(),
        NextPoiRecommender.LIST_SIZE);
    EvaluationResult e =
        new EvaluationResult(
            "NextPoiRecommender",
            p.testMetrics(),
            p.testColdStartMetrics(),
            NextPoiRecommender.LIST_SIZE);
    out.println(MetricsTable.of(List.of(e)).toMarkdown());
  }
}
