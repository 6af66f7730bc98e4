package org.refinepoi.pipeline.experiment;

import static com.google.common.base.Preconditions.checkNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import org.refinepoi.core.eval.MetricsReport;
import org.refinepoi.core.eval.MetricsTable;
import org.refinepoi.core.io.AtomicFiles;
import org.refinepoi.pipeline.ids.SchemeIds;
import org.refinepoi.som.quality.SidQualityReport;

/**
 * Renders experiment results: {@code metrics.json}, {@code sid-quality.json} (the
 * docs/benchmarks.md contract) and Markdown tables. JSON files carry {@code "format":
 * "refine-poi/<kind>"} and a {@code "version"}; NaN values (a metric of an empty cold-start subset,
 * an undefined Spearman) are written as {@code null}. Files are written atomically (a temporary
 * file in the same directory, then an atomic move).
 */
public final class ExperimentReports {

  /** Format tag of {@code metrics.json}. */
  public static final String METRICS_FORMAT = "refine-poi/metrics";

  /** Format tag of {@code sid-quality.json}. */
  public static final String SID_QUALITY_FORMAT = "refine-poi/sid-quality";

  /** Version of both JSON layouts. */
  public static final int VERSION = 1;

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ExperimentReports() {}

  /** The {@code metrics.json} document of a run. */
  public static ObjectNode metricsJson(ExperimentResult result) {
    checkNotNull(result, "result");
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", METRICS_FORMAT);
    root.put("version", VERSION);
    root.put("dataset", result.stats().name());
    root.put("seed", result.config().seed());
    root.put("k", ExperimentConfig.K);
    root.put("total_seconds", result.totalSeconds());
    root.set("config", MAPPER.valueToTree(result.config().describe()));
    ObjectNode samples = root.putObject("samples");
    result
        .stats()
        .samplesPerSplit()
        .forEach((s, n) -> samples.put(s.name().toLowerCase(Locale.ROOT), n));
    root.put("pois", result.stats().pois());
    root.put("users", result.stats().users());
    root.put("cold_start_users", result.stats().coldStartUsers());
    root.put("feature_dimension", result.featureDimension());
    ArrayNode methods = root.putArray("methods");
    for (MethodResult m : result.methods()) {
      ObjectNode node = methods.addObject();
      node.put("method", m.method());
      node.put("kind", m.kind());
      node.put("role", m.role());
      if (m.scheme().isPresent()) {
        node.put("id_scheme", m.scheme().get().key());
      } else {
        node.putNull("id_scheme");
      }
      node.put("seed", m.seed());
      node.put("list_size", m.evaluation().listSize());
      node.set("overall", metrics(m.evaluation().overall()));
      node.set("cold_start", metrics(m.evaluation().coldStart()));
      node.put("train_seconds", m.trainSeconds());
      node.put("eval_seconds", m.evalSeconds());
      ObjectNode details = node.putObject("details");
      m.details().forEach((k, v) -> details.set(k, MAPPER.valueToTree(finite(v))));
    }
    ObjectNode comparisons = root.putObject("comparisons");
    result
        .comparisons()
        .forEach(
            (name, c) -> {
              ObjectNode node = comparisons.putObject(name);
              node.put("method", c.method());
              node.put("against", c.against());
              c.intervals()
                  .forEach(
                      (metric, interval) -> {
                        ObjectNode i = node.putObject(metric);
                        i.put("delta", interval.delta());
                        i.put("lo", interval.lo());
                        i.put("hi", interval.hi());
                      });
            });
    ObjectNode stages = root.putObject("stage_seconds");
    result.stageSeconds().forEach(stages::put);
    return root;
  }

  /** The {@code sid-quality.json} document of some schemes. */
  public static ObjectNode sidQualityJson(String dataset, long seed, List<SchemeIds> schemes) {
    checkNotNull(dataset, "dataset");
    checkNotNull(schemes, "schemes");
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", SID_QUALITY_FORMAT);
    root.put("version", VERSION);
    root.put("dataset", dataset);
    root.put("seed", seed);
    ObjectNode all = root.putObject("schemes");
    for (SchemeIds s : schemes) {
      SidQualityReport q = s.quality();
      ObjectNode node = all.putObject(s.scheme().key());
      node.put("label", s.scheme().label());
      node.put("lattices", latticeText(s));
      node.put("id_distance", q.distance());
      node.put("pois", q.poiCount());
      ArrayNode qe = node.putArray("qe_per_level");
      q.quantizationError().forEach(v -> qe.add(MAPPER.valueToTree(finite(v))));
      ArrayNode te = node.putArray("te_per_level");
      q.topographicError().forEach(v -> te.add(MAPPER.valueToTree(value(v))));
      putNumber(
          node,
          "te",
          q.topographicError().isEmpty() ? null : value(q.topographicError().getFirst()));
      node.put("k", q.k());
      putNumber(node, "trustworthiness", q.trustworthiness());
      putNumber(node, "continuity", q.continuity());
      putNumber(node, "spearman", q.spearman());
      node.put("spearman_pairs", q.spearmanPairs());
      putNumber(node, "collision_rate", q.collisionRate());
      putNumber(node, "level1_perplexity", q.level1Perplexity());
      node.put("level1_cells_used", q.level1CellsUsed());
      node.put("max_collision_slot", s.slotCount() - 1);
      node.put("fit_seconds", s.fitSeconds());
      node.put("quality_seconds", s.qualitySeconds());
    }
    return root;
  }

