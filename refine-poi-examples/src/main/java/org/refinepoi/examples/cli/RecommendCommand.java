package org.refinepoi.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.eval.EvaluationResult;
import org.refinepoi.core.eval.MetricsTable;
import org.refinepoi.pipeline.recommender.NextPoiRecommender;
import org.refinepoi.pipeline.recommender.Recommendation;
import org.refinepoi.pipeline.recommender.Visit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code refine-poi recommend --model MODEL --data FILE --user U [--at TIME] [--k K]}: loads a
 * model saved by {@code train} (or {@code demo --save}) and ranks the next POIs of a user from the
 * user's check-ins in the file; {@code --samples FILE} does the same for many (user, time) lines
 * and writes CSV; {@code --evaluate} recomputes the model's test metrics on the file it was trained
 * on (they equal those {@code train} printed).
 */
@Command(
    name = "recommend",
    header = "Ranks a user's next POIs with a saved model.",
    mixinStandardHelpOptions = true,
    description = {
      "Ranks the next POIs of a user with a saved model (no retraining): the user's check-ins",
      "in the data up to --at are the history; each POI comes with its probability, whether it",
      "was copied from the history (with its visit count) or generated, and its lattice distance",
      "to the last POI. --samples FILE: one `user,time` line each (time optional), CSV out.",
      "--evaluate: the model's test metrics on its training data, beside the ones saved with it."
    })
