package org.refinepoi.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.data.GowallaLoader.BoundingBox;
import org.refinepoi.core.data.GowallaLoader.Category;

class GowallaLoaderTest {

  @TempDir Path dir;

  private static String line(String user, String time, String lat, String lon, String location) {
    return String.join("\t", user, time, lat, lon, location) + "\n";
  }

  /** The first lines of SNAP's file, newest first per user as SNAP lists them. */
  private static final List<String> SNAP_LINES =
      List.of(
          line("0", "2010-10-19T23:55:27Z", "30.2359091167", "-97.7951395833", "22847"),
          line("0", "2010-10-18T22:17:43Z", "30.2691029532", "-97.7493953705", "420315"),
          line("0", "2010-10-17T23:42:03Z", "30.2557309927", "-97.7633857727", "316637"),
          line("1", "2010-07-24T13:45:06Z", "53.3648119", "-2.2723465833", "145064"),
          line("1", "2010-07-24T13:44:58Z", "53.360511233", "-2.276369017", "1275991"),
          line("1", "2010-07-24T13:44:46Z", "30.2359091167", "-97.7951395833", "22847"));

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private static long epoch(String iso) {
    return Instant.parse(iso).getEpochSecond();
  }

  /** A check-in with source ids instead of dense indices, to compare loads of reordered files. */
  private record Row(String user, String poi, long time, int offset) {}

  private static List<Row> rows(CheckInDataset data) {
    List<Row> rows = new ArrayList<>();
    for (CheckIn c : data.checkIns()) {
      rows.add(
          new Row(
              data.userIds().get(c.user()),
              data.poi(c.poi()).id(),
              c.utcEpochSecond(),
              c.utcOffsetMinutes()));
    }
    return rows;
  }

  @Test
  void loadsTheSnapLayoutWithUnknownCategoryAndUtcOffset() throws IOException {
    Path file = write("loc-gowalla_totalCheckins.txt", String.join("", SNAP_LINES));
    LoadResult result = new GowallaLoader().load(file);
    CheckInDataset data = result.dataset();
    assertThat(data.name()).isEqualTo("loc-gowalla_totalCheckins.txt");
    assertThat(data.userIds()).containsExactly("0", "1");
    assertThat(data.pois())
        .hasSize(5)
        .first()
        .isEqualTo(new Poi("22847", "gowalla:unknown", "Unknown", 30.2359091167, -97.7951395833));
    assertThat(data.pois()).extracting(Poi::categoryId).containsOnly("gowalla:unknown");
    // Sorted by time, oldest first, although the file is newest first.
    assertThat(data.checkIns())
        .extracting(CheckIn::utcEpochSecond)
        .containsExactly(
            epoch("2010-07-24T13:44:46Z"),
            epoch("2010-07-24T13:44:58Z"),
            epoch("2010-07-24T13:45:06Z"),
            epoch("2010-10-17T23:42:03Z"),
            epoch("2010-10-18T22:17:43Z"),
            epoch("2010-10-19T23:55:27Z"));
    assertThat(data.checkIns()).extracting(CheckIn::utcOffsetMinutes).containsOnly(0);
    assertThat(data.checkIns().get(5)).isEqualTo(new CheckIn(0, 0, 1287532527L, 0));
    LoadReport report = result.report();
    assertThat(report.linesRead()).isEqualTo(6);
    assertThat(report.checkIns()).isEqualTo(6);
    assertThat(report.skippedLines()).isZero();
    assertThat(report.conflictingLines()).isZero();
  }

  @Test
  void newestFirstAndOldestFirstFilesGiveTheSameCheckIns() throws IOException {
    List<String> reversed = new ArrayList<>(SNAP_LINES);
    Collections.reverse(reversed);
    CheckInDataset newestFirst =
        new GowallaLoader().load(write("new.txt", String.join("", SNAP_LINES))).dataset();
    CheckInDataset oldestFirst =
        new GowallaLoader().load(write("old.txt", String.join("", reversed))).dataset();
    assertThat(rows(oldestFirst)).isEqualTo(rows(newestFirst));
    assertThat(rows(newestFirst))
        .extracting(Row::time)
        .isSortedAccordingTo(Long::compare)
        .doesNotHaveDuplicates();
    // Per user, the check-ins are in time order: what the protocol's sessions rely on.
    assertThat(rows(newestFirst).stream().filter(r -> r.user().equals("0")).map(Row::poi))
        .containsExactly("316637", "420315", "22847");
  }

