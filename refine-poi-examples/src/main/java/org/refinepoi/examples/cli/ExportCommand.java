package org.refinepoi.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.LoadResult;
import org.refinepoi.core.features.PoiFeatureBuilder;
import org.refinepoi.core.features.PoiFeatures;
import org.refinepoi.core.protocol.NextPoiProtocol;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.core.protocol.Split;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.core.synth.SyntheticCity;
import org.refinepoi.pipeline.ids.IdScheme;
import org.refinepoi.pipeline.interop.SftAnswer;
import org.refinepoi.pipeline.interop.TrainingDataExporter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code refine-poi export}: prepares a check-in file (or the synthetic city), gives every POI a
 * semantic ID, and writes one split's samples as JSONL for Hugging Face TRL's GRPO trainer and for
 * verl, with the ID vocabulary and the ID index (see {@link TrainingDataExporter}).
 */
@Command(
    name = "export",
    header = "Writes a split as TRL/verl training files with the ID vocabulary.",
    mixinStandardHelpOptions = true,
    description = {
      "Writes one split's samples, text prompts and the semantic-ID vocabulary for Python RL"
          + " trainers:",
      "  trl-<split>.jsonl   Hugging Face TRL GRPOTrainer (prompt + ground_truth, ground_truth_id,"
          + " sample_id, user, cold_start columns)",
      "  verl-<split>.jsonl  verl RL records (data_source, prompt, ability, reward_model,"
          + " extra_info); to parquet:",
      "                      pandas.read_json(path, lines=True).to_parquet(path_parquet)",
      "  sft-<split>.jsonl   TRL SFTTrainer prompt-completion (train and validation splits only)",
      "  added_tokens.txt    the ID tokens and answer tags to add to the tokenizer, one a line",
      "  vocab.json          ID tokens to add to the tokenizer, lattices, POI <-> semantic ID map",
      "  index.sid           the semantic-ID index (input of 'refine-poi score')",
      "  manifest.json       format version, settings, SHA-256 of every file"
    })
public final class ExportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  static final class Source {
    @Option(
        names = "--data",
        paramLabel = "FILE",
        description = "A check-in file (TSMC2014 .tsv/.txt or preprocessed GETNext/LLM4POI .csv).")
    Path data;

