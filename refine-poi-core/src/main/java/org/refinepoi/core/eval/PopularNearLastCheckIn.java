package org.refinepoi.core.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Collection;
import java.util.List;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.data.PoiDistances;
import org.refinepoi.core.protocol.Sample;

/**
 * Popular POIs near the last check-in: popularity discounted by distance.
 *
 * <p>{@code score(j) = ln(1 + count(j)) - d(last, j) / scaleKm}, with {@code count} the number of
 * training check-ins at {@code j} and {@code d} the haversine (great-circle) distance in kilometres
 * from the POI of the sample's last check-in. In words: every {@code scaleKm} kilometres of
 * distance cost as much as a factor {@code e} in visit count. Every POI of the catalogue is scored,
 * so the ranking is complete; ties go to the lower POI index. Immutable and thread-safe.
 */
public final class PopularNearLastCheckIn implements Recommender {

  /** The name in tables. */
  public static final String NAME = "PopularNearLastCheckIn";

  /**
   * Default distance scale in km: 200 m cost a factor e in popularity. Chosen on the validation
   * split of Foursquare NYC (checkins_NYC.tsv, standard protocol): Acc@10 was 0.386-0.389 for
   * scales of 0.1-0.25 km against 0.30 at 1 km and 0.16 at 5 km.
   */
  public static final double DEFAULT_SCALE_KM = 0.2;

  private final double[] logPopularity;
  private final PoiDistances distances;
  private final double scaleKm;

  private PopularNearLastCheckIn(List<Poi> catalogue, MostPopular popularity, double scaleKm) {
    int n = catalogue.size();
    this.logPopularity = new double[n];
    for (int i = 0; i < n; i++) {
      logPopularity[i] = Math.log1p(popularity.count(i));
    }
    this.distances = PoiDistances.of(catalogue);
    this.scaleKm = scaleKm;
  }

  /**
   * Fits with the default scale ({@value #DEFAULT_SCALE_KM} km).
   *
   * @param catalogue the POIs (their coordinates), indexed like the check-ins
   * @param trainingCheckIns the training split's check-ins
   */
  public static PopularNearLastCheckIn fit(
      List<Poi> catalogue, Collection<CheckIn> trainingCheckIns) {
    return fit(catalogue, trainingCheckIns, DEFAULT_SCALE_KM);
  }

  /**
   * Fits with a given distance scale.
   *
   * @param catalogue the POIs (their coordinates), indexed like the check-ins
   * @param trainingCheckIns the training split's check-ins
   * @param scaleKm kilometres that cost one unit of log-popularity; finite and > 0
   */
  public static PopularNearLastCheckIn fit(
      List<Poi> catalogue, Collection<CheckIn> trainingCheckIns, double scaleKm) {
    checkNotNull(catalogue, "catalogue");
    checkArgument(!catalogue.isEmpty(), "the catalogue is empty");
    return fit(catalogue, MostPopular.fit(catalogue.size(), trainingCheckIns), scaleKm);
  }

  /**
   * Fits reusing a popularity model of the same catalogue.
   *
   * @param catalogue the POIs (their coordinates)
   * @param popularity training visit counts
   * @param scaleKm kilometres that cost one unit of log-popularity; finite and > 0
   */
  public static PopularNearLastCheckIn fit(
      List<Poi> catalogue, MostPopular popularity, double scaleKm) {
    checkNotNull(catalogue, "catalogue");
    checkNotNull(popularity, "popularity");
    checkArgument(
        catalogue.size() == popularity.poiCount(),
        "catalogue has %s POIs but the popularity model %s",
        catalogue.size(),
        popularity.poiCount());
    checkArgument(
        Double.isFinite(scaleKm) && scaleKm > 0,
        "distance scale must be finite and > 0 km, got %s",
        scaleKm);
    return new PopularNearLastCheckIn(catalogue, popularity, scaleKm);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int[] recommend(Sample sample, int k) {
    checkNotNull(sample, "sample");
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    int n = logPopularity.length;
    int last = sample.lastCheckIn().poi();
    checkElementIndex(last, n, "POI index of the sample's last check-in");
    double[] scores = new double[n];
    for (int j = 0; j < n; j++) {
      scores[j] = logPopularity[j] - distanceKm(last, j) / scaleKm;
    }
    return RankedList.topByScore(scores, k);
  }

  /** The distance scale in km. */
  public double scaleKm() {
    return scaleKm;
  }

  /** Haversine distance between two catalogue POIs, km. */
  double distanceKm(int a, int b) {
    return distances.km(a, b);
  }
}
