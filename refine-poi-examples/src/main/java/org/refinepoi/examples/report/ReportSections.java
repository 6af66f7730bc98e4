package org.refinepoi.examples.report;

import com.google.common.html.HtmlEscapers;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.eval.PairedBootstrap;
import org.refinepoi.core.eval.RankingMetrics;
import org.refinepoi.core.features.FeatureBlock;
import org.refinepoi.core.features.PoiFeatures;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.protocol.DatasetStats;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.protocol.Split;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.pipeline.experiment.Comparison;
import org.refinepoi.pipeline.experiment.ExperimentConfig;
import org.refinepoi.pipeline.experiment.ExperimentResult;
import org.refinepoi.pipeline.experiment.MethodResult;
import org.refinepoi.pipeline.ids.SchemeIds;
import org.refinepoi.pipeline.recommender.NextPoiRecommender;
import org.refinepoi.som.HierarchicalSomModel;
import org.refinepoi.som.quality.SidQualityReport;
import org.refinepoi.som.train.SomMap;

/** The sections of {@link ExperimentPictures}' report, each from what the experiment computed. */
final class ReportSections {

  private static final int PLANES = 4;
  private static final java.util.regex.Pattern RECORD =
      java.util.regex.Pattern.compile("\\w+\\[(\\w+=.*)\\]");

  private final PreparedData data;
  private final ExperimentResult result;
  private final PoiFeatures features;
  private final Function<String, Optional<List<int[]>>> rankings;

  ReportSections(
      PreparedData data,
      ExperimentResult result,
      PoiFeatures features,
      Function<String, Optional<List<int[]>>> rankings) {
    this.data = data;
    this.result = result;
    this.features = features;
    this.rankings = rankings;
  }

  // ------------------------------------------------------------------ tables

  void addDataset(ReportWriter w) {
    DatasetStats s = result.stats();
    List<List<String>> totals = new ArrayList<>();
    totals.add(List.of("users", n(s.rawUsers()), n(s.users())));
    totals.add(List.of("POIs", n(s.rawPois()), n(s.pois())));
    totals.add(List.of("categories", n(s.rawCategories()), n(s.categories())));
    totals.add(List.of("check-ins", n(s.rawCheckIns()), n(s.checkIns())));
    List<List<String>> splits = new ArrayList<>();
    for (Split split : Split.values()) {
      splits.add(
          List.of(
              split.name().toLowerCase(Locale.ROOT),
              n(s.usersPerSplit().get(split)),
              n(s.poisPerSplit().get(split)),
              n(s.checkInsPerSplit().get(split)),
              n(s.trajectoriesPerSplit().get(split)),
              n(s.samplesPerSplit().get(split)),
              n(s.droppedSamplesPerSplit().get(split))));
    }
    StringBuilder h = new StringBuilder();
    h.append(
        ReportWriter.tableHtml(
            String.format(
                Locale.ROOT,
                "Dataset %s as loaded and after the protocol's user/POI filter (%d round%s);"
                    + " sample mode %s; %,d cold-start users; POI features of width %d.",
                s.name(),
                s.filterRounds(),
                s.filterRounds() == 1 ? "" : "s",
                s.sampleMode(),
                s.coldStartUsers(),
                result.featureDimension()),
            List.of("", "loaded", "after filtering"),
            totals));
    h.append(
        ReportWriter.tableHtml(
            "Per split (80/10/10 by time): distinct users, POIs, check-ins, trajectories (24 h"
                + " sessions), samples kept, and validation/test samples dropped because their"
                + " user or target POI has no training check-in.",
            List.of("split", "users", "POIs", "check-ins", "trajectories", "samples", "dropped"),
            splits));
    if (features != null) {
      List<List<String>> blocks = new ArrayList<>();
      for (FeatureBlock b : features.blocks()) {
        blocks.add(
            List.of(
                b.name(),
                b.offset() + "\u2013" + (b.end() - 1),
                String.valueOf(b.width()),
                String.format(Locale.ROOT, "%.3f", b.weight()),
                b.detail()));
      }
      h.append(
          ReportWriter.tableHtml(
              "POI feature blocks (fitted on the training check-ins only): the input of every ID"
                  + " scheme.",
              List.of("block", "columns", "width", "weight", "how"),
              blocks));
    }
    w.addHtml("dataset", "Dataset statistics", h.toString());
  }