  /** The Markdown table of the ID schemes' quality. */
  public static String sidQualityMarkdown(List<SchemeIds> schemes) {
    List<String> header =
        List.of(
            "scheme",
            "lattices",
            "QE L1",
            "QE L2",
            "TE L1",
            "TE L2",
            "T@10",
            "C@10",
            "Spearman",
            "collisions",
            "L1 perplexity");
    List<List<String>> rows = new ArrayList<>();
    for (SchemeIds s : schemes) {
      SidQualityReport q = s.quality();
      List<String> r = new ArrayList<>();
      r.add(s.scheme().label());
      r.add(latticeText(s));
      r.add(fmt(level(q.quantizationError(), 0)));
      r.add(fmt(level(q.quantizationError(), 1)));
      r.add(q.topographicError().isEmpty() ? "-" : fmt(value(q.topographicError().getFirst())));
      r.add(q.topographicError().size() < 2 ? "-" : fmt(value(q.topographicError().get(1))));
      r.add(fmt(q.trustworthiness()));
      r.add(fmt(q.continuity()));
      r.add(fmt(q.spearman()));
      r.add(fmt(q.collisionRate()));
      r.add(String.format(Locale.ROOT, "%.1f", q.level1Perplexity()));
      rows.add(r);
    }
    return table(header, rows);
  }

  /** The Markdown metrics table (overall and cold-start rows, as {@link MetricsTable}). */
  public static String metricsMarkdown(ExperimentResult result) {
    return MetricsTable.of(result.methods().stream().map(MethodResult::evaluation).toList())
        .toMarkdown();
  }

  /**
   * The Markdown table of the comparisons: per pair and metric the difference and its 95% interval,
   * marked as a win only when the whole interval lies above 0.
   */
  public static String comparisonsMarkdown(ExperimentResult result) {
    List<String> header = new ArrayList<>(List.of("comparison"));
    for (var metric : Comparison.METRICS) {
      header.add(metric.key());
    }
    List<List<String>> rows = new ArrayList<>();
    result
        .comparisons()
        .forEach(
            (name, c) -> {
              List<String> r = new ArrayList<>();
              r.add(c.method() + " − " + c.against());
              c.intervals()
                  .values()
                  .forEach(
                      i ->
                          r.add(
                              String.format(
                                  Locale.ROOT,
                                  "%+.4f [%+.4f, %+.4f]%s",
                                  i.delta(),
                                  i.lo(),
                                  i.hi(),
                                  i.above0() ? " ✓" : "")));
              rows.add(r);
            });
    return table(header, rows);
  }

  /** The Markdown table of training cost and throughput of the policies. */
  public static String trainingMarkdown(ExperimentResult result) {
    List<String> header =
        List.of(
            "method",
            "SFT epochs (best)",
            "SFT samples/s",
            "RL steps (best)",
            "RL rollouts/s",
            "validation NDCG@10 before → after RL",
            "train s",
            "eval s");
    List<List<String>> rows = new ArrayList<>();
    for (MethodResult m : result.methods()) {
      if (m.role().equals("baseline")) {
        continue;
      }
      Map<String, Object> d = m.details();
      List<String> r = new ArrayList<>();
      r.add(m.method());
      r.add(
          d.containsKey("sft_epochs_run")
              ? d.get("sft_epochs_run") + " (" + d.get("sft_best_epoch") + ")"
              : "-");
      r.add(number(d.get("sft_samples_per_s"), "%.1f"));
      if (d.containsKey("rl_steps")) {
        r.add(
            d.get("rl_steps")
                + (d.containsKey("rl_best_step") ? " (" + d.get("rl_best_step") + ")" : ""));
        r.add(number(d.get("rl_rollouts_per_s"), "%.1f"));
        Object curve = d.get("rl_validation_ndcg10");
        r.add(
            curve instanceof List<?> l && !l.isEmpty()
                ? number(l.getFirst(), "%.4f")
                    + " → "
                    + number(d.get("rl_best_validation_ndcg10"), "%.4f")
                : "-");
      } else {
        r.add(String.valueOf(d.getOrDefault("grpo_steps", "-")));
        r.add(number(d.get("grpo_rollouts_per_s"), "%.1f"));
        r.add("-");
      }
      r.add(String.format(Locale.ROOT, "%.1f", m.trainSeconds()));
      r.add(String.format(Locale.ROOT, "%.1f", m.evalSeconds()));
      rows.add(r);
    }
    return table(header, rows);
  }