public final class RecommendCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "MODEL",
      description = "A model file written by `refine-poi train` or `refine-poi demo --save`.")
  Path model;

  @Mixin CheckInSource source;

  static final class Mode {
    @Option(names = "--user", paramLabel = "U", description = "The user's id in the data.")
    String user;

    @Option(
        names = "--samples",
        paramLabel = "FILE",
        description =
            "Batch mode: a text file of `user,time` lines (time as for --at, optional; `#`"
                + " comments and a `user,...` header are skipped).")
    Path samples;

    @Option(
        names = "--evaluate",
        description = "Recompute the model's test metrics on the data (its training data).")
    boolean evaluate;
  }

  @ArgGroup(multiplicity = "1")
  Mode mode;

  @Option(
      names = "--at",
      paramLabel = "TIME",
      description =
          "When the next check-in happens: ISO-8601 with offset (2012-04-05T18:30:00-04:00) or"
              + " local (2012-04-05T18:30, the offset of the user's last check-in); default: the"
              + " time of the user's last check-in.")
  String at;

  @Option(
      names = "--k",
      defaultValue = "10",
      paramLabel = "K",
      description = "POIs per recommendation (default ${DEFAULT-VALUE}).")
  int k;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Batch mode: write the CSV here instead of the standard output.")
  Path out;

  /** For picocli. */
  public RecommendCommand() {}

  @Override
  public Integer call() {
    PrintWriter console = spec.commandLine().getOut();
    CliOptions.inputFile(spec, "--model", model);
    source.check(spec);
    CliOptions.inputFile(spec, "--samples", mode.samples);
    CliOptions.atLeast(spec, "--k", k, 1);
    if (at != null && mode.user == null) {
      throw new ParameterException(spec.commandLine(), "--at goes with --user");
    }
    if (out != null && mode.samples == null) {
      throw new ParameterException(spec.commandLine(), "--out goes with --samples");
    }
    CliOptions.outputFile(spec, "--out", out, model, source.file(), mode.samples);
    try (NextPoiRecommender recommender = NextPoiRecommender.load(model)) {
      console.println("Model: " + recommender);
      CheckInDataset raw = source.load(spec, console);
      if (mode.evaluate) {
        evaluate(console, recommender, raw);
      } else if (mode.user != null) {
        List<Visit> history = Visit.historyOf(raw, mode.user);
        OffsetDateTime when = time(at, history);
        List<Recommendation> top = recommender.recommend(mode.user, history, when, k);
        console.printf(
            Locale.ROOT,
            "%n## Next POIs of user %s at %s (%d check-ins in the data)%n%n",
            mode.user,
            when,
            history.size());
        printTable(console, recommender, top);
      } else {
        batch(console, recommender, raw);
      }
      return 0;
    } catch (IOException e) {
      return CliOptions.fail(spec, e);
    } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
      return CliOptions.fail(spec, e);
    }
  }

  private void evaluate(PrintWriter console, NextPoiRecommender recommender, CheckInDataset raw) {
    EvaluationResult evaluated = recommender.evaluate(raw);
    EvaluationResult now =
        new EvaluationResult(
            "NextPoiRecommender (loaded)",
            evaluated.overall(),
            evaluated.coldStart(),
            evaluated.listSize());
    console.println();
    TrainCommand.printMetrics(console, recommender.provenance());
    console.printf(Locale.ROOT, "## Test metrics of the loaded model%n%n");
    console.println(MetricsTable.of(List.of(now)).toMarkdown());
    boolean same =
        now.overall().equals(recommender.provenance().testMetrics())
            && now.coldStart().equals(recommender.provenance().testColdStartMetrics());
    console.println(
        same
            ? "The loaded model's test metrics equal those at training time."
            : "The loaded model's test metrics DIFFER from those at training time.");
  }

  private void batch(PrintWriter console, NextPoiRecommender recommender, CheckInDataset raw)
      throws IOException {
    List<String> lines = Files.readAllLines(mode.samples, StandardCharsets.UTF_8);
    StringBuilder csv =
        new StringBuilder("user,at,rank,poi,probability,origin,history_count,lattice_distance\n");
    int queries = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#") || (i == 0 && line.startsWith("user"))) {
        continue;
      }
      String[] fields = line.split(",", -1);
      if (fields.length > 2) {
        throw new IllegalArgumentException(
            mode.samples + ":" + (i + 1) + ": expected `user` or `user,time`, got '" + line + "'");
      }
      String user = fields[0].strip();
      String time = fields.length == 2 && !fields[1].isBlank() ? fields[1].strip() : null;
      List<Recommendation> top;
      OffsetDateTime when;
      try {
        List<Visit> history = Visit.historyOf(raw, user);
        when = time(time, history);
        top = recommender.recommend(user, history, when, k);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(mode.samples + ":" + (i + 1) + ": " + e.getMessage(), e);
      }
      for (Recommendation r : top) {
        csv.append(
            String.format(
                Locale.ROOT,
                "%s,%s,%d,%s,%.6g,%s,%d,%.4f%n",
                user,
                when,
                r.rank(),
                r.poiId(),
                r.probability(),
                r.origin().name().toLowerCase(Locale.ROOT),
                r.historyCount(),
                r.latticeDistance()));
      }
      queries++;
    }
    if (out != null) {
      org.refinepoi.core.io.AtomicFiles.write(out, csv.toString().getBytes(StandardCharsets.UTF_8));
      console.printf(Locale.ROOT, "%d recommendations of %d POIs written to %s%n", queries, k, out);
    } else {
      console.print(csv);
      console.flush();
    }
  }

  /** {@code --at} (or a samples line's time) against a user's history. */
  private OffsetDateTime time(String text, List<Visit> history) {
    OffsetDateTime last = history.getLast().time();
    if (text == null) {
      return last;
    }
    try {
      return OffsetDateTime.parse(text);
    } catch (DateTimeParseException withOffset) {
      try {
        return LocalDateTime.parse(text).atOffset(last.getOffset());
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "time '"
                + text
                + "': expected ISO-8601 such as 2012-04-05T18:30:00-04:00 or 2012-04-05T18:30");
      }
    }
  }

  private static void printTable(
      PrintWriter out, NextPoiRecommender recommender, List<Recommendation> top) {
    out.println(
        "| rank | POI | category | semantic ID | probability | evidence | lattice distance to last"
            + " |");
    out.println("|---:|---|---|---|---:|---|---:|");
    for (Recommendation r : top) {
      Poi poi = recommender.catalogue().get(recommender.index().poiIndex(r.poiId()));
      out.printf(
          Locale.ROOT,
          "| %d | %s | %s | %s | %.4f | %s | %.3f |%n",
          r.rank(),
          r.poiId(),
          poi.categoryName(),
          r.semanticId(),
          r.probability(),
          r.origin() == Recommendation.Origin.COPIED
              ? "in history (" + r.historyCount() + (r.historyCount() == 1 ? " visit)" : " visits)")
              : "generated",
          r.latticeDistance());
    }
    out.println();
  }
}