  void addIdQuality(ReportWriter w) {
    List<List<String>> rows = new ArrayList<>();
    for (SchemeIds s : result.schemes()) {
      SidQualityReport q = s.quality();
      rows.add(
          List.of(
              s.scheme().label(),
              lattices(s.space()),
              f4(level(q.quantizationError(), 0)),
              f4(level(q.quantizationError(), 1)),
              q.topographicError().isEmpty() ? "-" : f4(value(q.topographicError().getFirst())),
              q.topographicError().size() < 2 ? "-" : f4(value(q.topographicError().get(1))),
              f4(q.trustworthiness()),
              f4(q.continuity()),
              f4(q.spearman()),
              f4(q.collisionRate()),
              String.format(Locale.ROOT, "%.1f", q.level1Perplexity()),
              String.valueOf(q.level1CellsUsed())));
    }
    w.addTable(
        "id-quality",
        "Semantic-ID quality",
        "The four ID schemes with the same code budget. QE: quantization error per level (lower"
            + " is better); TE: topographic error (share of POIs whose two best units are not"
            + " lattice neighbours; lower is better; not defined for schemes without a lattice);"
            + " T@10 / C@10: trustworthiness and continuity of the 10 nearest neighbours (feature"
            + " space vs ID space, higher is better); Spearman: rank correlation of feature and ID"
            + " distances; collisions: share of POIs sharing a leaf with another; L1 perplexity:"
            + " effective number of level-1 cells used.",
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
            "L1 perplexity",
            "L1 cells used"),
        rows);
  }

  void addComparisons(ReportWriter w) {
    if (result.comparisons().isEmpty()) {
      return;
    }
    // One row per metric, one column per comparison: it fits the page with the intervals.
    List<String> header = new ArrayList<>(List.of("metric"));
    for (Comparison c : result.comparisons().values()) {
      header.add(c.method() + " \u2212 " + c.against());
    }
    List<List<String>> rows = new ArrayList<>();
    for (PairedBootstrap.Metric m : Comparison.METRICS) {
      List<String> r = new ArrayList<>();
      r.add(m.key());
      for (Comparison c : result.comparisons().values()) {
        PairedBootstrap.Interval i = c.intervals().get(m.key());
        r.add(
            i == null
                ? "-"
                : String.format(
                    Locale.ROOT,
                    "%+.4f [%+.4f, %+.4f]%s",
                    i.delta(),
                    i.lo(),
                    i.hi(),
                    i.above0() ? " \u2713" : ""));
      }
      rows.add(r);
    }
    w.addTable(
        "comparisons",
        "Paired bootstrap comparisons",
        "The final model minus its SFT stage, and minus the baseline with the best validation"
            + " NDCG@10, on the same test samples: the observed difference and its 95% paired"
            + " bootstrap interval (1,000 resamples, seeded). \u2713: the whole interval lies above"
            + " 0 (a win); an interval containing 0 is not one.",
        header,
        rows);
  }

  void addProvenance(ReportWriter w, String commandLine, Instant now) {
    List<List<String>> rows = new ArrayList<>();
    if (!commandLine.isBlank()) {
      rows.add(List.of("command", commandLine));
    }
    rows.add(List.of("dataset", result.stats().name()));
    rows.add(List.of("seed", String.valueOf(result.config().seed())));
    rows.add(List.of("Refine-POI version", NextPoiRecommender.libraryVersion()));
    rows.add(
        List.of(
            "Java",
            Runtime.version() + " (" + System.getProperty("java.vendor", "unknown vendor") + ")"));
    rows.add(
        List.of(
            "operating system",
            System.getProperty("os.name", "?") + " " + System.getProperty("os.arch", "")));
    rows.add(List.of("written", now.toString()));
    rows.add(List.of("total time", String.format(Locale.ROOT, "%.1f s", result.totalSeconds())));
    StringBuilder h = new StringBuilder();
    h.append(ReportWriter.tableHtml("", List.of("", "value"), rows, false));
    List<List<String>> config = new ArrayList<>();
    result
        .config()
        .describe()
        .forEach(
            (k, v) -> {
              String key = k.replace('_', ' ');
              String text = String.valueOf(v);
              java.util.regex.Matcher record = RECORD.matcher(text);
              if (record.matches()) {
                // A settings record (protocol, policy): one row per field.
                for (String field : record.group(1).split(", (?=\\w+=)")) {
                  int eq = field.indexOf('=');
                  config.add(
                      List.of(key + " \u00b7 " + field.substring(0, eq), field.substring(eq + 1)));
                }
              } else {
                config.add(List.of(key, text));
              }
            });
    h.append(
        ReportWriter.tableHtml(
            "The experiment's settings (ExperimentConfig; the same keys as metrics.json's"
                + " \"config\").",
            List.of("setting", "value"),
            config,
            false));
    List<List<String>> stages = new ArrayList<>();
    result
        .stageSeconds()
        .forEach((k, v) -> stages.add(List.of(k, String.format(Locale.ROOT, "%.2f", v))));
    h.append(
        ReportWriter.tableHtml(
            "Wall time of each stage, in run order.", List.of("stage", "seconds"), stages));
    w.addHtml("provenance", "Provenance", h.toString());
  }

  // ---------------------------------------------------------- example lists

  private Optional<MethodResult> finalMethod() {
    return result.methods().stream().filter(m -> m.role().equals("final")).findFirst();
  }

  void addExamples(ReportWriter w, SchemeIds ids, int count) {
    Optional<MethodResult> fin = finalMethod();
    if (count == 0 || fin.isEmpty()) {
      return;
    }
    Optional<List<int[]>> lists = rankings.apply(fin.get().method());
    List<Sample> test = data.samples(Split.TEST);
    if (lists.isEmpty() || lists.get().size() != test.size()) {
      return;
    }
    List<Integer> chosen = chooseExamples(test, lists.get(), count);
    var esc = HtmlEscapers.htmlEscaper();
    StringBuilder h = new StringBuilder();
    h.append("<p class=\"cap\">")
        .append(
            esc.escape(
                "The top 5 of "
                    + fin.get().method()
                    + " for a few test samples, chosen in test order as the first with the truth"
                    + " at rank 1, the first with it at rank 2 to 5, the first without it in the"
                    + " top 5 and the first of a cold-start user (then the next ones). Reason:"
                    + " \"history\" when the user's history the model read holds the POI (the"
                    + " policy's copy path; with its visit count there), \"generated\" when it is"
                    + " new to the user (the ID generator). The truth's row is green; distance:"
                    + " the ID-space distance to the truth's ID (0 = the truth)."))
        .append("</p>\n<div class=\"examples\">\n");
    List<Poi> pois = data.dataset().pois();
    IdSpace space = ids.space();
    for (int idx : chosen) {
      Sample s = test.get(idx);
      int[] list = lists.get().get(idx);
      int truth = s.targetPoi();
      Map<Integer, Integer> counts = new HashMap<>();
      for (CheckIn c : s.longTerm()) {
        counts.merge(c.poi(), 1, Integer::sum);
      }
      for (CheckIn c : s.shortTerm()) {
        counts.merge(c.poi(), 1, Integer::sum);
      }
      OffsetDateTime at =
          Instant.ofEpochSecond(s.target().utcEpochSecond())
              .atOffset(ZoneOffset.ofTotalSeconds(s.target().utcOffsetMinutes() * 60));
      h.append("<div class=\"example\"><h3>")
          .append(
              esc.escape(
                  "User "
                      + data.dataset().userIds().get(s.user())
                      + (s.coldStart() ? " (cold-start)" : "")
                      + ", next check-in at "
                      + at.toLocalDateTime().toString().replace('T', ' ')
                      + " local time"))
          .append("</h3>\n<p class=\"cap\">")
          .append(esc.escape(historyText(s, pois)))
          .append("</p>\n<table>\n<tr><th>rank</th><th>POI</th><th>category</th>")
          .append("<th>semantic ID</th><th>reason</th><th>distance</th></tr>\n");
      for (int r = 0; r < Math.min(5, list.length); r++) {
        int poi = list[r];
        Poi p = pois.get(poi);
        int visits = counts.getOrDefault(poi, 0);
        h.append(poi == truth ? "<tr class=\"truth\">" : "<tr>")
            .append("<td class=\"n\">")
            .append(r + 1)
            .append(poi == truth ? " \u2713" : "")
            .append("</td><td>")
            .append(esc.escape(shorten(p.id(), 16)))
            .append("</td><td>")
            .append(esc.escape(p.categoryName()))
            .append("</td><td><code>")
            .append(esc.escape(ids.index().format().render(ids.idsByPoi().get(poi))))
            .append("</code></td><td>")
            .append(
                esc.escape(
                    visits > 0
                        ? "history (" + visits + " visit" + (visits == 1 ? "" : "s") + ")"
                        : "generated"))
            .append("</td><td class=\"n\">")
            .append(
                String.format(
                    Locale.ROOT,
                    "%.0f",
                    space.distance(ids.idsByPoi().get(poi), ids.idsByPoi().get(truth))))
            .append("</td></tr>\n");
      }
      int rank = RankingMetrics.rankOf(list, truth);
      Poi t = pois.get(truth);
      h.append("</table>\n<p class=\"cap\">")
          .append(
              esc.escape(
                  "Truth: "
                      + t.categoryName()
                      + " ("
                      + shorten(t.id(), 14)
                      + ", "
                      + ids.index().format().render(ids.idsByPoi().get(truth))
                      + "), "
                      + (rank == RankingMetrics.MISS
                          ? "not in the top " + ExperimentConfig.K
                          : "rank " + rank)
                      + "; "
                      + (counts.containsKey(truth)
                          ? "visited " + counts.get(truth) + " time(s) before."
                          : "new to this user.")))
          .append("</p></div>\n");
    }
    h.append("</div>\n");
    w.addHtml("examples", "Example recommendations", h.toString());
  }

  private static List<Integer> chooseExamples(List<Sample> test, List<int[]> lists, int count) {
    List<java.util.function.IntPredicate> wanted =
        List.of(
            i -> RankingMetrics.rankOf(lists.get(i), test.get(i).targetPoi()) == 1,
            i -> {
              int r = RankingMetrics.rankOf(lists.get(i), test.get(i).targetPoi());
              return r >= 2 && r <= 5;
            },
            i -> {
              int r = RankingMetrics.rankOf(lists.get(i), test.get(i).targetPoi());
              return r == RankingMetrics.MISS || r > 5;
            },
            i -> test.get(i).coldStart());
    List<Integer> out = new ArrayList<>();
    Set<Integer> users = new HashSet<>();
    for (java.util.function.IntPredicate p : wanted) {
      for (int i = 0; i < test.size() && out.size() < count; i++) {
        if (p.test(i) && users.add(test.get(i).user())) {
          out.add(i);
          break;
        }
      }
    }
    for (int i = 0; i < test.size() && out.size() < count; i++) {
      if (users.add(test.get(i).user())) {
        out.add(i);
      }
    }
    return out;
  }

  private static String historyText(Sample s, List<Poi> pois) {
    List<CheckIn> recent = s.shortTerm();
    StringBuilder sb =
        new StringBuilder(
            "History read: "
                + s.longTerm().size()
                + " earlier and "
                + recent.size()
                + " recent check-in"
                + (recent.size() == 1 ? "" : "s")
                + "; the last ");
    int from = Math.max(0, recent.size() - 3);
    List<String> last = new ArrayList<>();
    for (CheckIn c : recent.subList(from, recent.size())) {
      last.add(pois.get(c.poi()).categoryName());
    }
    return sb.append(String.join(" \u2192 ", last)).append('.').toString();
  }

  // ------------------------------------------------------ distance by rank

  void addDistanceByRank(ReportWriter w, SchemeIds ids) throws IOException {
    List<Sample> test = data.samples(Split.TEST);
    List<SemanticId> byPoi = ids.idsByPoi();
    IdSpace space = ids.space();
    List<Curve> curves = new ArrayList<>();
    for (MethodResult m : result.methods()) {
      Optional<List<int[]>> lists = rankings.apply(m.method());
      if (lists.isEmpty() || lists.get().size() != test.size() || curves.size() >= 10) {
        continue;
      }
      double[] sum = new double[ExperimentConfig.K];
      int[] n = new int[ExperimentConfig.K];
      for (int i = 0; i < test.size(); i++) {
        SemanticId truth = byPoi.get(test.get(i).targetPoi());
        int[] list = lists.get().get(i);
        for (int r = 0; r < Math.min(list.length, ExperimentConfig.K); r++) {
          sum[r] += space.distance(truth, byPoi.get(list[r]));
          n[r]++;
        }
      }
      double[] x = new double[ExperimentConfig.K];
      double[] y = new double[ExperimentConfig.K];
      for (int r = 0; r < x.length; r++) {
        x[r] = r + 1;
        y[r] = n[r] == 0 ? Double.NaN : sum[r] / n[r];
      }
      Curve c = new Curve(m.method(), x, y);
      if (c.finitePoints() > 0) {
        curves.add(c);
      }
    }
    if (curves.isEmpty()) {
      return;
    }
    // Reference: the mean distance between the truth and a random POI (a seeded sample).
    SplittableRandom random = new SplittableRandom(result.config().seed());
    int samples = Math.min(test.size(), 2_000);
    int others = Math.min(byPoi.size(), 500);
    int[] pick = new int[others];
    for (int j = 0; j < others; j++) {
      pick[j] = random.nextInt(byPoi.size());
    }
    double sum = 0;
    for (int i = 0; i < samples; i++) {
      SemanticId truth = byPoi.get(test.get(i * test.size() / samples).targetPoi());
      for (int j : pick) {
        sum += space.distance(truth, byPoi.get(j));
      }
    }
    double reference = sum / ((double) samples * others);
    double[] x = new double[ExperimentConfig.K];
    double[] y = new double[ExperimentConfig.K];
    for (int r = 0; r < x.length; r++) {
      x[r] = r + 1;
      y[r] = reference;
    }
    curves.add(new Curve("random POI (reference)", x, y));
    w.addLineChart(
        "id-distance-by-rank",
        "ID distance to the truth by rank",
        "For each rank r of the top-10 lists, the mean ID-space distance (HSOM TREE IDs; 0 for"
            + " the truth itself, larger for IDs that first differ at a coarser level) between the"
            + " test sample's true next POI and the item at rank r, for every policy whose test"
            + " lists the experiment kept. The flat line is a random POI's mean distance to the"
            + " truth. Curves well below it, rising with r, mean the lists are semantically close"
            + " to the truth and ordered by that closeness; the random-ID ablation's lists are"
            + " measured in the same HSOM space.",
        "rank in the list",
        "mean ID distance to the truth",
        curves);
  }

  // --------------------------------------------------------- SOM pictures

  void addComponentPlanes(ReportWriter w, SchemeIds ids) throws IOException {
    Optional<HierarchicalSomModel> model = ids.model();
    if (model.isEmpty()) {
      return;
    }
    Optional<SomMap> map = model.get().map(0);
    if (map.isEmpty()) {
      return;
    }
    FloatMatrix codebook = map.get().codebook();
    int cells = codebook.rows();
    int dims = codebook.cols();
    if (cells < 2) {
      return;
    }
    double[][] x = new double[cells][dims];
    double[] mean = new double[dims];
    for (int c = 0; c < cells; c++) {
      for (int d = 0; d < dims; d++) {
        x[c][d] = codebook.get(c, d);
        mean[d] += x[c][d] / cells;
      }
    }
    double trace = 0;
    for (double[] row : x) {
      for (int d = 0; d < dims; d++) {
        row[d] -= mean[d];
        trace += row[d] * row[d];
      }
    }
    if (trace <= 0) {
      return;
    }
    // The principal directions of the prototypes from their Gram matrix (cells x cells).
    double[][] gram = new double[cells][cells];
    for (int a = 0; a < cells; a++) {
      for (int b = a; b < cells; b++) {
        double dot = 0;
        for (int d = 0; d < dims; d++) {
          dot += x[a][d] * x[b][d];
        }
        gram[a][b] = dot;
        gram[b][a] = dot;
      }
    }
    List<ReportWriter.HeatPanel> panels = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(result.config().seed());
    for (int k = 0; k < Math.min(PLANES, Math.min(cells - 1, dims)); k++) {
      double[] u = new double[cells];
      for (int i = 0; i < cells; i++) {
        u[i] = random.nextDouble() - 0.5;
      }
      double lambda = 0;
      for (int it = 0; it < 300; it++) {
        double[] next = new double[cells];
        for (int i = 0; i < cells; i++) {
          double v = 0;
          for (int j = 0; j < cells; j++) {
            v += gram[i][j] * u[j];
          }
          next[i] = v;
        }
        double norm = Math.sqrt(dot(next, next));
        if (norm == 0) {
          break;
        }
        for (int i = 0; i < cells; i++) {
          next[i] /= norm;
        }
        lambda = norm;
        u = next;
      }
      if (lambda <= trace * 1e-9) {
        break;
      }
      // Deflate, then the loadings (unit length) and the scores of every cell.
      for (int i = 0; i < cells; i++) {
        for (int j = 0; j < cells; j++) {
          gram[i][j] -= lambda * u[i] * u[j];
        }
      }
      double[] loading = new double[dims];
      for (int c = 0; c < cells; c++) {
        for (int d = 0; d < dims; d++) {
          loading[d] += x[c][d] * u[c];
        }
      }
      double ln = Math.sqrt(dot(loading, loading));
      int strongest = 0;
      for (int d = 0; d < dims; d++) {
        loading[d] /= ln;
        if (Math.abs(loading[d]) > Math.abs(loading[strongest])) {
          strongest = d;
        }
      }
      double sign = loading[strongest] < 0 ? -1 : 1;
      double[] score = new double[cells];
      for (int c = 0; c < cells; c++) {
        score[c] = sign * u[c] * Math.sqrt(lambda);
      }
      panels.add(
          new ReportWriter.HeatPanel(
              String.format(Locale.ROOT, "PC%d, %.0f%% of variance", k + 1, 100 * lambda / trace)
                  + blockShares(loading),
              score));
    }
    if (panels.isEmpty()) {
      return;
    }
    w.addLatticeHeatmaps(
        "component-planes-level-1",
        "Component planes, level 1 (first principal directions)",
        "The level-1 SOM's prototypes projected on their first "
            + panels.size()
            + " principal directions (PCA of the prototypes, not of the POIs): one heat map per"
            + " direction, each with its own scale (dark low, yellow high; the sign is chosen so"
            + " that the strongest loading is positive). The title gives the share of the"
            + " prototypes' variance and the feature blocks that direction loads on (share of its"
            + " squared loadings). A smooth gradient over the lattice means the map orders the"
            + " POIs along that direction.",
        ids.space().level(0),
        panels,
        false);
  }

  private String blockShares(double[] loading) {
    if (features == null || features.dimension() != loading.length) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    List<FeatureBlock> blocks = new ArrayList<>(features.blocks());
    double[] share = new double[blocks.size()];
    for (int b = 0; b < blocks.size(); b++) {
      for (int d = blocks.get(b).offset(); d < blocks.get(b).end(); d++) {
        share[b] += loading[d] * loading[d];
      }
    }
    Integer[] order = new Integer[blocks.size()];
    for (int b = 0; b < order.length; b++) {
      order[b] = b;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(share[b], share[a]));
    for (int i = 0; i < Math.min(2, order.length); i++) {
      if (share[order[i]] >= 0.05) {
        parts.add(
            String.format(
                Locale.ROOT, "%s %.0f%%", blocks.get(order[i]).name(), 100 * share[order[i]]));
      }
    }
    return parts.isEmpty() ? "" : "\n" + String.join(", ", parts);
  }

  void addHitHistogram(ReportWriter w, SchemeIds ids) throws IOException {
    LatticeSpec lattice = ids.space().level(0);
    double[] hits = new double[lattice.size()];
    for (SemanticId id : ids.idsByPoi()) {
      hits[id.cell(0)]++;
    }
    int empty = 0;
    int max = 0;
    for (int c = 0; c < hits.length; c++) {
      max = Math.max(max, (int) hits[c]);
      if (hits[c] == 0) {
        hits[c] = Double.NaN;
        empty++;
      }
    }
    w.addLatticeHeatmaps(
        "hit-histogram-level-1",
        "Hit histogram, level 1 (POIs per cell)",
        String.format(
            Locale.ROOT,
            "How many POIs have each level-1 cell as the first part of their ID (%,d POIs over %d"
                + " cells: %d empty, drawn near-white; at most %,d in one cell). Even counts use the"
                + " ID space well; a few crowded cells make long collision chains below them.",
            ids.idsByPoi().size(),
            lattice.size(),
            empty,
            max),
        lattice,
        List.of(new ReportWriter.HeatPanel("POIs per level-1 cell", hits)),
        true);
  }

  void addInteractiveMap(ReportWriter w, SchemeIds ids) {
    List<Poi> pois = data.dataset().pois();
    int n = pois.size();
    double[] lon = new double[n];
    double[] lat = new double[n];
    int[] cells = new int[n];
    List<String> texts = new ArrayList<>(n);
    LatticeSpec level1 = ids.space().level(0);
    for (int i = 0; i < n; i++) {
      Poi p = pois.get(i);
      SemanticId id = ids.idsByPoi().get(i);
      lon[i] = p.longitude();
      lat[i] = p.latitude();
      cells[i] = id.cell(0);
      texts.add(
          p.categoryName()
              + "\nPOI "
              + p.id()
              + "\nID "
              + ids.index().format().render(id)
              + "\nlevel-1 cell "
              + id.cell(0)
              + " (row "
              + level1.row(id.cell(0))
              + ", column "
              + level1.col(id.cell(0))
              + ")");
    }
    w.addInteractiveMap(
        "interactive-map",
        "Interactive map of the POIs by level-1 cell",
        "Every POI at its longitude and latitude, coloured by its level-1 cell (the colours of the"
            + " lattice key on the right, as in the picture above). Hover a dot for the POI, its"
            + " category and its semantic ID; the other POIs of its cell are outlined. Hover a cell"
            + " of the key to outline its POIs. Self-contained: works offline.",
        level1,
        lon,
        lat,
        cells,
        texts);
  }

  // ---------------------------------------------------------------- helpers

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static String n(Integer v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%,d", v);
  }

  private static String f4(Double v) {
    return v == null || Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static Double value(OptionalDouble v) {
    return v.isPresent() ? v.getAsDouble() : null;
  }

  private static double level(List<Double> values, int level) {
    return level < values.size() ? values.get(level) : Double.NaN;
  }

  private static String lattices(IdSpace space) {
    StringBuilder sb = new StringBuilder();
    for (int l = 0; l < space.levelCount(); l++) {
      if (l > 0) {
        sb.append(" + ");
      }
      sb.append(space.level(l).rows()).append('\u00d7').append(space.level(l).cols());
    }
    return sb.toString();
  }

  private static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
  }
}