  /** The whole {@code results.md}: dataset, ID quality, metrics, training, stage timings. */
  public static String resultsMarkdown(ExperimentResult result) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Recommendation benchmark: ").append(result.stats().name()).append("\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "Seed %d; %d POIs, %d users (%d cold-start); samples %s; POI features of width %d;"
                + " total %.1f s.%n%n",
            result.config().seed(),
            result.stats().pois(),
            result.stats().users(),
            result.stats().coldStartUsers(),
            result.stats().samplesPerSplit(),
            result.featureDimension(),
            result.totalSeconds()));
    sb.append("## Semantic-ID quality\n\n")
        .append(sidQualityMarkdown(result.schemes()))
        .append('\n');
    sb.append("## Metrics (test split, top-10 lists; MRR is MRR@10)\n\n")
        .append(metricsMarkdown(result))
        .append('\n');
    if (!result.comparisons().isEmpty()) {
      sb.append("## Differences with paired bootstrap 95% intervals (test split)\n\n")
          .append(comparisonsMarkdown(result))
          .append('\n');
    }
    sb.append("## Training\n\n").append(trainingMarkdown(result)).append('\n');
    sb.append("## Stages\n\n");
    List<List<String>> rows = new ArrayList<>();
    result
        .stageSeconds()
        .forEach((k, v) -> rows.add(List.of(k, String.format(Locale.ROOT, "%.2f", v))));
    sb.append(table(List.of("stage", "seconds"), rows));
    return sb.toString();
  }

  /** Writes a JSON document atomically. */
  public static void writeJson(Path file, ObjectNode document) throws IOException {
    writeAtomically(file, MAPPER.writeValueAsString(document) + "\n");
  }

  /**
   * Writes text atomically ({@link AtomicFiles}: a temporary file in the same directory, then an
   * atomic move), creating the directory first.
   */
  public static void writeAtomically(Path file, String text) throws IOException {
    checkNotNull(file, "file");
    checkNotNull(text, "text");
    Files.createDirectories(file.toAbsolutePath().getParent());
    AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code metrics.json}, {@code sid-quality.json} and {@code results.md} into a folder. */
  public static void writeAll(Path dir, ExperimentResult result) throws IOException {
    writeJson(dir.resolve("metrics.json"), metricsJson(result));
    writeJson(
        dir.resolve("sid-quality.json"),
        sidQualityJson(result.stats().name(), result.config().seed(), result.schemes()));
    writeAtomically(dir.resolve("results.md"), resultsMarkdown(result));
  }

  private static ObjectNode metrics(MetricsReport r) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("samples", r.count());
    putNumber(node, "acc@1", r.acc1());
    putNumber(node, "acc@5", r.acc5());
    putNumber(node, "acc@10", r.acc10());
    putNumber(node, "ndcg@5", r.ndcg5());
    putNumber(node, "ndcg@10", r.ndcg10());
    putNumber(node, "mrr", r.mrr());
    return node;
  }

  private static void putNumber(ObjectNode node, String key, Double v) {
    if (v == null || !Double.isFinite(v)) {
      node.putNull(key);
    } else {
      node.put(key, v);
    }
  }

  private static Object finite(Object v) {
    if (v instanceof Double d && !Double.isFinite(d)) {
      return null;
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object x : list) {
        out.add(finite(x));
      }
      return out;
    }
    return v;
  }

  private static Double value(OptionalDouble v) {
    return v.isPresent() ? v.getAsDouble() : null;
  }

  private static double level(List<Double> values, int level) {
    return level < values.size() ? values.get(level) : Double.NaN;
  }

  private static String latticeText(SchemeIds s) {
    StringBuilder sb = new StringBuilder();
    for (int l = 0; l < s.space().levelCount(); l++) {
      if (l > 0) {
        sb.append('+');
      }
      sb.append(s.space().level(l).rows()).append('x').append(s.space().level(l).cols());
    }
    return sb.toString();
  }

  private static String fmt(Double v) {
    return v == null || Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String number(Object v, String format) {
    return v instanceof Number n ? String.format(Locale.ROOT, format, n.doubleValue()) : "-";
  }

  private static String table(List<String> header, List<List<String>> rows) {
    int[] width = new int[header.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = header.get(c).length();
      for (List<String> r : rows) {
        width[c] = Math.max(width[c], r.get(c).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    line(sb, header, width);
    sb.append('|');
    for (int c = 0; c < width.length; c++) {
      sb.append(c == 0 ? ":" : "-").append("-".repeat(width[c])).append(c == 0 ? "-" : ":");
      sb.append('|');
    }
    sb.append('\n');
    for (List<String> r : rows) {
      line(sb, r, width);
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells, int[] width) {
    sb.append('|');
    for (int c = 0; c < width.length; c++) {
      String cell = cells.get(c);
      sb.append(' ');
      if (c == 0) {
        sb.append(cell).append(" ".repeat(width[c] - cell.length()));
      } else {
        sb.append(" ".repeat(width[c] - cell.length())).append(cell);
      }
      sb.append(" |");
    }
    sb.append('\n');
  }
}
