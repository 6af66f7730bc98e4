package org.refinepoi.core.data;

import static com.google.common.base.Preconditions.checkArgument;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * One check-in: a user at a POI at a moment. Users and POIs are dense indices into the {@link
 * CheckInDataset} that holds this check-in (its user-id list and POI catalogue), which keeps a
 * 10-million-row log compact in memory.
 *
 * @param user index of the user in {@link CheckInDataset#userIds()}
 * @param poi index of the POI in {@link CheckInDataset#pois()}
 * @param utcEpochSecond the check-in time, seconds since the epoch, UTC
 * @param utcOffsetMinutes the offset of local time from UTC in minutes (-240 for New York in
 *     summer), in [-18h, +18h]
 */
public record CheckIn(int user, int poi, long utcEpochSecond, int utcOffsetMinutes) {

  /** Largest UTC offset {@link ZoneOffset} accepts, in minutes. */
  public static final int MAX_OFFSET_MINUTES = 18 * 60;

  /** Validates the indices and the offset. */
  public CheckIn {
    checkArgument(user >= 0, "user index must be >= 0, got %s", user);
    checkArgument(poi >= 0, "POI index must be >= 0, got %s", poi);
    checkArgument(
        Math.abs(utcOffsetMinutes) <= MAX_OFFSET_MINUTES,
        "UTC offset out of range: %s minutes",
        utcOffsetMinutes);
  }

  /** The check-in time as an instant. */
  public Instant utcTime() {
    return Instant.ofEpochSecond(utcEpochSecond);
  }

  /** The local wall-clock time of the check-in (UTC time plus the offset). */
  public LocalDateTime localTime() {
    return LocalDateTime.ofEpochSecond(
        utcEpochSecond, 0, ZoneOffset.ofTotalSeconds(utcOffsetMinutes * 60));
  }

  /** Local hour of day, 0-23. */
  public int localHour() {
    return localTime().getHour();
  }

  /** Local day of week, 0 = Monday .. 6 = Sunday (the convention of the preprocessed CSV files). */
  public int localDayOfWeek() {
    return localTime().getDayOfWeek().getValue() - 1;
  }
}
