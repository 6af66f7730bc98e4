package org.refinepoi.core.data;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * The UTC offset of a zone at a given instant, in whole minutes, remembering the interval between
 * the zone's transitions around the last instant asked so that a run of nearby times (a user's
 * check-ins) costs one range check each instead of a search of the zone's transitions. Not
 * thread-safe: one per load.
 */
final class ZoneOffsetCache {

  private final ZoneRules rules;
  private final boolean fixed;
  private int minutes;
  // The offset is `minutes` for every epoch second in [validFrom, validUntil).
  private long validFrom = Long.MAX_VALUE;
  private long validUntil = Long.MIN_VALUE;

  ZoneOffsetCache(ZoneId zone) {
    this.rules = zone.getRules();
    this.fixed = rules.isFixedOffset();
    if (fixed) {
      minutes = toMinutes(rules.getOffset(Instant.EPOCH));
    }
  }

  /**
   * The offset at {@code epochSecond}, rounded to the nearest minute (only historic local mean
   * times have seconds in their offsets).
   */
  int minutesAt(long epochSecond) {
    if (fixed || (epochSecond >= validFrom && epochSecond < validUntil)) {
      return minutes;
    }
    Instant instant = Instant.ofEpochSecond(epochSecond);
    ZoneOffset offset = rules.getOffset(instant);
    ZoneOffsetTransition previous = rules.previousTransition(instant);
    ZoneOffsetTransition next = rules.nextTransition(instant);
    // previousTransition is the last transition strictly before the instant: when a transition
    // falls exactly on the instant, the previous one leads to another offset and the interval
    // starts at the instant itself.
    if (previous == null) {
      validFrom = Long.MIN_VALUE;
    } else if (previous.getOffsetAfter().equals(offset)) {
      validFrom = previous.toEpochSecond();
    } else {
      validFrom = epochSecond;
    }
    validUntil = next == null ? Long.MAX_VALUE : next.toEpochSecond();
    minutes = toMinutes(offset);
    return minutes;
  }

  private static int toMinutes(ZoneOffset offset) {
    return Math.floorDiv(offset.getTotalSeconds() + 30, 60);
  }
}
