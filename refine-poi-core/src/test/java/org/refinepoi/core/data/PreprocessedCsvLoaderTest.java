package org.refinepoi.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessedCsvLoaderTest {

  private static final String HEADER =
      "user_id,POI_id,POI_catid,POI_catid_code,POI_catname,latitude,longitude,timezone,UTC_time,"
          + "local_time,day_of_week,norm_in_day_time,trajectory_id,norm_day_shift,"
          + "norm_relative_time\n";

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private static String row(String user, String poi, String catName, String utc) {
    return user
        + ","
        + poi
        + ",4bf58dd8d48988d11e941735,58,"
        + catName
        + ",40.965,-74.062,-300,"
        + utc
        + ",2012-11-09 16:54:47+00:00,4,0.6875,"
        + user
        + "_41,0,0.6875\n";
  }

  private static long epoch(String iso) {
    return OffsetDateTime.parse(iso.replace(' ', 'T')).toEpochSecond();
  }

  @Test
  void readsColumnsByHeaderNameWithRfc4180Quoting() throws IOException {
    Path file =
        write(
            "val.csv",
            HEADER
                + row("185", "p1", "Bar", "2012-11-09 21:54:47+00:00")
                + row("185", "p2", "\"Food, Drink\"", "2012-11-09 22:01:31+00:00")
                + row("488", "p3", "\"The \"\"Best\"\" Diner\"", "2012-11-09 23:00:00+00:00")
                + row("488", "p4", "\"Two\nLines\"", "2012-11-10 01:00:00+00:00")
                + row("488", "p1", "Bar", "2012-11-10 02:00:00+00:00"));
    LoadResult result = new PreprocessedCsvLoader().load(file);
    CheckInDataset data = result.dataset();
    assertThat(data.userIds()).containsExactly("185", "488");
    assertThat(data.pois())
        .extracting(Poi::categoryName)
        .containsExactly("Bar", "Food, Drink", "The \"Best\" Diner", "Two\nLines");
    assertThat(data.poi(0))
        .isEqualTo(new Poi("p1", "4bf58dd8d48988d11e941735", "Bar", 40.965, -74.062));
    assertThat(data.checkIns().get(0))
        .isEqualTo(new CheckIn(0, 0, epoch("2012-11-09 21:54:47+00:00"), -300));
    assertThat(data.checkIns()).hasSize(5);
    // The quoted line break makes the file one physical line longer than its records.
    assertThat(result.report().linesRead()).isEqualTo(7);
  }

  @Test
  void columnOrderDoesNotMatterAndExtraColumnsAreIgnored() throws IOException {
    Path file =
        write(
            "reordered.csv",
            "UTC_time,extra,timezone,longitude,latitude,POI_catname,POI_catid,POI_id,user_id\n"
                + "2012-04-03 18:00:00Z,x,-240,-74.5,40.5,Bar,c1,p9,u7\n"
                + "2012-04-03T19:00:00.250-04:00,y,-240,-74.5,40.5,Bar,c1,p9,u7\n"
                + "2012-04-03 20:00:00,y,-240,-74.5,40.5,Bar,c1,p9,u7\n");
    CheckInDataset data = new PreprocessedCsvLoader().load(file).dataset();
    assertThat(data.userIds()).containsExactly("u7");
    assertThat(data.checkIns())
        .extracting(CheckIn::utcEpochSecond)
        .containsExactly(
            epoch("2012-04-03 18:00:00Z"),
            epoch("2012-04-03 20:00:00Z"),
            epoch("2012-04-03 23:00:00Z"));
  }

  @Test
  void missingColumnIsReportedAtLineOne() throws IOException {
    Path file = write("nohead.csv", "user_id,POI_id,latitude\n1,2,3\n");
    assertThatThrownBy(() -> new PreprocessedCsvLoader().load(file))
        .isInstanceOf(MalformedInputLineException.class)
        .hasMessageStartingWith(file + ":1: ")
        .hasMessageContaining("missing column(s) [POI_catid, POI_catname, longitude");
  }

  @Test
  void malformedRecordsNameTheirLine() throws IOException {
    String text =
        HEADER
            + row("1", "p1", "Bar", "2012-11-09 21:54:47+00:00") // line 2
            + "1,p1,only,three\n" // line 3: wrong field count
            + row("1", "p1", "Bar", "2012-13-09 21:54:47+00:00") // line 4: month 13
            + row("1", "p1", "\"Bar\"x", "2012-11-09 21:54:47+00:00") // line 5: junk after quote
            + row("1", "p1", "Bar", "2012-11-09 21:54:47+00:00").replace("40.965", "nan") // 6
            + row("2", "p2", "\"never closed", "2012-11-09 21:54:47+00:00"); // line 7
    Path file = write("bad.csv", text);
    assertThatThrownBy(() -> new PreprocessedCsvLoader().load(file))
        .hasMessageStartingWith(file + ":3: expected 15 comma-separated fields");
    LoadReport report = new PreprocessedCsvLoader().load(file, LoadOptions.lenient()).report();
    assertThat(report.problems())
        .extracting(LineProblem::lineNumber)
        .containsExactly(3L, 4L, 5L, 6L, 7L);
    assertThat(report.problems().get(1).reason()).contains("invalid date");
    assertThat(report.problems().get(2).reason()).contains("after the closing quote");
    assertThat(report.problems().get(3).reason()).contains("latitude is not a number");
    assertThat(report.problems().get(4).reason()).contains("unterminated quoted field");
    assertThat(report.checkIns()).isEqualTo(1);
  }

  @Test
  void emptyFileIsRefused() throws IOException {
    Path file = write("empty.csv", "");
    assertThatThrownBy(() -> new PreprocessedCsvLoader().load(file))
        .hasMessageContaining(":1: empty file");
  }

  @Test
  void formatDetectionLooksAtTheFirstLine() throws IOException {
    Path csv = write("a.data", HEADER + row("1", "p", "Bar", "2012-11-09 21:54:47+00:00"));
    Path tsv = write("b.data", "1\tv\tc\tn\t40\t-74\t-240\tTue Apr 03 18:00:00 +0000 2012\n");
    Path other = write("c.data", "hello world\n");
    assertThat(CheckInFormat.detect(csv)).isEqualTo(CheckInFormat.PREPROCESSED_CSV);
    assertThat(CheckInFormat.detect(tsv)).isEqualTo(CheckInFormat.TSMC2014);
    assertThatThrownBy(() -> CheckInFormat.detect(other)).hasMessageContaining("cannot tell");
    assertThat(CheckInFormat.loadAuto(csv, LoadOptions.strict()).dataset().checkIns()).hasSize(1);
    assertThat(CheckInFormat.loadAuto(tsv, LoadOptions.strict()).dataset().checkIns()).hasSize(1);
  }
}
