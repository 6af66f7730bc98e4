package org.refinepoi.examples.interop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.protocol.NextPoiProtocol;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.core.protocol.Split;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.sid.SemanticIdIndex;

/**
 * The export fixture ({@code export-v1/}, export format version 1): the test split of a tiny
 * hand-made log (three users, four POIs, two check-ins a day for six days) with hand-made IDs, so
 * that exporting it again must write the same bytes. {@link #main} writes it.
 */
public final class ExportFixtures {

  private ExportFixtures() {}

  /** The fixture's folder name under {@code fixtures/}. */
  public static final String DIR = "export-v1";

  /** The prepared log. */
  public static PreparedData data() {
    List<Poi> pois = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      pois.add(
          new Poi("poi-" + p, "cat-" + (p % 2), p % 2 == 0 ? "Café" : "Park", 40 + p * 0.01, -74));
    }
    List<CheckIn> checkIns = new ArrayList<>();
    for (int user = 0; user < 3; user++) {
      for (int day = 0; day < 6; day++) {
        long t = 1_333_000_000L + day * 86_400L * 2 + user * 600L;
        checkIns.add(new CheckIn(user, (user + day) % 4, t, -240));
        checkIns.add(new CheckIn(user, (user + day + 1) % 4, t + 3600, -240));
      }
    }
    CheckInDataset raw = CheckInDataset.of("tiny", pois, List.of("u0", "u1", "u2"), checkIns);
    return NextPoiProtocol.prepare(
        raw, ProtocolConfig.builder().minCheckInsPerPoi(1).minCheckInsPerUser(1).build());
  }

  /** The POIs' IDs. */
  public static SemanticIdIndex index() {
    SemanticIdIndex.Builder b =
        SemanticIdIndex.builder(
            IdSpace.of(LatticeSpec.rectangular(2, 2), LatticeSpec.rectangular(1, 2)));
    for (int p = 0; p < 4; p++) {
      b.add("poi-" + p, SemanticId.of(new int[] {p, p % 2}, 0));
    }
    return b.build();
  }

  /** Exports the fixture's test split into a folder. */
  public static TrainingDataExporter.Summary export(Path dir) throws IOException {
    return TrainingDataExporter.builder()
        .k(3)
        .longTermCheckIns(4)
        .build()
        .export(data(), index(), Split.TEST, dir);
  }

  /** Writes the fixture into {@code <first argument>/export-v1}. */
  public static void main(String[] args) throws IOException {
    export(Path.of(args[0]).resolve(DIR));
  }
}
