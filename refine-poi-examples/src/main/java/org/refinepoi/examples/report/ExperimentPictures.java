package org.refinepoi.examples.report;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.eval.MetricsTable;
import org.refinepoi.core.features.PoiFeatures;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.pipeline.experiment.ExperimentResult;
import org.refinepoi.pipeline.experiment.MethodResult;
import org.refinepoi.pipeline.experiment.RecommendationExperiment;
import org.refinepoi.pipeline.ids.IdScheme;
import org.refinepoi.pipeline.ids.SchemeIds;
import org.refinepoi.pipeline.progress.TrainingRecorder;

/**
 * The report of a {@link RecommendationExperiment} run, as {@code refine-poi experiment --report
 * DIR} (alias {@code bench rec}) and {@code refine-poi demo --report DIR} write it: an {@code
 * index.html} with, in order, the dataset statistics, the semantic-ID quality of the four schemes,
 * the metrics with each method's role and the paired bootstrap comparisons, example lists of the
 * final model for a few users, the ID distance by rank, the HSOM (TREE) pictures (U-matrix and
 * dominant category per level, the POI map, component planes and hit histogram of level 1, an
 * interactive map), the training curves, and the provenance (command, seed, versions, date, the
 * config as a table, stage timings). Sections without data are left out.
 *
 * <p>Use {@link #builder}; {@link #write(Path, String, PreparedData, ExperimentResult,
 * TrainingRecorder)} is the same report without the parts only the experiment object holds (example
 * lists, ID distance by rank, feature-block names).
 */
public final class ExperimentPictures {

  private ExperimentPictures() {}

  /**
   * Writes the pictures and {@code index.html} into a directory (created when missing), from a
   * result alone: no example lists and no ID distance by rank (those need the experiment's test
   * rankings, see {@link #builder}).
   *
   * @param dir the report directory
   * @param title the report's title
   * @param data the prepared data the experiment ran on (its POIs, in dense index order)
   * @param result the experiment's result
   * @param curves the training curves the experiment recorded
   * @return the index file
   */
  public static Path write(
      Path dir, String title, PreparedData data, ExperimentResult result, TrainingRecorder curves)
      throws IOException {
    return new Builder(data, result, curves, null, m -> Optional.empty()).title(title).write(dir);
  }

  /**
   * A report of the last run of an experiment.
   *
   * @param experiment the experiment, after {@code run} returned {@code result}
   * @param result its result
   * @throws IllegalArgumentException when the experiment has not run
   */
  public static Builder builder(RecommendationExperiment experiment, ExperimentResult result) {
    checkNotNull(experiment, "experiment");
    checkNotNull(result, "result");
    PreparedData data =
        experiment
            .lastData()
            .orElseThrow(() -> new IllegalArgumentException("the experiment has not run"));
    return new Builder(
        data,
        result,
        experiment.curves(),
        experiment.lastFeatures().orElse(null),
        experiment::testRankings);
  }

  /**
   * Settings of a report. Defaults: the title {@code "Refine-POI experiment: DATASET"}, no command
   * line, four example users.
   */
  public static final class Builder {
    private final PreparedData data;
    private final ExperimentResult result;
    private final TrainingRecorder curves;
    private final PoiFeatures features;
    private final Function<String, Optional<List<int[]>>> rankings;
    private String title;
    private String commandLine = "";
    private int examples = 4;

    private Builder(
        PreparedData data,
        ExperimentResult result,
        TrainingRecorder curves,
        PoiFeatures features,
        Function<String, Optional<List<int[]>>> rankings) {
      this.data = checkNotNull(data, "data");
      this.result = checkNotNull(result, "result");
      this.curves = checkNotNull(curves, "curves");
      this.features = features;
      this.rankings = rankings;
      this.title = "Refine-POI experiment: " + data.dataset().name();
    }

    /** The report's title (page title and heading). */
    public Builder title(String value) {
      checkNotNull(value, "title");
      checkArgument(!value.isBlank(), "a report needs a title");
      this.title = value;
      return this;
    }

    /** The command that ran the experiment, shown under provenance (empty: not shown). */
    public Builder commandLine(String value) {
      this.commandLine = checkNotNull(value, "commandLine");
      return this;
    }

    /** How many users get an example list, 0 to 12. */
    public Builder examples(int value) {
      checkArgument(value >= 0 && value <= 12, "examples must be in [0, 12], got %s", value);
      this.examples = value;
      return this;
    }

    /**
     * Writes the pictures and {@code index.html} into a directory (created when missing).
     *
     * @return the index file
     * @throws IllegalArgumentException when the result is not from this data
     */
    public Path write(Path dir) throws IOException {
      checkNotNull(dir, "dir");
      List<Poi> pois = data.dataset().pois();
      Optional<SchemeIds> hsom =
          result.schemes().stream().filter(s -> s.scheme() == IdScheme.HSOM_TREE).findFirst();
      hsom.ifPresent(
          s ->
              checkArgument(
                  s.idsByPoi().size() == pois.size(),
                  "%s IDs for %s POIs: the result is not from this data",
                  s.idsByPoi().size(),
                  pois.size()));
      checkArgument(!result.methods().isEmpty(), "the experiment evaluated no method");
      java.time.Instant now =
          java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
      ReportSections sections = new ReportSections(data, result, features, rankings);
      ReportWriter writer =
          new ReportWriter(dir, title)
              .subtitle(
                  String.format(
                      java.util.Locale.ROOT,
                      "%s: %,d POIs, %,d users, %,d check-ins after filtering; seed %d; written %s",
                      result.stats().name(),
                      result.stats().pois(),
                      result.stats().users(),
                      result.stats().checkIns(),
                      result.config().seed(),
                      now));
      sections.addDataset(writer);
      sections.addIdQuality(writer);
      Map<String, String> roles = new LinkedHashMap<>();
      for (MethodResult m : result.methods()) {
        roles.put(m.method(), m.role());
      }
      writer.addMetrics(
          "metrics",
          MetricsTable.of(result.methods().stream().map(MethodResult::evaluation).toList()),
          roles,
          "Test split, top-10 lists over the whole catalogue (MRR is MRR@10). Roles: baseline"
              + " (classic recommenders), sft (the recommended model before RL), final (the"
              + " model the SDK recommends: SFT then list GRPO; in bold), ablation (one part"
              + " changed).");
      sections.addComparisons(writer);
      if (hsom.isPresent()) {
        sections.addExamples(writer, hsom.get(), examples);
        sections.addDistanceByRank(writer, hsom.get());
        SchemeIds s = hsom.get();
        SomFigures.addAll(
            writer,
            s.model().orElse(null),
            s.space(),
            s.idsByPoi(),
            pois,
            pois.stream().map(Poi::categoryName).toList());
        sections.addComponentPlanes(writer, s);
        sections.addHitHistogram(writer, s);
        sections.addInteractiveMap(writer, s);
      }
      TrainingCharts.addTo(writer, curves);
      sections.addProvenance(writer, commandLine, now);
      return writer.writeIndex();
    }
  }
}
