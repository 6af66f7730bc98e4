package org.refinepoi.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.examples.progress.ConsoleProgress;
import org.refinepoi.pipeline.experiment.ExperimentConfig;
import org.refinepoi.pipeline.experiment.ExperimentReports;
import org.refinepoi.pipeline.experiment.ExperimentResult;
import org.refinepoi.pipeline.experiment.RecommendationExperiment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code refine-poi bench rec --data FILE --out DIR}: the recommendation benchmark of
 * docs/benchmarks.md. Runs the whole {@link RecommendationExperiment} (protocol, features, the four
 * ID schemes and their quality, baselines, SFT and GRPO policies, ablations) and writes {@code
 * DIR/metrics.json}, {@code DIR/sid-quality.json} and {@code DIR/results.md}, printing the tables.
 * Progress goes to the log (standard error).
 */
@Command(
    name = "rec",
    header = "The full recommendation experiment: IDs, baselines, SFT, GRPO, ablations.",
    mixinStandardHelpOptions = true,
    description = {
      "Recommendation benchmark: protocol, features, HSOM TREE/RESIDUAL, RQ-KMeans and random IDs"
          + " with their quality, the classic baselines (the tuned repeat-aware blend included),"
          + " the recommended history policy after SFT and after list GRPO, the ablations, and"
          + " paired bootstrap intervals of the final model against SFT and the best baseline.",
      "Writes DIR/metrics.json, DIR/sid-quality.json and DIR/results.md and prints the tables."
    })
