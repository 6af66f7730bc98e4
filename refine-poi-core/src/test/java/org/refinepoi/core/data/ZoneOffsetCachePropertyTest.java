package org.refinepoi.core.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The cached offsets equal java.time's for any sequence of instants, across transitions. */
class ZoneOffsetCachePropertyTest {

  private static final List<String> ZONES =
      List.of(
          "America/Los_Angeles",
          "Europe/London",
          "Australia/Lord_Howe", // half-hour daylight saving
          "Asia/Kathmandu",
          "UTC");

  @Property(tries = 200)
  void cachedOffsetsEqualZoneRules(
      @ForAll @Size(min = 1, max = 60)
          List<@LongRange(min = 1_230_000_000L, max = 1_300_000_000L) Long> seconds,
      @ForAll @LongRange(min = 0, max = 4) long zoneIndex) {
    ZoneId zone = ZoneId.of(ZONES.get((int) zoneIndex));
    ZoneOffsetCache cache = new ZoneOffsetCache(zone);
    for (long s : seconds) {
      // Each random instant and its neighbours around it, to hit interval edges.
      for (long t : new long[] {s, s - 1, s + 1, s - 86_400 * 30}) {
        int expected = zone.getRules().getOffset(Instant.ofEpochSecond(t)).getTotalSeconds() / 60;
        assertThat(cache.minutesAt(t)).as("%s at %s", zone, t).isEqualTo(expected);
      }
    }
  }

  @Property(tries = 5)
  void exactTransitionInstantsGetTheOffsetAfter(
      @ForAll @LongRange(min = 0, max = 4) long zoneIndex) {
    ZoneId zone = ZoneId.of(ZONES.get((int) zoneIndex));
    ZoneOffsetCache cache = new ZoneOffsetCache(zone);
    // Every transition of 2008 to 2011, the years around Gowalla's crawl.
    Instant end = Instant.parse("2012-01-01T00:00:00Z");
    for (ZoneOffsetTransition transition =
            zone.getRules().nextTransition(Instant.parse("2008-01-01T00:00:00Z"));
        transition != null && transition.getInstant().isBefore(end);
        transition = zone.getRules().nextTransition(transition.getInstant())) {
      long at = transition.toEpochSecond();
      // Ask after, then before, then at, so the cached interval is stale on each side.
      assertThat(cache.minutesAt(at + 3600))
          .isEqualTo(transition.getOffsetAfter().getTotalSeconds() / 60);
      assertThat(cache.minutesAt(at - 1))
          .isEqualTo(transition.getOffsetBefore().getTotalSeconds() / 60);
      assertThat(cache.minutesAt(at)).isEqualTo(transition.getOffsetAfter().getTotalSeconds() / 60);
    }
  }
}
