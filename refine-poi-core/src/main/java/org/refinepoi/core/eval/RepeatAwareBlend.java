package org.refinepoi.core.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.refinepoi.core.history.HistoryEvidence;
import org.refinepoi.core.history.HistorySummary;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.protocol.Split;

/**
 * The classic baseline a practitioner writes first: a repeat-aware blend of the user's visit
 * frequency, the recency of the last visit and the transition from the last POI, with weights tuned
 * on the validation split.
 *
 * <p>For a sample with last POI {@code l}, a candidate {@code j} scores
 *
 * <pre>
 *   score(j) = f * ln(1 + visits(j)) + r * exp(-hoursSinceLastVisit(j) / tau) + t * ln(1 + n(l -> j))
 * </pre>
 *
 * with {@code visits} and the recency from the sample's own memory ({@link HistoryEvidence}) and
 * {@code n(l -> j)} the training transitions of all users. Candidates are the POIs of the memory
 * and the training successors of {@code l}; higher scores first, ties by lower POI index; the list
 * is filled by training popularity. {@link #tune} picks {@code (f, r, tau, t)} on a grid by NDCG@10
 * on validation samples (ties: the earlier grid point), so the test split is never looked at.
 *
 * <p>Immutable and thread-safe.
 */
public final class RepeatAwareBlend implements Recommender {

  /** The name in tables. */
  public static final String NAME = "RepeatAwareBlend";

  /**
   * The blend's weights.
   *
   * @param frequency weight {@code f} of {@code ln(1 + visits)}, finite and {@code >= 0}
   * @param recency weight {@code r} of the recency term, finite and {@code >= 0}
   * @param recencyHours the recency time scale {@code tau}, hours, finite and {@code > 0}
   * @param transition weight {@code t} of {@code ln(1 + transitions)}, finite and {@code >= 0}
   */
  public record Weights(double frequency, double recency, double recencyHours, double transition) {

    /** Validates. */
    public Weights {
      checkArgument(Double.isFinite(frequency) && frequency >= 0, "frequency: %s", frequency);
      checkArgument(Double.isFinite(recency) && recency >= 0, "recency: %s", recency);
      checkArgument(
          Double.isFinite(recencyHours) && recencyHours > 0, "recencyHours: %s", recencyHours);
      checkArgument(Double.isFinite(transition) && transition >= 0, "transition: %s", transition);
    }
  }

  /** Frequency weights of the tuning grid. */
  static final List<Double> FREQUENCY_GRID = List.of(0.0, 1.0);

  /** Recency weights of the tuning grid. */
  static final List<Double> RECENCY_GRID = List.of(0.0, 0.25, 0.5, 1.0, 2.0, 4.0);

  /** Recency time scales of the tuning grid, hours (an hour to a month). */
  static final List<Double> RECENCY_HOURS_GRID = List.of(1.0, 3.0, 12.0, 24.0, 72.0, 168.0, 720.0);

  /** Transition weights of the tuning grid. */
  static final List<Double> TRANSITION_GRID = List.of(0.0, 0.25, 0.5, 1.0, 2.0, 4.0);

  private final HistoryEvidence evidence;
  private final Weights weights;
  private final int[] popularityOrder;

  private RepeatAwareBlend(HistoryEvidence evidence, Weights weights) {
    this.evidence = evidence;
    this.weights = weights;
    this.popularityOrder = evidence.popularityOrder();
  }

  /**
   * A blend with given weights.
   *
   * @param evidence the training evidence (transitions, popularity)
   * @param weights the weights
   */
  public static RepeatAwareBlend of(HistoryEvidence evidence, Weights weights) {
    return new RepeatAwareBlend(
        checkNotNull(evidence, "evidence"), checkNotNull(weights, "weights"));
  }

  /**
   * Fits the evidence on the training split of prepared data and tunes the weights on its
   * validation samples ({@link #tune}).
   *
   * @throws IllegalArgumentException when the validation split has no samples
   */
  public static RepeatAwareBlend tuned(PreparedData data) {
    checkNotNull(data, "data");
    HistoryEvidence evidence = HistoryEvidence.fit(data);
    return of(evidence, tune(evidence, data.samples(Split.VALIDATION)));
  }

