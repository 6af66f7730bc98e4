package org.refinepoi.core.features;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;

/**
 * The per-POI formulas of {@link PoiFeatureBuilder}'s location, visit-time and popularity blocks,
 * and its per-block normalization, for code that gathers the inputs elsewhere (a distributed
 * feature builder computes the catalogue statistics and the per-POI counts on a cluster and then
 * applies exactly these formulas). Stateless.
 */
public final class FeatureRows {

  /** Bins of the visit-time histogram: 24 local hours x {weekday, weekend}. */
  public static final int TIME_BINS = 48;

  static final double KM_PER_DEGREE_LAT = 110.574;
  static final double KM_PER_DEGREE_LON_AT_EQUATOR = 111.320;
  static final double MAX_Z = 4;

  private FeatureRows() {}

  /**
   * Checks a block weight: finite and >= 0 (0 drops the block).
   *
   * @param weight the weight
   * @param block the block's name, for the message
   * @return the weight
   * @throws IllegalArgumentException otherwise
   */
  public static double checkWeight(double weight, String block) {
    checkArgument(
        weight >= 0 && Double.isFinite(weight),
        "weight of the %s block must be finite and >= 0, got %s",
        block,
        weight);
    return weight;
  }

  /**
   * Checks the wavelengths of the multi-scale location code: each finite and > 0 km.
   *
   * @param scalesKm the wavelengths in km, coarsest first
   * @return a copy
   * @throws IllegalArgumentException otherwise
   */
  public static double[] checkScalesKm(double... scalesKm) {
    checkNotNull(scalesKm, "scalesKm");
    for (double s : scalesKm) {
      checkArgument(s > 0 && Double.isFinite(s), "location scales must be > 0 km, got %s", s);
    }
    return scalesKm.clone();
  }

  /**
   * The catalogue statistics the location block is built from: the mean and the population standard
   * deviation of the POIs' latitudes and longitudes, and the wavelengths of the multi-scale code
   * (kept coarsest first).
   */
  public static final class LocationFrame implements java.io.Serializable {
    @java.io.Serial private static final long serialVersionUID = 1L;

    private final double meanLat;
    private final double meanLon;
    private final double sdLat;
    private final double sdLon;
    private final double kmPerDegreeLon;
    private final double[] scalesKm;

    private LocationFrame(
        double meanLat, double meanLon, double sdLat, double sdLon, double[] scalesKm) {
      this.meanLat = meanLat;
      this.meanLon = meanLon;
      this.sdLat = sdLat;
      this.sdLon = sdLon;
      this.kmPerDegreeLon = KM_PER_DEGREE_LON_AT_EQUATOR * Math.cos(Math.toRadians(meanLat));
      double[] s = scalesKm.clone();
      Arrays.sort(s);
      for (int i = 0; i < s.length / 2; i++) {
        double t = s[i];
        s[i] = s[s.length - 1 - i];
        s[s.length - 1 - i] = t;
      }
      this.scalesKm = s;
    }

    /**
     * A frame from catalogue statistics.
     *
     * @param scalesKm the wavelengths in km, any order, each > 0
     * @throws IllegalArgumentException when a statistic is not finite or a deviation or scale is
     *     not positive
     */
    public static LocationFrame of(
        double meanLat, double meanLon, double sdLat, double sdLon, double... scalesKm) {
      checkArgument(
          Double.isFinite(meanLat) && Double.isFinite(meanLon),
          "mean position must be finite, got %s, %s",
          meanLat,
          meanLon);
      checkArgument(
          sdLat >= 0 && sdLon >= 0 && Double.isFinite(sdLat) && Double.isFinite(sdLon),
          "standard deviations must be finite and >= 0, got %s, %s",
          sdLat,
          sdLon);
      return new LocationFrame(meanLat, meanLon, sdLat, sdLon, checkScalesKm(scalesKm));
    }

