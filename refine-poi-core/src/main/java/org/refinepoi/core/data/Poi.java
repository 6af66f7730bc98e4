package org.refinepoi.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * A point of interest (venue) as the check-in logs describe it.
 *
 * @param id the venue's identifier in its source (for Foursquare a hex string)
 * @param categoryId the category's identifier in its source
 * @param categoryName the category's human-readable name, for example {@code "Coffee Shop"}
 * @param latitude WGS84 latitude in degrees, in [-90, 90]
 * @param longitude WGS84 longitude in degrees, in [-180, 180]
 */
public record Poi(
    String id, String categoryId, String categoryName, double latitude, double longitude) {

  /** Validates every field; a NaN or out-of-range coordinate is rejected with the POI's id. */
  public Poi {
    checkNotNull(id, "id");
    checkNotNull(categoryId, "categoryId of POI %s", id);
    checkNotNull(categoryName, "categoryName of POI %s", id);
    checkArgument(!id.isEmpty(), "POI id must not be empty");
    checkArgument(
        latitude >= -90 && latitude <= 90, "latitude of POI %s out of range: %s", id, latitude);
    checkArgument(
        longitude >= -180 && longitude <= 180,
        "longitude of POI %s out of range: %s",
        id,
        longitude);
  }
}
