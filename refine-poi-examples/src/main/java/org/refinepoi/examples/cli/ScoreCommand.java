package org.refinepoi.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.refinepoi.core.eval.MetricsReport;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.examples.interop.CompletionScorer;
import org.refinepoi.examples.interop.ExportManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code refine-poi score}: scores an external model's completions (JSONL) with the SDK's ranking
 * rewards and metrics (see {@link CompletionScorer}).
 */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Scores a model's text answers with the SDK's rewards and ranking metrics.",
      "Each line of --completions: {\"sample_id\":...,"
          + " \"completion\":\"<think>..</think><answer>ID, ID, ...</answer>\","
          + " \"ground_truth_id\":\"<POI id>\"} (or \"ground_truth\": the target's semantic ID).",
      "Prints the mean of each reward term (format, reciprocal rank, soft accuracy, diversity,"
          + " length, NDCG) and of the composite, and Acc@1/5/10, NDCG@5/10, MRR of the parsed"
          + " lists."
    })
public final class ScoreCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--index",
      required = true,
      paramLabel = "FILE",
      description = "The semantic-ID index the prompts used (index.sid of 'refine-poi export').")
  Path index;

  @Option(
      names = "--completions",
      required = true,
      paramLabel = "FILE",
      description = "The completions, one JSON object per line.")
  Path completions;

  @Option(
      names = "--k",
      defaultValue = "10",
      paramLabel = "K",
      description = "The list length the prompts asked for (default ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--samples",
      paramLabel = "FILE",
      description =
          "The export's trl-<split>.jsonl or verl-<split>.jsonl: completion lines without a truth"
              + " take it from here by their sample_id.")
  Path samples;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Also write each line's scores here, as JSONL.")
  Path out;

  /** For picocli. */
  public ScoreCommand() {}

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    if (k < 1) {
      throw new ParameterException(spec.commandLine(), "--k must be >= 1, got " + k);
    }
    CliOptions.inputFile(spec, "--index", index);
    CliOptions.inputFile(spec, "--completions", completions);
    CliOptions.inputFile(spec, "--samples", samples);
    CliOptions.outputFile(spec, "--out", out, index, completions, samples);
    try {
      // An index or samples file of an export must still match the export's manifest: a partial
      // or mixed export would score exact answers as wrong.
      ExportManifest.verifyAgainstTheirExport(index, samples);
      CompletionScorer scorer = new CompletionScorer(SemanticIdIndex.load(index), k);
      if (samples != null) {
        scorer = scorer.withSamples(samples);
      }
      CompletionScorer.Report report =
          out == null ? scorer.score(completions) : scorer.score(completions, out);
      stdout.printf(
          "Scored %d completions of %s (k = %d): %d well-formed, %d with at least one valid ID.%n%n",
          report.completions(),
          completions.getFileName(),
          k,
          report.wellFormed(),
          report.parsable());
      stdout.println("| reward term | mean |");
      stdout.println("|---|---:|");
      for (Map.Entry<String, Double> e : report.meanRewards().entrySet()) {
        stdout.printf("| %s | %.4f |%n", e.getKey(), e.getValue());
      }
      MetricsReport m = report.ranking();
      stdout.println();
      stdout.println("| Acc@1 | Acc@5 | Acc@10 | NDCG@5 | NDCG@10 | MRR |");
      stdout.println("|---:|---:|---:|---:|---:|---:|");
      stdout.printf(
          "| %.4f | %.4f | %.4f | %.4f | %.4f | %.4f |%n",
          m.acc1(), m.acc5(), m.acc10(), m.ndcg5(), m.ndcg10(), m.mrr());
      if (out != null) {
        stdout.println();
        stdout.println("Per-line scores: " + out);
      }
      stdout.flush();
      return 0;
    } catch (IOException | IllegalArgumentException | IllegalStateException e) {
      return CliOptions.fail(spec, e);
    }
  }
}