  @Test
  void strictLoadNamesFileLineAndReason() throws IOException {
    Path file =
        write(
            "bad.txt",
            SNAP_LINES.get(0) + "0\t2010-10-18T22:17:43Z\t30.26\t-97.74\n" + SNAP_LINES.get(2));
    assertThatThrownBy(() -> new GowallaLoader().load(file))
        .isInstanceOfSatisfying(
            MalformedInputLineException.class,
            e -> {
              assertThat(e.file()).isEqualTo(file.toString());
              assertThat(e.lineNumber()).isEqualTo(2);
              assertThat(e.reason())
                  .contains("expected 5 tab-separated fields")
                  .contains("found 4");
            })
        .hasMessageStartingWith(file + ":2: ");
  }

  @Test
  void lenientLoadSkipsCountsAndListsMalformedLines() throws IOException {
    String text =
        SNAP_LINES.get(0) // 1 ok
            + line("2", "2010-10-19 whenever", "30", "-97", "9") // 2 bad time
            + line("2", "2010-02-30T10:00:00Z", "30", "-97", "9") // 3 impossible date
            + line("3", "2010-10-19T10:00:00Z", "NaN", "-97", "10") // 4 NaN
            + line("4", "2010-10-19T10:00:00Z", "30", "-181", "11") // 5 out of range
            + line("5", "2010-10-19T10:00:00Z", "30", "-97", "") // 6 empty location
            + "\n" // 7 blank
            + line("", "2010-10-19T10:00:00Z", "30", "-97", "12") // 8 empty user
            + SNAP_LINES.get(1); // 9 ok
    Path file = write("mixed.txt", text);
    LoadResult result = new GowallaLoader().load(file, LoadOptions.lenient());
    LoadReport report = result.report();
    assertThat(report.linesRead()).isEqualTo(9);
    assertThat(report.checkIns()).isEqualTo(2);
    assertThat(report.blankLines()).isEqualTo(1);
    assertThat(report.skippedLines()).isEqualTo(6);
    assertThat(report.problems())
        .extracting(LineProblem::lineNumber)
        .containsExactly(2L, 3L, 4L, 5L, 6L, 8L);
    assertThat(report.problems().get(0).reason()).contains("time is not like");
    assertThat(report.problems().get(1).reason()).contains("invalid date or time");
    assertThat(report.problems().get(2).reason()).contains("latitude").contains("NaN");
    assertThat(report.problems().get(3).reason()).contains("longitude out of range");
    assertThat(report.problems().get(4).reason()).contains("location id is empty");
    assertThat(report.problems().get(5).reason()).contains("user id is empty");
    assertThat(report.summary()).contains("6 malformed lines skipped").contains("line 4:");
    // Rejected lines leave no user or POI behind.
    assertThat(result.dataset().userIds()).containsExactly("0");
    assertThat(result.dataset().pois()).extracting(Poi::id).containsExactly("22847", "420315");
  }

  @Test
  void nanAndOutOfRangeCoordinatesFailAStrictLoadWithTheirLine() throws IOException {
    Path nan = write("nan.txt", line("1", "2010-10-19T10:00:00Z", "30", "NaN", "1"));
    assertThatThrownBy(() -> new GowallaLoader().load(nan))
        .isInstanceOf(MalformedInputLineException.class)
        .hasMessageContaining(":1: longitude is not a number");
    Path far =
        write("far.txt", SNAP_LINES.get(0) + line("1", "2010-10-19T10:00:00Z", "-90.5", "0", "2"));
    assertThatThrownBy(() -> new GowallaLoader().load(far))
        .hasMessageContaining(":2: latitude out of range [-90, 90]: -90.5");
    // With a box, coordinates are checked before the box test: a bad line is not "outside".
    GowallaLoader boxed = GowallaLoader.builder().boundingBox(BoundingBox.CALIFORNIA).build();
    assertThatThrownBy(() -> boxed.load(far))
        .hasMessageContaining(":2: latitude out of range [-90, 90]: -90.5");
  }

