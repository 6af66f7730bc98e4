package org.refinepoi.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;

/**
 * Great-circle (haversine) distances between the POIs of one catalogue, with each POI's radians and
 * cosine computed once, so that a hot loop pays two sines and a square root per pair. Immutable and
 * thread-safe.
 */
public final class PoiDistances {

  /** Mean Earth radius (IUGG), km. */
  public static final double EARTH_RADIUS_KM = 6371.0088;

  private final double[] latRad;
  private final double[] lonRad;
  private final double[] cosLat;

  private PoiDistances(double[] latRad, double[] lonRad, double[] cosLat) {
    this.latRad = latRad;
    this.lonRad = lonRad;
    this.cosLat = cosLat;
  }

  /**
   * The distances of a catalogue.
   *
   * @param catalogue the POIs, indexed like the check-ins; not empty
   */
  public static PoiDistances of(List<Poi> catalogue) {
    checkNotNull(catalogue, "catalogue");
    checkArgument(!catalogue.isEmpty(), "the catalogue is empty");
    int n = catalogue.size();
    double[] lat = new double[n];
    double[] lon = new double[n];
    double[] cos = new double[n];
    for (int i = 0; i < n; i++) {
      Poi p = catalogue.get(i);
      lat[i] = Math.toRadians(p.latitude());
      lon[i] = Math.toRadians(p.longitude());
      cos[i] = Math.cos(lat[i]);
    }
    return new PoiDistances(lat, lon, cos);
  }

  /** Number of POIs. */
  public int poiCount() {
    return latRad.length;
  }

  /** Haversine distance between two catalogue POIs, km. */
  public double km(int a, int b) {
    checkElementIndex(a, latRad.length, "POI");
    checkElementIndex(b, latRad.length, "POI");
    double sinLat = Math.sin((latRad[b] - latRad[a]) * 0.5);
    double sinLon = Math.sin((lonRad[b] - lonRad[a]) * 0.5);
    double h = sinLat * sinLat + cosLat[a] * cosLat[b] * sinLon * sinLon;
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1.0, Math.sqrt(h)));
  }
}