    /** The wavelengths, coarsest first. */
    public double[] scalesKm() {
      return scalesKm.clone();
    }

    /** Width of the location block: 4 + 4 x scales. */
    public int width() {
      return 4 + 4 * scalesKm.length;
    }

    /**
     * The raw (not normalized) location row of a POI: the standardized coordinates as angles in
     * [-pi/2, pi/2] written as (cos, sin) pairs, then per scale (cos, sin) of the east and north
     * kilometres from the mean position at amplitude 2^-i.
     */
    public double[] row(double latitude, double longitude) {
      double[] row = new double[width()];
      double zLat = standardize(latitude, meanLat, sdLat);
      double zLon = standardize(longitude, meanLon, sdLon);
      double aLat = zLat * Math.PI / (2 * MAX_Z);
      double aLon = zLon * Math.PI / (2 * MAX_Z);
      row[0] = Math.cos(aLat);
      row[1] = Math.sin(aLat);
      row[2] = Math.cos(aLon);
      row[3] = Math.sin(aLon);
      double y = (latitude - meanLat) * KM_PER_DEGREE_LAT;
      double x = (longitude - meanLon) * kmPerDegreeLon;
      for (int s = 0; s < scalesKm.length; s++) {
        double k = 2 * Math.PI / scalesKm[s];
        double amplitude = Math.scalb(1.0, -s);
        row[4 + 4 * s] = amplitude * Math.cos(k * x);
        row[5 + 4 * s] = amplitude * Math.sin(k * x);
        row[6 + 4 * s] = amplitude * Math.cos(k * y);
        row[7 + 4 * s] = amplitude * Math.sin(k * y);
      }
      return row;
    }

    private static double standardize(double value, double mean, double sd) {
      if (sd == 0) {
        return 0;
      }
      return Math.max(-MAX_Z, Math.min(MAX_Z, (value - mean) / sd));
    }
  }

  /**
   * The visit-time bin of a check-in: its local hour, plus 24 on a weekend (Saturday, Sunday).
   *
   * @param localDayOfWeek 0 = Monday .. 6 = Sunday
   * @param localHour 0-23
   */
  public static int timeBin(int localDayOfWeek, int localHour) {
    return (localDayOfWeek >= 5 ? 24 : 0) + localHour;
  }

  /**
   * The raw visit-time row of a POI from its per-bin counts, with add-one smoothing: {@code (count
   * + 1) / (visits + 48)}; all zeros for a POI without check-ins ({@code counts == null}).
   */
  public static double[] timeRow(int[] counts, int visits) {
    double[] row = new double[TIME_BINS];
    if (counts != null) {
      checkArgument(counts.length == TIME_BINS, "time counts need %s bins", TIME_BINS);
      for (int b = 0; b < TIME_BINS; b++) {
        row[b] = (counts[b] + 1.0) / (visits + TIME_BINS);
      }
    }
    return row;
  }

  /**
   * The raw popularity row: {@code log(1 + visits)} as the angle {@code (pi / 2) v / v_max} written
   * as (cos, sin); zeros for a POI without visits.
   */
  public static double[] popularityRow(int visits, int maxVisits) {
    double[] row = new double[2];
    if (visits > 0) {
      double angle = Math.PI / 2 * Math.log1p(visits) / Math.log1p(maxVisits);
      row[0] = Math.cos(angle);
      row[1] = Math.sin(angle);
    }
    return row;
  }

  /**
   * Writes a block row L2-normalized and scaled to {@code weight} into {@code out[offset..]} as
   * float; an all-zero row (no data for this POI) leaves the output untouched (zeros).
   */
  public static void writeNormalized(double[] row, double weight, float[] out, int offset) {
    double norm = Math.sqrt(RandomizedSvd.dot(row, row));
    if (norm == 0) {
      return;
    }
    double scale = weight / norm;
    for (int j = 0; j < row.length; j++) {
      out[offset + j] = (float) (row[j] * scale);
    }
  }
}