  @Test
  void rejectsBadTimes() throws IOException {
    for (String time :
        new String[] {
          "2010-10-19T24:00:00Z",
          "2010-13-01T10:00:00Z",
          "2010-10-19T10:00:00X",
          "2010/10/19T10:00:00Z",
          "Tue Oct 19 10:00:00 +0000 2010",
          ""
        }) {
      Path file = write("t.txt", line("1", time, "30", "-97", "1"));
      assertThatThrownBy(() -> new GowallaLoader().load(file))
          .as(time)
          .isInstanceOf(MalformedInputLineException.class)
          .hasMessageContaining(":1: ");
    }
  }

  @Test
  void regionZoneGivesEachCheckInTheOffsetOfItsInstantAcrossDaylightSaving() throws IOException {
    // Los Angeles switched to PDT at 2010-03-14 10:00:00 UTC and back to PST at 2010-11-07
    // 09:00:00 UTC; the lines are out of order to exercise the offset cache both ways.
    String[] times = {
      "2010-03-14T10:00:00Z", // first second of PDT
      "2010-03-14T09:59:59Z", // last second of PST
      "2010-11-07T08:59:59Z", // last second of PDT
      "2010-11-07T09:00:00Z", // first second of PST
      "2010-07-01T12:00:00Z",
      "2010-01-01T00:00:00Z",
      "2010-03-14T10:00:01Z"
    };
    StringBuilder text = new StringBuilder();
    for (String t : times) {
      text.append(line("u", t, "37.77", "-122.42", "sf"));
    }
    Path file = write("dst.txt", text.toString());
    ZoneId la = ZoneId.of("America/Los_Angeles");
    CheckInDataset data = GowallaLoader.builder().zone(la).build().load(file).dataset();
    for (CheckIn c : data.checkIns()) {
      int expected = la.getRules().getOffset(c.utcTime()).getTotalSeconds() / 60;
      assertThat(c.utcOffsetMinutes()).as(c.utcTime().toString()).isEqualTo(expected);
    }
    assertThat(rows(data))
        .extracting(Row::offset)
        .containsExactly(-480, -480, -420, -420, -420, -420, -480);
    // Local times on either side of the spring switch: 01:59:59 PST, then 03:00:00 PDT.
    assertThat(data.checkIns().get(1).localTime().toString()).isEqualTo("2010-03-14T01:59:59");
    assertThat(data.checkIns().get(2).localTime().toString()).isEqualTo("2010-03-14T03:00");

    CheckInDataset fixed =
        GowallaLoader.builder().zone(ZoneOffset.ofHoursMinutes(5, 30)).build().load(file).dataset();
    assertThat(fixed.checkIns()).extracting(CheckIn::utcOffsetMinutes).containsOnly(330);
  }

  @Test
  void boundingBoxKeepsOnlyLinesInsideIt() throws IOException {
    String text =
        line("a", "2010-01-01T10:00:00Z", "37.7749", "-122.4194", "sf") // San Francisco
            + line("a", "2010-01-01T11:00:00Z", "30.2672", "-97.7431", "austin") // Texas
            + line("b", "2010-01-01T12:00:00Z", "32.7157", "-117.1611", "sd") // San Diego
            + line("c", "2010-01-01T13:00:00Z", "40.7128", "-74.0060", "nyc") // New York
            + line("b", "2010-01-01T14:00:00Z", "42.1", "-114.1", "corner"); // on the bound
    Path file = write("world.txt", text);
    LoadResult result =
        GowallaLoader.builder()
            .boundingBox(BoundingBox.CALIFORNIA)
            .build()
            .load(file, LoadOptions.strict());
    CheckInDataset data = result.dataset();
    assertThat(data.pois()).extracting(Poi::id).containsExactly("sf", "sd", "corner");
    // Users seen only outside the box are absent.
    assertThat(data.userIds()).containsExactly("a", "b");
    LoadReport report = result.report();
    assertThat(report.linesRead()).isEqualTo(5);
    assertThat(report.checkIns()).isEqualTo(3);
    assertThat(report.skippedLines()).isZero();
    // The lines left out by the box are the rest of the lines read.
    assertThat(report.linesRead() - report.checkIns() - report.blankLines()).isEqualTo(2);

    Path none = write("none.txt", line("c", "2010-01-01T13:00:00Z", "40.7", "-74.0", "nyc"));
    assertThatThrownBy(
            () -> GowallaLoader.builder().boundingBox(BoundingBox.CALIFORNIA).build().load(none))
        .hasMessageContaining("no valid check-in in 1 lines");
  }

