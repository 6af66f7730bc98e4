package org.refinepoi.core.prompt;

import java.util.ArrayList;
import java.util.List;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.protocol.Split;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;

/** A tiny city: 6 POIs with distinct IDs on a 4x4 / 2x2 lattice pair, and one user. */
final class PromptFixtures {

  static final IdSpace SPACE =
      IdSpace.of(LatticeSpec.rectangular(4, 4), LatticeSpec.rectangular(2, 2));

  /** 2012-05-05 13:58 local time in New York (UTC-4). */
  static final long T0 = 1336240680L;

  static final int OFFSET = -240;

  private PromptFixtures() {}

  static SemanticId idOf(int poi) {
    return SemanticId.of(new int[] {poi, poi % 4}, poi % 2);
  }

  static CheckInDataset dataset() {
    List<Poi> pois = new ArrayList<>();
    String[] categories = {"Coffee Shop", "Office", "Gym", "Bar", "Airport", "Park"};
    for (int i = 0; i < 6; i++) {
      pois.add(new Poi("v" + i, "c" + i, categories[i], 40.7, -74.0));
    }
    List<CheckIn> checkIns = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      checkIns.add(new CheckIn(0, i % 6, T0 + i * 3600L, OFFSET));
    }
    return CheckInDataset.of("tiny", pois, List.of("42"), checkIns);
  }

  static Sample sample(int longTerm, int shortTerm, int targetPoi) {
    List<CheckIn> lt = new ArrayList<>();
    for (int i = 0; i < longTerm; i++) {
      lt.add(new CheckIn(0, i % 6, T0 - 86_400L * 3 + i * 600L, OFFSET));
    }
    List<CheckIn> st = new ArrayList<>();
    for (int i = 0; i < shortTerm; i++) {
      st.add(new CheckIn(0, (i + 2) % 6, T0 + i * 600L, OFFSET));
    }
    CheckIn target = new CheckIn(0, targetPoi, T0 + Math.max(4320L, shortTerm * 600L), OFFSET);
    return new Sample(0, 1, st, lt, target, false, Split.TRAIN);
  }
}
