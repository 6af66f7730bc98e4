package org.refinepoi.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.protocol.NextPoiProtocol;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.pipeline.experiment.ExperimentConfig;
import org.refinepoi.pipeline.experiment.ExperimentReports;
import org.refinepoi.pipeline.experiment.RecommendationExperiment;
import org.refinepoi.pipeline.ids.SchemeIds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code refine-poi ids --data FILE --out DIR}: POI features (fitted on the training split of the
 * standard protocol) then the four ID schemes (HSOM TREE, HSOM RESIDUAL, RQ-KMeans, random, same
 * code budget), their quality written to {@code DIR/sid-quality.json} and printed as a table.
 */
@Command(
    name = "ids",
    header = "Builds POI features and semantic IDs, with their quality table.",
    mixinStandardHelpOptions = true,
    description = {
      "Builds POI features from a check-in file (training split of the standard protocol), then"
          + " HSOM TREE, HSOM RESIDUAL, RQ-KMeans and random semantic IDs with the same code"
          + " budget,",
      "measures each (QE and TE per level, trustworthiness@10, continuity@10, Spearman, collision"
          + " rate, level-1 perplexity), writes DIR/sid-quality.json and prints the table."
    })
public final class IdsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin CheckInFileOptions input;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Folder for sid-quality.json (created).")
  Path out;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "S",
      description = "Seed of features, SOMs, k-means and random IDs (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--level1",
      defaultValue = "16x16",
      paramLabel = "RxC",
      description = "Level-1 lattice (default ${DEFAULT-VALUE}).")
  String level1;

  @Option(
      names = "--level2",
      defaultValue = "4x4",
      paramLabel = "RxC",
      description = "Level-2 lattice (default ${DEFAULT-VALUE}).")
  String level2;

  /** For picocli. */
  public IdsCommand() {}

  @Override
  public Integer call() {
    PrintWriter console = spec.commandLine().getOut();
    List<LatticeSpec> lattices =
        CheckInFiles.lattices(spec, "--level1", level1, "--level2", level2);
    input.check(spec);
    CliOptions.outputFolder(spec, "--out", out);
    ExperimentConfig config =
        ExperimentConfig.builder().seed(seed).lattices(lattices.get(0), lattices.get(1)).build();
    StageClock clock = new StageClock(console);
    try {
      CheckInDataset raw =
          clock.time(
              "load " + input.file.getFileName(),
              () -> {
                try {
                  return input.load(spec, console);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      PreparedData prepared =
          clock.time("prepare", () -> NextPoiProtocol.prepare(raw, ProtocolConfig.defaults()));
      List<SchemeIds> schemes =
          clock.time(
              "features + four ID schemes + quality",
              () -> new RecommendationExperiment(config).idSchemes(prepared));
      ExperimentReports.writeJson(
          out.resolve("sid-quality.json"),
          ExperimentReports.sidQualityJson(raw.name(), seed, schemes));
      console.println();
      console.printf(
          "## Semantic-ID quality: %s, %d POIs%n%n", raw.name(), prepared.dataset().poiCount());
      console.println(ExperimentReports.sidQualityMarkdown(schemes));
      console.println("Wrote " + out.resolve("sid-quality.json"));
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
