package org.refinepoi.core.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Several recommenders' metrics as one table, rendered as Markdown with the columns method, subset,
 * n, Acc@1, Acc@5, Acc@10, NDCG@5, NDCG@10, MRR. Metrics print with four decimals; an empty subset
 * prints {@code n/a}. Immutable.
 */
public final class MetricsTable {

  /** The column headers, in order. */
  public static final ImmutableList<String> HEADERS =
      ImmutableList.of(
          "method", "subset", "n", "Acc@1", "Acc@5", "Acc@10", "NDCG@5", "NDCG@10", "MRR");

  /** Subset label of rows over all samples. */
  public static final String OVERALL = "overall";

  /** Subset label of rows over cold-start users' samples. */
  public static final String COLD_START = "cold-start";

  /**
   * One row.
   *
   * @param method the recommender's name
   * @param subset which samples, for example {@link #OVERALL}
   * @param report the metrics
   */
  public record Row(String method, String subset, MetricsReport report) {
    /** Checks that nothing is null or blank. */
    public Row {
      checkNotNull(method, "method");
      checkNotNull(subset, "subset");
      checkNotNull(report, "report");
      checkArgument(!method.isBlank(), "method name must not be blank");
    }
  }

  private final ImmutableList<Row> rows;

  private MetricsTable(List<Row> rows) {
    this.rows = ImmutableList.copyOf(rows);
  }

  /**
   * A table with all overall rows first (one per result, in order), then all cold-start rows, so
   * methods are easy to compare within a subset.
   */
  public static MetricsTable of(List<EvaluationResult> results) {
    checkNotNull(results, "results");
    List<Row> rows = new ArrayList<>();
    for (EvaluationResult r : results) {
      rows.add(new Row(r.method(), OVERALL, r.overall()));
    }
    for (EvaluationResult r : results) {
      rows.add(new Row(r.method(), COLD_START, r.coldStart()));
    }
    return new MetricsTable(rows);
  }

  /** A table of the given rows, in order. */
  public static MetricsTable ofRows(List<Row> rows) {
    checkNotNull(rows, "rows");
    return new MetricsTable(rows);
  }

  /** The rows, in display order. */
  public ImmutableList<Row> rows() {
    return rows;
  }

  /** The table as GitHub-flavoured Markdown, columns padded to line up in a terminal. */
  public String toMarkdown() {
    List<List<String>> cells = new ArrayList<>();
    cells.add(HEADERS);
    for (Row row : rows) {
      MetricsReport m = row.report();
      cells.add(
          List.of(
              escape(row.method()),
              escape(row.subset()),
              Long.toString(m.count()),
              format(m.acc1()),
              format(m.acc5()),
              format(m.acc10()),
              format(m.ndcg5()),
              format(m.ndcg10()),
              format(m.mrr())));
    }
    int[] widths = new int[HEADERS.size()];
    for (List<String> line : cells) {
      for (int c = 0; c < widths.length; c++) {
        widths[c] = Math.max(widths[c], Math.max(3, line.get(c).length()));
      }
    }
    StringBuilder sb = new StringBuilder();
    appendLine(sb, cells.getFirst(), widths);
    sb.append('|');
    for (int c = 0; c < widths.length; c++) {
      // Text columns left-aligned, numbers right-aligned.
      sb.append(c < 2 ? ":" + "-".repeat(widths[c] + 1) : "-".repeat(widths[c] + 1) + ":");
      sb.append('|');
    }
    sb.append('\n');
    for (List<String> line : cells.subList(1, cells.size())) {
      appendLine(sb, line, widths);
    }
    return sb.toString();
  }

  private static void appendLine(StringBuilder sb, List<String> line, int[] widths) {
    sb.append('|');
    for (int c = 0; c < widths.length; c++) {
      String v = line.get(c);
      String pad = " ".repeat(widths[c] - v.length());
      sb.append(' ').append(c < 2 ? v + pad : pad + v).append(" |");
    }
    sb.append('\n');
  }

  private static String format(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String escape(String s) {
    return s.replace("|", "\\|");
  }

  @Override
  public String toString() {
    return toMarkdown();
  }
}
