package org.refinepoi.core.eval;

import java.util.List;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.data.Trajectory;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.protocol.Split;

/**
 * A hand-made training split whose rankings are worked out by hand in the tests.
 *
 * <p>Five POIs on the equator at longitudes 0, 0.01, 0.02, 0.05 and 1 degree. Training:
 *
 * <ul>
 *   <li>user 0: trajectory 0 -> 1 -> 2, later trajectory 0 -> 1;
 *   <li>user 1: trajectory 3 -> 1 -> 1.
 * </ul>
 *
 * Visit counts: POI 0: 2, POI 1: 4, POI 2: 1, POI 3: 1, POI 4: 0, so popularity is [1, 0, 2, 3, 4].
 * Transitions: 0->1 twice, 1->2 once, 3->1 once, 1->1 once.
 */
final class TinyData {

  static final List<Poi> POIS =
      List.of(poi("p0", 0.0), poi("p1", 0.01), poi("p2", 0.02), poi("p3", 0.05), poi("p4", 1.0));

  static final List<Trajectory> TRAJECTORIES =
      List.of(
          new Trajectory(0, 0, List.of(ci(0, 0, 0), ci(0, 1, 100), ci(0, 2, 200))),
          new Trajectory(0, 1, List.of(ci(0, 0, 100_000), ci(0, 1, 100_100))),
          new Trajectory(1, 0, List.of(ci(1, 3, 300), ci(1, 1, 400), ci(1, 1, 500))));

  static final List<CheckIn> CHECK_INS =
      TRAJECTORIES.stream().flatMap(t -> t.checkIns().stream()).toList();

  private TinyData() {}

  static Poi poi(String id, double lon) {
    return new Poi(id, "c", "Cafe", 0.0, lon);
  }

  static CheckIn ci(int user, int poi, long t) {
    return new CheckIn(user, poi, t, 0);
  }

  /** A test sample of a user whose last check-in is at {@code lastPoi}, target {@code target}. */
  static Sample sample(int user, int lastPoi, int target) {
    return sample(user, List.of(ci(user, lastPoi, 1_000_000)), List.of(), target, false);
  }

  static Sample sample(
      int user, List<CheckIn> shortTerm, List<CheckIn> longTerm, int target, boolean cold) {
    return new Sample(user, 5, shortTerm, longTerm, ci(user, target, 2_000_000), cold, Split.TEST);
  }
}