    @Option(
        names = "--synthetic",
        description = "Use the embedded synthetic city instead of a file.")
    boolean synthetic;
  }

  @ArgGroup(multiplicity = "1")
  Source source;

  @Mixin LoadingOptions loading;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "The output directory (created when missing; files in it are replaced).")
  Path out;

  @Option(
      names = "--k",
      defaultValue = "10",
      paramLabel = "K",
      description = "The list length the prompts ask for (default ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--split",
      defaultValue = "train",
      paramLabel = "train|validation|test",
      description = "The split to export (default ${DEFAULT-VALUE}).")
  String split;

  @Option(
      names = "--ids",
      defaultValue = "hsom",
      paramLabel = "hsom|rqkmeans|random",
      description =
          "How POIs get their semantic IDs (default ${DEFAULT-VALUE}; the others are the"
              + " topology-blind baselines).")
  String ids;

  @Option(
      names = "--levels",
      defaultValue = "16x16,4x4",
      paramLabel = "RxC,...",
      description =
          "The rectangular lattices of the ID space, coarsest first (default ${DEFAULT-VALUE}).")
  String levels;

  @Option(
      names = "--prompt",
      defaultValue = "chat",
      paramLabel = "chat|text",
      description =
          "TRL prompt shape: chat = [{\"role\":\"user\",\"content\":...}] (default), text = a"
              + " string.")
  String prompt;

  @Option(
      names = "--sft-answer",
      defaultValue = "list",
      paramLabel = "list|target",
      description =
          "SFT completions: list = k IDs, the target, then the prompt's POIs, then the target's"
              + " ID neighbours (default); target = the target alone.")
  String sftAnswer;

  @Option(
      names = "--long-term",
      defaultValue = "20",
      paramLabel = "N",
      description = "Earlier check-ins shown in each prompt (default ${DEFAULT-VALUE}; 0 = none).")
  int longTerm;

  @Option(
      names = "--seed",
      defaultValue = "42",
      paramLabel = "S",
      description = "Seed of the features and the ID scheme (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--city-seed",
      defaultValue = "7",
      paramLabel = "S",
      description = "Seed of the synthetic city (default ${DEFAULT-VALUE}).")
  long citySeed;

  @Option(
      names = "--users",
      defaultValue = "1000",
      paramLabel = "N",
      description = "Users of the synthetic city (default ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--pois",
      defaultValue = "3000",
      paramLabel = "N",
      description = "POIs of the synthetic city (default ${DEFAULT-VALUE}).")
  int pois;

  @Option(
      names = "--check-ins",
      defaultValue = "100000",
      paramLabel = "N",
      description = "Check-ins of the synthetic city (default ${DEFAULT-VALUE}).")
  int checkIns;

  /** For picocli. */
  public ExportCommand() {}

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    Split exportSplit = parseSplit(split);
    IdScheme scheme;
    TrainingDataExporter.PromptStyle style;
    SftAnswer answer;
    List<LatticeSpec> lattices;
    try {
      scheme = IdScheme.parse(ids);
      style = promptStyle(prompt);
      answer = sftAnswer(sftAnswer);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    lattices = parseLevels(levels);
    CliOptions.atLeast(spec, "--k", k, 1);
    CliOptions.atLeast(spec, "--long-term", longTerm, 0);
    CliOptions.inputFile(spec, "--data", source.data);
    // Before the heavy steps: an --out that is a file, or cannot be created or written, fails now.
    CliOptions.outputFolder(spec, "--out", out);
    StageClock clock = new StageClock(stdout);
    try {
      TrainingDataExporter exporter =
          TrainingDataExporter.builder()
              .k(k)
              .longTermCheckIns(longTerm)
              .promptStyle(style)
              .sftAnswer(answer)
              .idScheme(scheme.cliName())
              .build();
      CheckInDataset raw = clock.time("load", this::loadRaw);
      PreparedData data =
          clock.time(
              "prepare (filter, sessions, split, samples)",
              () -> NextPoiProtocol.prepare(raw, ProtocolConfig.builder().build()));
      PoiFeatures features =
          clock.time(
              "POI features",
              () ->
                  PoiFeatureBuilder.create()
                      .seed(seed)
                      .fit(data.dataset(), data.checkIns(Split.TRAIN)));
      SemanticIdIndex index =
          clock.time(
              "semantic IDs (" + scheme.cliName() + ")",
              () -> scheme.fit(data.dataset(), features.matrix(), lattices, seed));
      TrainingDataExporter.Summary summary =
          clock.time(
              "write export",
              () -> {
                try {
                  return exporter.export(data, index, exportSplit, out);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      stdout.printf(
          "Exported %d %s samples of %s (%d POIs, IDs: %s, collision rate %.3f) to %s:%n",
          summary.samples(),
          TrainingDataExporter.splitName(exportSplit),
          data.dataset().name(),
          index.size(),
          scheme.cliName(),
          index.collisionStats().collisionRate(),
          out);
      for (Path f : summary.files()) {
        stdout.println("  " + f.getFileName());
      }
      stdout.println();
      stdout.println(clock.toTable());
      stdout.flush();
      return 0;
    } catch (UncheckedIOException e) {
      return CliOptions.fail(spec, e.getCause());
    } catch (IllegalArgumentException | IllegalStateException e) {
      return CliOptions.fail(spec, e);
    }
  }

  private CheckInDataset loadRaw() {
    if (source.synthetic) {
      return SyntheticCity.builder()
          .seed(citySeed)
          .users(users)
          .pois(pois)
          .checkIns(checkIns)
          .build()
          .generate();
    }
    try {
      LoadResult loaded = loading.read(source.data);
      spec.commandLine().getOut().println(loaded.report().summary());
      return loaded.dataset();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Split parseSplit(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "train" -> Split.TRAIN;
      case "validation", "val" -> Split.VALIDATION;
      case "test" -> Split.TEST;
      default ->
          throw new ParameterException(
              spec.commandLine(),
              "--split must be 'train', 'validation' or 'test', got '" + value + "'");
    };
  }

  private static TrainingDataExporter.PromptStyle promptStyle(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "chat" -> TrainingDataExporter.PromptStyle.CHAT;
      case "text" -> TrainingDataExporter.PromptStyle.TEXT;
      default ->
          throw new IllegalArgumentException(
              "--prompt must be 'chat' or 'text', got '" + value + "'");
    };
  }

  private static SftAnswer sftAnswer(String value) {
    try {
      return SftAnswer.parse(value.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--sft-answer must be 'list' or 'target', got '" + value + "'", e);
    }
  }

  /**
   * Parses {@code 16x16,4x4} into rectangular lattices, each of at least 2 cells (the rule of
   * {@code ids} and {@code bench rec}), that an index can hold together.
   */
  private List<LatticeSpec> parseLevels(String value) {
    List<LatticeSpec> lattices = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      try {
        lattices.add(CheckInFiles.parseLattice(part));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(
            spec.commandLine(),
            "--levels must be lattices like 16x16,4x4, each of at least 2 cells, got '"
                + value
                + "'"
                + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
      }
    }
    return CheckInFiles.checkSpace(spec, lattices);
  }
}
