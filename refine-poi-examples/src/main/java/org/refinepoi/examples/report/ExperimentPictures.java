package org.refinepoi.examples.report;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.eval.MetricsTable;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.pipeline.experiment.ExperimentResult;
import org.refinepoi.pipeline.experiment.MethodResult;
import org.refinepoi.pipeline.ids.IdScheme;
import org.refinepoi.pipeline.ids.SchemeIds;
import org.refinepoi.pipeline.progress.TrainingRecorder;

/**
 * The report of a {@link org.refinepoi.pipeline.experiment.RecommendationExperiment} run, as {@code
 * refine-poi demo --report DIR} and {@code refine-poi bench rec --report DIR} write it: the metrics
 * table and bar charts, the HSOM (TREE) pictures (U-matrix and dominant category per level, the POI
 * map by level-1 cell), and the training curves of every policy run.
 */
public final class ExperimentPictures {

  private ExperimentPictures() {}

  /**
   * Writes the pictures and {@code index.html} into a directory (created when missing).
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
    checkNotNull(dir, "dir");
    checkNotNull(data, "data");
    checkNotNull(result, "result");
    checkNotNull(curves, "curves");
    ReportWriter writer = new ReportWriter(dir, title);
    List<org.refinepoi.core.eval.EvaluationResult> evaluations =
        result.methods().stream().map(MethodResult::evaluation).toList();
    checkArgument(!evaluations.isEmpty(), "the experiment evaluated no method");
    writer.addMetrics("metrics", MetricsTable.of(evaluations));
    List<Poi> pois = data.dataset().pois();
    for (SchemeIds s : result.schemes()) {
      if (s.scheme() == IdScheme.HSOM_TREE) {
        checkArgument(
            s.idsByPoi().size() == pois.size(),
            "%s IDs for %s POIs: the result is not from this data",
            s.idsByPoi().size(),
            pois.size());
        SomFigures.addAll(
            writer,
            s.model().orElse(null),
            s.space(),
            s.idsByPoi(),
            pois,
            pois.stream().map(Poi::categoryName).toList());
      }
    }
    TrainingCharts.addTo(writer, curves);
    return writer.writeIndex();
  }
}
