package org.refinepoi.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Tsmc2014LoaderTest {

  private static final DateTimeFormatter TSMC_TIME =
      DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss Z yyyy", Locale.US);

  @TempDir Path dir;

  private static String line(
      String user, String venue, String cat, String name, String lat, String lon, String time) {
    return String.join("\t", user, venue, cat, name, lat, lon, "-240", time) + "\n";
  }

  private static final String T1 = "Tue Apr 03 18:00:00 +0000 2012";
  private static final String T2 = "Tue Apr 03 18:02:00 +0000 2012";
  private static final String T3 = "Wed Apr 04 09:15:30 +0000 2012";

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private static long epoch(String time) {
    return ZonedDateTime.parse(time, TSMC_TIME).toEpochSecond();
  }

  @Test
  void loadsUsersPoisAndCheckInsInFirstAppearanceOrder() throws IOException {
    Path file =
        write(
            "ok.tsv",
            line("470", "v1", "c1", "Arts & Crafts Store", "40.71981038", "-74.00258103", T1)
                + line("979", "v2", "c2", "Bridge", "40.60679958", "-74.04416981", T2)
                + line("470", "v2", "c2", "Bridge", "40.60679958", "-74.04416981", T3));
    LoadResult result = new Tsmc2014Loader().load(file);
    CheckInDataset data = result.dataset();
    assertThat(data.userIds()).containsExactly("470", "979");
    assertThat(data.pois())
        .containsExactly(
            new Poi("v1", "c1", "Arts & Crafts Store", 40.71981038, -74.00258103),
            new Poi("v2", "c2", "Bridge", 40.60679958, -74.04416981));
    assertThat(data.checkIns())
        .containsExactly(
            new CheckIn(0, 0, epoch(T1), -240),
            new CheckIn(1, 1, epoch(T2), -240),
            new CheckIn(0, 1, epoch(T3), -240));
    assertThat(data.name()).isEqualTo("ok.tsv");
    LoadReport report = result.report();
    assertThat(report.linesRead()).isEqualTo(3);
    assertThat(report.checkIns()).isEqualTo(3);
    assertThat(report.skippedLines()).isZero();
    assertThat(report.latin1Lines()).isZero();
    assertThat(report.conflictingLines()).isZero();
  }

  @Test
  void timeParsingAgreesWithJavaTimeIncludingZoneOffsets() throws IOException {
    String east = "Sat Feb 29 23:59:59 +0530 2020";
    String west = "Thu Dec 31 00:00:00 -0800 2015";
    Path file =
        write(
            "times.tsv",
            line("1", "v", "c", "n", "0", "0", east) + line("1", "v", "c", "n", "0", "0", west));
    CheckInDataset data = new Tsmc2014Loader().load(file).dataset();
    assertThat(data.checkIns())
        .extracting(CheckIn::utcEpochSecond)
        .containsExactly(epoch(west), epoch(east));
  }

  @Test
  void strictLoadNamesFileLineAndReason() throws IOException {
    Path file =
        write(
            "bad.tsv",
            line("1", "v1", "c1", "n", "40", "-74", T1)
                + "1\tv1\tc1\tn\t40\t-74\t-240\n"
                + line("2", "v2", "c2", "n", "40", "-74", T2));
    assertThatThrownBy(() -> new Tsmc2014Loader().load(file))
        .isInstanceOfSatisfying(
            MalformedInputLineException.class,
            e -> {
              assertThat(e.lineNumber()).isEqualTo(2);
              assertThat(e.file()).isEqualTo(file.toString());
              assertThat(e.reason()).contains("expected 8 tab-separated fields, found 7");
            })
        .hasMessageStartingWith(file + ":2: ");
  }

  @Test
  void lenientLoadSkipsCountsAndListsMalformedLines() throws IOException {
    StringBuilder text = new StringBuilder();
    text.append(line("1", "v1", "c1", "n", "40", "-74", T1)); // 1 ok
    text.append(line("1", "v1", "c1", "n", "40", "-74", "yesterday")); // 2 bad time
    text.append(line("2", "v2", "c2", "n", "NaN", "-74", T2)); // 3 NaN
    text.append(line("3", "v3", "c3", "n", "40", "-200", T2)); // 4 longitude out of range
    text.append(line("4", "v4", "c4", "n", "40", "-74", T3).replace("-240", "x")); // 5 offset
    text.append(line("2", "v1", "c1", "n", "40", "-74", T3)); // 6 ok
    Path file = write("mixed.tsv", text.toString());

    LoadResult result = new Tsmc2014Loader().load(file, LoadOptions.lenient());
    LoadReport report = result.report();
    assertThat(report.skippedLines()).isEqualTo(4);
    assertThat(report.checkIns()).isEqualTo(2);
    assertThat(report.problems())
        .extracting(LineProblem::lineNumber)
        .containsExactly(2L, 3L, 4L, 5L);
    assertThat(report.problems().get(0).reason()).contains("time is not like");
    assertThat(report.problems().get(1).reason()).contains("latitude").contains("NaN");
    assertThat(report.problems().get(2).reason()).contains("longitude out of range");
    assertThat(report.problems().get(3).reason()).contains("UTC offset is not an integer");
    assertThat(report.summary()).contains("4 malformed lines skipped").contains("line 3:");
    // Rejected lines leave no user or POI behind.
    assertThat(result.dataset().userIds()).containsExactly("1", "2");
    assertThat(result.dataset().pois()).extracting(Poi::id).containsExactly("v1");

    LoadReport capped =
        new Tsmc2014Loader().load(file, LoadOptions.lenient().withMaxReportedProblems(1)).report();
    assertThat(capped.skippedLines()).isEqualTo(4);
    assertThat(capped.problems()).hasSize(1);
    assertThat(capped.summary()).contains("and 3 more");
  }

  @Test
  void nanAndOutOfRangeCoordinatesAreRejectedWithTheirLine() throws IOException {
    Path nan = write("nan.tsv", line("1", "v1", "c", "n", "NaN", "-74", T1));
    assertThatThrownBy(() -> new Tsmc2014Loader().load(nan))
        .isInstanceOf(MalformedInputLineException.class)
        .hasMessageContaining(":1: ")
        .hasMessageContaining("latitude");
    Path far =
        write(
            "far.tsv",
            line("1", "v1", "c", "n", "40", "-74", T1) + line("1", "v2", "c", "n", "91", "0", T1));
    assertThatThrownBy(() -> new Tsmc2014Loader().load(far))
        .hasMessageContaining(":2: latitude out of range [-90, 90]: 91.0");
    Path infinite = write("inf.tsv", line("1", "v1", "c", "n", "40", "Infinity", T1));
    assertThatThrownBy(() -> new Tsmc2014Loader().load(infinite))
        .hasMessageContaining(":1: longitude is not a number");
  }

  @Test
  void rejectsImpossibleDatesAndWrongWeekdays() throws IOException {
    for (String time :
        new String[] {
          "Tue Apr 31 18:00:00 +0000 2012", // April has 30 days
          "Wed Apr 03 18:00:00 +0000 2012", // 2012-04-03 was a Tuesday
          "Tue Apr 03 24:00:00 +0000 2012",
          "Tue Xyz 03 18:00:00 +0000 2012",
          "Tue Apr 03 18:00:00 0000 2012",
          "2012-04-03 18:00:00"
        }) {
      Path file = write("d.tsv", line("1", "v", "c", "n", "0", "0", time));
      assertThatThrownBy(() -> new Tsmc2014Loader().load(file))
          .as(time)
          .isInstanceOf(MalformedInputLineException.class)
          .hasMessageContaining(":1: ");
    }
  }

  @Test
  void decodesLatin1LinesAndUtf8Lines() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(
        line("1", "v1", "c1", "Caf\u00e9", "40", "-74", T1).getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes(
        line("2", "v2", "c2", "Caf\u00e9 Cr\u00e8me", "40", "-74", T2)
            .getBytes(StandardCharsets.ISO_8859_1));
    // The same POI in Latin-1 is the same name, not a conflict.
    bytes.writeBytes(
        line("2", "v1", "c1", "Caf\u00e9", "40", "-74", T3).getBytes(StandardCharsets.ISO_8859_1));
    Path file = Files.write(dir.resolve("enc.tsv"), bytes.toByteArray());
    LoadResult result = new Tsmc2014Loader().load(file);
    assertThat(result.dataset().pois())
        .extracting(Poi::categoryName)
        .containsExactly("Caf\u00e9", "Caf\u00e9 Cr\u00e8me");
    assertThat(result.report().latin1Lines()).isEqualTo(2);
    assertThat(result.report().conflictingLines()).isZero();
  }

  @Test
  void conflictingPoiAttributesKeepTheFirstAndAreCounted() throws IOException {
    Path file =
        write(
            "conflict.tsv",
            line("1", "v1", "c1", "Bar", "40.5", "-74.5", T1)
                + line("2", "v1", "c1", "Bar", "40.50", "-74.5", T2) // same value, other text
                + line("2", "v1", "c1", "Pub", "40.5", "-74.5", T2)
                + line("3", "v1", "c1", "Bar", "41", "-74.5", T3)
                + line("3", "v2", "c1", "Bar", "41", "-74.5", T3));
    LoadResult result = new Tsmc2014Loader().load(file);
    assertThat(result.dataset().poi(0)).isEqualTo(new Poi("v1", "c1", "Bar", 40.5, -74.5));
    assertThat(result.report().conflictingLines()).isEqualTo(2);
    assertThat(result.report().conflictingPois()).isEqualTo(1);
    assertThat(result.dataset().checkIns()).hasSize(5);
    assertThat(result.report().summary()).contains("2 lines with POI attributes differing");
  }

  @Test
  void handlesCrlfBlankLinesMissingFinalNewlineAndByteOrderMark() throws IOException {
    String text =
        "\uFEFF"
            + line("1", "v1", "c1", "n", "40", "-74", T1).replace("\n", "\r\n")
            + "\n"
            + line("1", "v1", "c1", "n", "40", "-74", T2).replace("\n", "");
    Path file = write("crlf.tsv", text);
    LoadResult result = new Tsmc2014Loader().load(file);
    assertThat(result.dataset().userIds()).containsExactly("1");
    assertThat(result.dataset().checkIns()).hasSize(2);
    assertThat(result.report().blankLines()).isEqualTo(1);
    assertThat(result.report().linesRead()).isEqualTo(3);
  }

  @Test
  void readsLinesLongerThanTheReadBuffer() throws IOException {
    String longName = "x".repeat(3 << 20);
    Path file =
        write(
            "long.tsv",
            line("1", "v1", "c1", longName, "40", "-74", T1)
                + line("2", "v2", "c2", "short", "40", "-74", T2));
    CheckInDataset data = new Tsmc2014Loader().load(file).dataset();
    assertThat(data.poi(0).categoryName()).hasSize(3 << 20);
    assertThat(data.poi(1).categoryName()).isEqualTo("short");
  }

  @Test
  void fileWithoutValidCheckInsIsAnError() throws IOException {
    Path empty = write("empty.tsv", "");
    assertThatThrownBy(() -> new Tsmc2014Loader().load(empty))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no valid check-in");
    Path garbage = write("garbage.tsv", "hello\nworld\n");
    assertThatThrownBy(() -> new Tsmc2014Loader().load(garbage, LoadOptions.lenient()))
        .hasMessageContaining("no valid check-in in 2 lines (2 malformed");
  }

  @Test
  void optionsAndReportValidateTheirArguments() {
    assertThatThrownBy(() -> LoadOptions.strict().withMaxReportedProblems(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxReportedProblems");
    assertThat(LoadOptions.strict().skipMalformed()).isFalse();
    assertThat(LoadOptions.lenient().skipMalformed()).isTrue();
    assertThatThrownBy(() -> new LineProblem(0, "x")).hasMessageContaining("1-based");
  }
}
