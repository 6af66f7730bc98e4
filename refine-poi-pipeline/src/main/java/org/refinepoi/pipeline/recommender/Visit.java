package org.refinepoi.pipeline.recommender;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.CheckInDataset;

/**
 * One check-in of a user's history as a caller knows it: the POI's source id and the local time
 * with its offset from UTC (the offset makes the local hour, which the model reads).
 *
 * @param poiId the POI's id in the check-in source, not blank
 * @param time when it happened, with the local offset
 */
public record Visit(String poiId, OffsetDateTime time) {

  /** Checks that nothing is null or blank. */
  public Visit {
    checkNotNull(poiId, "poiId");
    checkNotNull(time, "time");
    checkArgument(!poiId.isBlank(), "a visit needs a POI id");
  }

  /** A check-in of a dataset as a visit (its POI's source id, its local time). */
  public static Visit of(CheckInDataset dataset, CheckIn checkIn) {
    checkNotNull(dataset, "dataset");
    checkNotNull(checkIn, "checkIn");
    return new Visit(
        dataset.poi(checkIn.poi()).id(),
        OffsetDateTime.ofInstant(
            Instant.ofEpochSecond(checkIn.utcEpochSecond()),
            ZoneOffset.ofTotalSeconds(checkIn.utcOffsetMinutes() * 60)));
  }

  /**
   * Every check-in of one user in a dataset, chronological, as visits.
   *
   * @throws IllegalArgumentException naming the user when the dataset has no such user
   */
  public static List<Visit> historyOf(CheckInDataset dataset, String userId) {
    checkNotNull(dataset, "dataset");
    checkNotNull(userId, "userId");
    Optional<Integer> user = dataset.userIndex(userId);
    checkArgument(user.isPresent(), "%s has no user '%s'", dataset.name(), userId);
    List<Visit> out = new ArrayList<>();
    for (CheckIn c : dataset.checkIns()) {
      if (c.user() == user.get()) {
        out.add(of(dataset, c));
      }
    }
    return out;
  }
}