public final class BenchRecCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin CheckInFileOptions input;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Folder for metrics.json, sid-quality.json and results.md (created).")
  Path out;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "S",
      description = "Master seed of the run (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--sample-mode",
      defaultValue = "last",
      paramLabel = "last|all",
      description =
          "last (default): predict the last check-in of each trajectory; all: every prefix.")
  String sampleMode;

  @Option(
      names = "--level1",
      defaultValue = "16x16",
      paramLabel = "RxC",
      description = "Level-1 lattice of every ID scheme (default ${DEFAULT-VALUE}).")
  String level1;

  @Option(
      names = "--level2",
      defaultValue = "4x4",
      paramLabel = "RxC",
      description = "Level-2 lattice of every ID scheme (default ${DEFAULT-VALUE}).")
  String level2;

  @Option(
      names = "--rl-steps",
      paramLabel = "N",
      description = "List-GRPO steps per policy (default: the experiment's, 300; --quick: 2).")
  Integer rlSteps;

  @Option(
      names = "--sft-epochs",
      paramLabel = "N",
      description = "SFT epochs of the history policy (validation picks the best; default 2).")
  Integer sftEpochs;

  @Option(
      names = "--model",
      paramLabel = "WIDTHxLAYERS",
      description =
          "History-policy width and layers, for example 64x2 (default: the experiment's, 64x2;"
              + " heads = width / 16, at least 1; MLP = 2 x width).")
  String model;

  @Option(
      names = "--max-sft-samples",
      paramLabel = "N",
      description =
          "Train on the N most recent training samples only (default: the experiment's, 0 = all).")
  Integer maxSftSamples;

  @Option(
      names = "--ablations",
      paramLabel = "LIST",
      description =
          "Ablations to run: all (default), none, or a comma-separated list of copy-off,"
              + " summary-off, rq-kmeans-ids, random-ids, token-grpo.")
  String ablations;

  @Option(names = "--no-ablations", description = "Skip every ablation (same as --ablations none).")
  boolean noAblations;

  @Option(
      names = "--quick",
      description =
          "Tiny sizes (small lattices, a width-16 model, 1 SFT epoch on 200 samples, 2 GRPO"
              + " steps): checks that everything runs in seconds; the numbers mean nothing.")
  boolean quick;

  @picocli.CommandLine.Mixin ConfigFileOption configFile = new ConfigFileOption();

  /** For picocli. */
  public BenchRecCommand() {}

  private int[] modelSize(String value) {
    String[] parts = value.toLowerCase(java.util.Locale.ROOT).split("x", -1);
    try {
      if (parts.length == 2) {
        int width = Integer.parseInt(parts[0].trim());
        int layers = Integer.parseInt(parts[1].trim());
        if (width >= 1 && layers >= 1) {
          return new int[] {width, layers};
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "--model must be WIDTHxLAYERS, for example 64x2, got '" + value + "'");
  }

  @Option(
      names = "--report",
      paramLabel = "DIR",
      description =
          "Also write pictures (U-matrix, dominant category, POI map, training curves, metrics"
              + " charts) and an index.html into DIR.")
  java.nio.file.Path report;

  private java.util.Set<ExperimentConfig.Ablation> ablationSet(String value) {
    String v = value.trim().toLowerCase(java.util.Locale.ROOT);
    if (v.equals("all")) {
      return java.util.EnumSet.allOf(ExperimentConfig.Ablation.class);
    }
    java.util.Set<ExperimentConfig.Ablation> out =
        java.util.EnumSet.noneOf(ExperimentConfig.Ablation.class);
    if (v.equals("none")) {
      return out;
    }
    for (String key : v.split(",", -1)) {
      try {
        out.add(ExperimentConfig.Ablation.ofKey(key.trim()));
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--ablations: " + e.getMessage());
      }
    }
    return out;
  }

  @Override
  public Integer call() {
    PrintWriter console = spec.commandLine().getOut();
    input.check(spec);
    CliOptions.outputFolder(spec, "--out", out);
    CliOptions.outputFolder(spec, "--report", report);
    configFile.check(spec);
    ExperimentConfig.Builder builder =
        quick ? ExperimentConfig.quick() : ExperimentConfig.builder();
    picocli.CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    builder.protocol(
        ProtocolConfig.builder().sampleMode(CliOptions.sampleMode(spec, sampleMode)).build());
    List<LatticeSpec> lattices =
        CheckInFiles.lattices(spec, "--level1", level1, "--level2", level2);
    try {
      configFile.apply(builder);
      // A flag given on the command line wins over the file; a default value does not.
      if (!configFile.given() || parsed.hasMatchedOption("--seed")) {
        builder.seed(seed);
      }
      if ((!quick && !configFile.given())
          || parsed.hasMatchedOption("--level1")
          || parsed.hasMatchedOption("--level2")) {
        builder.lattices(lattices.get(0), lattices.get(1));
      }
      ExperimentConfig defaults = builder.build();
      if (rlSteps != null) {
        builder.listGrpo(
            rlSteps,
            defaults.rlPromptsPerBatch(),
            defaults.rlGroupSize(),
            defaults.rlLearningRate(),
            defaults.rlBeta());
      }
      if (sftEpochs != null) {
        builder.policyTraining(
            sftEpochs, defaults.policyBatchSize(), defaults.policyLearningRate());
      }
      if (model != null) {
        int[] size = modelSize(model);
        builder.policy(
            defaults.policy().toBuilder()
                .model(size[0], size[1], Math.max(1, size[0] / 16), 2 * size[0])
                .build());
      }
      if (ablations != null) {
        builder.ablations(ablationSet(ablations));
      }
      if (maxSftSamples != null) {
        builder.maxSftSamples(maxSftSamples);
      }
      if (noAblations) {
        builder.ablations(false);
      }
      ExperimentConfig config = builder.build();
      CheckInDataset raw = input.load(spec, console);
      RecommendationExperiment experiment = new RecommendationExperiment(config);
      // A bar at a terminal; elsewhere the experiment's own log lines report progress.
      if (ConsoleProgress.atTerminal()) {
        experiment.progress(ConsoleProgress.auto());
      }
      ExperimentResult result = experiment.run(raw);
      ExperimentReports.writeAll(out, result);
      if (report != null) {
        java.nio.file.Path index =
            org.refinepoi.examples.report.ExperimentPictures.builder(experiment, result)
                .commandLine(
                    "refine-poi "
                        + String.join(" ", spec.commandLine().getParseResult().originalArgs()))
                .write(report);
        console.println("Report: " + index.toAbsolutePath());
      }
      console.println();
      console.println(ExperimentReports.resultsMarkdown(result));
      console.println(
          "Wrote "
              + out.resolve("metrics.json")
              + ", "
              + out.resolve("sid-quality.json")
              + " and "
              + out.resolve("results.md"));
      console.flush();
      return 0;
    } catch (IOException e) {
      return CliOptions.fail(spec, e);
    } catch (UncheckedIOException e) {
      return CliOptions.fail(spec, e.getCause());
    } catch (IllegalArgumentException | IllegalStateException e) {
      return CliOptions.fail(spec, e);
    }
  }
}