  @Test
  void boundingBoxValidatesItsBounds() {
    assertThatThrownBy(() -> new BoundingBox(40, 30, -10, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("latitude bounds");
    assertThatThrownBy(() -> new BoundingBox(Double.NaN, 30, -10, 10))
        .hasMessageContaining("latitude bounds");
    assertThatThrownBy(() -> new BoundingBox(0, 10, -190, 10))
        .hasMessageContaining("longitude bounds");
    assertThatThrownBy(() -> new BoundingBox(0, 10, 10, -10))
        .hasMessageContaining("longitude bounds");
    BoundingBox box = new BoundingBox(0, 10, -5, 5);
    assertThat(box.contains(0, -5)).isTrue();
    assertThat(box.contains(10, 5)).isTrue();
    assertThat(box.contains(10.000001, 0)).isFalse();
    assertThat(box.contains(Double.NaN, 0)).isFalse();
  }

  @Test
  void categoriesComeFromTheSideTableOrAreUnknown() throws IOException {
    String text =
        line("1", "2010-01-01T10:00:00Z", "30.1", "-97.1", "100")
            + line("1", "2010-01-01T11:00:00Z", "30.2", "-97.2", "200")
            + line("2", "2010-01-01T12:00:00Z", "30.1", "-97.1", "100");
    Path file = write("cats.txt", text);
    GowallaLoader loader =
        GowallaLoader.builder()
            .categories(Map.of("100", new Category("c7", "Caf\u00e9")))
            .unknownCategory(new Category("none", "No category"))
            .build();
    LoadResult result = loader.load(file);
    assertThat(result.dataset().pois())
        .containsExactly(
            new Poi("100", "c7", "Caf\u00e9", 30.1, -97.1),
            new Poi("200", "none", "No category", 30.2, -97.2));
    assertThat(result.report().conflictingLines()).isZero();

    // The inner join of the STHGCN preprocessing: unlisted locations are left out.
    LoadResult listed =
        GowallaLoader.builder()
            .categories(Map.of("100", new Category("c7", "Caf\u00e9")))
            .onlyListedLocations(true)
            .build()
            .load(file);
    assertThat(listed.dataset().pois()).extracting(Poi::id).containsExactly("100");
    assertThat(listed.dataset().userIds()).containsExactly("1", "2");
    assertThat(listed.report().checkIns()).isEqualTo(2);
    assertThat(listed.report().skippedLines()).isZero();
    assertThatThrownBy(() -> GowallaLoader.builder().onlyListedLocations(true).build())
        .hasMessageContaining("non-empty category table");
    assertThatThrownBy(() -> new Category("", "x")).hasMessageContaining("category id");
    assertThatThrownBy(() -> GowallaLoader.builder().categories(Map.of("", new Category("c", "n"))))
        .hasMessageContaining("empty location id");
  }

  @Test
  void conflictingCoordinatesKeepTheFirstAndAreCounted() throws IOException {
    String text =
        line("1", "2010-01-01T10:00:00Z", "30.5", "-97.5", "p")
            + line("2", "2010-01-01T11:00:00Z", "30.50", "-97.5", "p") // same value, other text
            + line("3", "2010-01-01T12:00:00Z", "30.6", "-97.5", "p")
            + line("3", "2010-01-01T13:00:00Z", "30.5", "-97.7", "p")
            + line("3", "2010-01-01T14:00:00Z", "30.6", "-97.5", "q");
    LoadResult result = new GowallaLoader().load(write("conflict.txt", text));
    assertThat(result.dataset().poi(0))
        .isEqualTo(new Poi("p", "gowalla:unknown", "Unknown", 30.5, -97.5));
    assertThat(result.report().conflictingLines()).isEqualTo(2);
    assertThat(result.report().conflictingPois()).isEqualTo(1);
    assertThat(result.dataset().checkIns()).hasSize(5);
  }

  @Test
  void fieldBoundariesCannotShiftIntoEqualBytes() throws IOException {
    // "30.5" + "-97.5" and "30.5-" + "97.5" are the same bytes once joined: the second line must
    // still be parsed (and rejected), not taken for the first POI's attributes.
    String text =
        line("1", "2010-01-01T10:00:00Z", "30.5", "-97.5", "p")
            + line("1", "2010-01-01T11:00:00Z", "30.5-", "97.5", "p");
    assertThatThrownBy(() -> new GowallaLoader().load(write("shift.txt", text)))
        .hasMessageContaining(":2: latitude is not a number");
  }

  @Test
  void handlesCrlfByteOrderMarkAndMissingFinalNewline() throws IOException {
    String text =
        "\uFEFF" + SNAP_LINES.get(0).replace("\n", "\r\n") + SNAP_LINES.get(1).replace("\n", "");
    LoadResult result = new GowallaLoader().load(write("crlf.txt", text));
    assertThat(result.dataset().checkIns()).hasSize(2);
    assertThat(result.dataset().poi(0).longitude()).isEqualTo(-97.7951395833);
  }

  @Test
  void builderDefaultsAndValidation() {
    GowallaLoader loader = new GowallaLoader();
    assertThat(loader.zone()).isEqualTo(ZoneOffset.UTC);
    assertThat(loader.boundingBox()).isEmpty();
    assertThat(loader.categories()).isEmpty();
    assertThat(loader.unknownCategory()).isEqualTo(GowallaLoader.UNKNOWN_CATEGORY);
    assertThat(loader.onlyListedLocations()).isFalse();
    assertThatThrownBy(() -> GowallaLoader.builder().zone(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("zone");
  }

  @Test
  void readsTheSnapFileCutToCaliforniaWhenPresent() throws IOException {
    Path snap =
        Path.of(
            System.getProperty("refinepoi.shared.data", "missing"),
            "Gowalla",
            "loc-gowalla_totalCheckins.txt");
    assumeTrue(Files.isRegularFile(snap), "SNAP Gowalla file not found at " + snap + "; skipping");
    ZoneId la = ZoneId.of("America/Los_Angeles");
    LoadResult result =
        GowallaLoader.builder()
            .zone(la)
            .boundingBox(BoundingBox.CALIFORNIA)
            .build()
            .load(snap, LoadOptions.strict());
    assertThat(CheckInFormat.detect(snap)).isEqualTo(CheckInFormat.GOWALLA);
    assertThat(result.report().skippedLines()).isZero();
    assertThat(result.dataset().checkIns()).isNotEmpty();
    assertThat(result.dataset().checkIns())
        .extracting(CheckIn::utcOffsetMinutes)
        .containsOnly(-480, -420);
    assertThat(result.dataset().pois())
        .allMatch(p -> BoundingBox.CALIFORNIA.contains(p.latitude(), p.longitude()));
  }

  @Test
  void formatDetectionTellsGowallaFromTsmc() throws IOException {
    Path gowalla = write("g.data", String.join("", SNAP_LINES));
    Path tsmc = write("t.data", "1\tv\tc\tn\t40\t-74\t-240\tTue Apr 03 18:00:00 +0000 2012\n");
    // Five tab-separated fields without an ISO time in the second: not Gowalla.
    Path fiveFields = write("f.data", "1\tyesterday\t30\t-97\t1\n");
    assertThat(CheckInFormat.detect(gowalla)).isEqualTo(CheckInFormat.GOWALLA);
    assertThat(CheckInFormat.detect(tsmc)).isEqualTo(CheckInFormat.TSMC2014);
    assertThat(CheckInFormat.detect(fiveFields)).isEqualTo(CheckInFormat.TSMC2014);
    assertThat(CheckInFormat.GOWALLA.loader()).isInstanceOf(GowallaLoader.class);
    assertThat(CheckInFormat.loadAuto(gowalla, LoadOptions.strict()).dataset().checkIns())
        .hasSize(6);
  }
}
