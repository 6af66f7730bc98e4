package org.refinepoi.examples.pipeline;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.refinepoi.core.eval.PairedBootstrap;

/**
 * One method against another on the same test samples: per metric the observed difference of the
 * means and its paired bootstrap 95% interval ({@link PairedBootstrap}, 1,000 resamples, seeded). A
 * difference whose interval contains 0 is not a win.
 *
 * @param method the method compared (for example the final model)
 * @param against the method it is compared with
 * @param intervals per metric key ({@code "ndcg@10"}, ...), the difference and its interval
 */
public record Comparison(
    String method, String against, Map<String, PairedBootstrap.Interval> intervals) {

  /** The metrics every comparison reports, in order. */
  public static final List<PairedBootstrap.Metric> METRICS =
      List.of(
          PairedBootstrap.Metric.NDCG_10,
          PairedBootstrap.Metric.ACC_1,
          PairedBootstrap.Metric.ACC_10,
          PairedBootstrap.Metric.ACC_5,
          PairedBootstrap.Metric.NDCG_5,
          PairedBootstrap.Metric.MRR);

  /** Copies the map. */
  public Comparison {
    checkNotNull(method, "method");
    checkNotNull(against, "against");
    intervals = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(intervals));
  }

  /** {@code a} minus {@code b} on every metric of {@link #METRICS}, resampled with a seed. */
  static Comparison of(MethodResult a, MethodResult b, long seed) {
    Map<String, PairedBootstrap.Interval> out = new LinkedHashMap<>();
    for (PairedBootstrap.Metric metric : METRICS) {
      out.put(
          metric.key(),
          PairedBootstrap.difference(
              metric, a.testRanks(), b.testRanks(), PairedBootstrap.DEFAULT_RESAMPLES, seed));
    }
    return new Comparison(a.method(), b.method(), out);
  }
}