  /**
   * The grid point with the best mean NDCG@10 on validation samples: frequency in {0, 1}, recency
   * in {0, 0.25, 0.5, 1, 2, 4}, its time scale in {1, 3, 12, 24, 72, 168, 720} hours, transition in
   * {0, 0.25, 0.5, 1, 2, 4}; ties go to the earlier point in that order.
   *
   * @param evidence the training evidence
   * @param validation the samples to tune on, not empty
   */
  public static Weights tune(HistoryEvidence evidence, List<Sample> validation) {
    checkNotNull(evidence, "evidence");
    checkNotNull(validation, "validation");
    checkArgument(!validation.isEmpty(), "no validation samples to tune the blend on");
    List<Scored> prepared = new ArrayList<>(validation.size());
    for (Sample s : validation) {
      prepared.add(Scored.of(evidence, s));
    }
    Weights best = null;
    double bestNdcg = -1;
    for (double f : FREQUENCY_GRID) {
      for (double r : RECENCY_GRID) {
        for (double tau : RECENCY_HOURS_GRID) {
          if (r == 0 && tau != RECENCY_HOURS_GRID.getFirst()) {
            continue; // tau means nothing without the recency term
          }
          for (double t : TRANSITION_GRID) {
            if (f == 0 && r == 0 && t == 0) {
              continue;
            }
            Weights w = new Weights(f, r, tau, t);
            double ndcg = 0;
            for (Scored s : prepared) {
              ndcg += RankingMetrics.ndcgAt(s.rankOfTarget(w), 10);
            }
            if (ndcg > bestNdcg) {
              bestNdcg = ndcg;
              best = w;
            }
          }
        }
      }
    }
    return best;
  }

  /** The weights. */
  public Weights weights() {
    return weights;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int[] recommend(Sample sample, int k) {
    checkNotNull(sample, "sample");
    checkArgument(k >= 0, "k must be >= 0, got %s", k);
    Scored scored = Scored.of(evidence, sample);
    double[] scores = scored.scores(weights);
    int[] top = RankedList.topByScore(scores, Math.min(k, scores.length));
    RankedList list = new RankedList(evidence.poiCount(), k);
    for (int i : top) {
      list.offer(scored.pois[i]);
    }
    list.offerAll(popularityOrder);
    return list.toArray();
  }

  /** A sample's candidates with their raw terms, so that a grid search scores them cheaply. */
  private static final class Scored {
    final int[] pois;
    final double[] logVisits;
    final double[] hours;
    final double[] logTransitions;
    final int target;

    private Scored(int[] pois, double[] logVisits, double[] hours, double[] logTransitions, int t) {
      this.pois = pois;
      this.logVisits = logVisits;
      this.hours = hours;
      this.logTransitions = logTransitions;
      this.target = t;
    }

    static Scored of(HistoryEvidence evidence, Sample sample) {
      HistorySummary summary = evidence.summarize(sample);
      // candidate POI -> {ln(1 + visits), hours since the last visit, ln(1 + transitions)},
      // sorted by POI so that index order is the documented tie order
      TreeMap<Integer, double[]> terms = new TreeMap<>();
      for (HistorySummary.Candidate c : summary.candidates()) {
        terms.put(
            c.poi(),
            new double[] {
              Math.log1p(c.visits()), c.hoursSinceLastVisit(), Math.log1p(c.transitionsFromLast())
            });
      }
      int last = summary.lastPoi();
      for (int s : evidence.successors(last)) {
        terms.putIfAbsent(
            s,
            new double[] {0, Double.POSITIVE_INFINITY, Math.log1p(evidence.transitions(last, s))});
      }
      int n = terms.size();
      int[] pois = new int[n];
      double[] logVisits = new double[n];
      double[] hours = new double[n];
      double[] logTransitions = new double[n];
      int target = -1;
      int i = 0;
      for (Map.Entry<Integer, double[]> e : terms.entrySet()) {
        pois[i] = e.getKey();
        logVisits[i] = e.getValue()[0];
        hours[i] = e.getValue()[1];
        logTransitions[i] = e.getValue()[2];
        if (pois[i] == sample.targetPoi()) {
          target = i;
        }
        i++;
      }
      return new Scored(pois, logVisits, hours, logTransitions, target);
    }

    double[] scores(Weights w) {
      double[] s = new double[pois.length];
      for (int i = 0; i < s.length; i++) {
        s[i] = score(w, i);
      }
      return s;
    }

    private double score(Weights w, int i) {
      double recency = Double.isInfinite(hours[i]) ? 0 : Math.exp(-hours[i] / w.recencyHours());
      return w.frequency() * logVisits[i]
          + w.recency() * recency
          + w.transition() * logTransitions[i];
    }

    /**
     * The 1-based rank of the target among the candidates (ties by lower POI index, as {@code
     * recommend} breaks them), or {@link RankingMetrics#MISS} when it is not a candidate. Ranks
     * beyond the candidates (popularity fill) count as misses for tuning purposes.
     */
    int rankOfTarget(Weights w) {
      if (target < 0) {
        return RankingMetrics.MISS;
      }
      double mine = score(w, target);
      int rank = 1;
      for (int i = 0; i < pois.length; i++) {
        if (i != target) {
          double other = score(w, i);
          if (other > mine || (other == mine && i < target)) {
            rank++;
          }
        }
      }
      return rank;
    }
  }

  @Override
  public String toString() {
    return NAME + weights;
  }
}
