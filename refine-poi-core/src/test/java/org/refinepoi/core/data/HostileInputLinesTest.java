package org.refinepoi.core.data;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.protocol.NextPoiProtocol;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.core.testing.SharedData;

/**
 * Check-in files as a careless or hostile user makes them (issue 14): stray quotes, endless lines,
 * duplicated files, odd numbers, invisible bytes in ids, compressed or UTF-16 files, layouts that a
 * first line misleads, a header naming a column twice. Nothing may be lost or made up silently.
 */
class HostileInputLinesTest {

  private static final String CSV_HEADER =
      "user_id,POI_id,POI_catid,POI_catname,latitude,longitude,timezone,UTC_time\n";

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, UTF_8);
  }

  private static String csv(int i) {
    return "u%d,p%d,c%d,Cat %d,40.%d,-74.%d,-240,2012-04-03 %02d:%02d:00+00:00\n"
        .formatted(i % 7, i % 11, i % 11, i % 11, i % 11, i % 11, (i / 60) % 24, i % 60);
  }

  private static String tsmc(String user, String poi, int minute) {
    return "%s\t%s\tc\tCafe\t40.5\t-74.5\t-240\tTue Apr 03 18:%02d:00 +0000 2012\n"
        .formatted(user, poi, minute);
  }

  private static String gowalla(String user, int minute, String location) {
    return "%s\t2010-10-19T23:%02d:27Z\t30.2\t-97.7\t%s\n".formatted(user, minute, location);
  }

  // Case 1: a stray quote costs its own line only, and the report names it.

  @Test
  void strayQuotesCostTheirOwnLinesOnly() throws IOException {
    StringBuilder text = new StringBuilder(CSV_HEADER);
    List<Long> stray = List.of(51L, 201L, 351L);
    for (int i = 0; i < 400; i++) {
      String row = csv(i);
      if (stray.contains(i + 2L)) {
        row = row.replace("Cat ", "Cat \"");
      }
      text.append(row);
    }
    Path file = write("stray.csv", text.toString());
    LoadReport report = new PreprocessedCsvLoader().load(file, LoadOptions.lenient()).report();
    assertThat(report.checkIns()).isEqualTo(397);
    assertThat(report.skippedLines()).isEqualTo(3);
    assertThat(report.problems()).extracting(LineProblem::lineNumber).isEqualTo(stray);
    assertThat(report.problems().getFirst().reason()).contains("a stray quote?");
    assertThat(report.linesRead())
        .isEqualTo(1 + report.checkIns() + report.skippedLines() + report.blankLines());
    assertThatThrownBy(() -> new PreprocessedCsvLoader().load(file))
        .isInstanceOf(MalformedInputLineException.class)
        .hasMessageStartingWith(file + ":51: ");
  }

  @Test
  void aQuotedLineBreakJoinsLinesAndTheReportSaysWhere() throws IOException {
    Path file =
        write(
            "joined.csv",
            CSV_HEADER
                + csv(0)
                + "u1,p9,c9,\"Two\nLines\",40.5,-74.5,-240,2012-04-03 10:00:00+00:00\n"
                + csv(2));
    LoadReport report = new PreprocessedCsvLoader().load(file).report();
    assertThat(report.checkIns()).isEqualTo(3);
    assertThat(report.joinedLines()).isEqualTo(1);
    assertThat(report.multiLineRecords()).containsExactly(3L);
    assertThat(report.summary()).contains("1 lines joined").contains("line 3");
  }

  @Test
  void threeStrayQuotesInTheRealValidationFileCostThreeLines() throws IOException {
    List<String> lines = Files.readAllLines(SharedData.nyc("NYC_val.csv"), UTF_8);
    Path clean = write("clean.csv", String.join("\n", lines) + "\n");
    long expected = new PreprocessedCsvLoader().load(clean).report().checkIns();
    for (int at : new int[] {100, 2000, 7000}) {
      lines.set(at, lines.get(at).replaceFirst(",", ",\""));
    }
    Path broken = write("broken.csv", String.join("\n", lines) + "\n");
    LoadReport report = new PreprocessedCsvLoader().load(broken, LoadOptions.lenient()).report();
    assertThat(report.skippedLines()).isEqualTo(3);
    assertThat(report.checkIns()).isEqualTo(expected - 3);
    assertThat(report.problems())
        .extracting(LineProblem::lineNumber)
        .containsExactly(101L, 2001L, 7001L);
  }

  // Case 8: line length is capped with a message naming file and line.

  @Test
  void anEndlessLineIsMalformedNotAnOutOfMemoryError() throws IOException {
    Path file = dir.resolve("long.tsv");
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(tsmc("1", "v1", 1).getBytes(UTF_8));
      byte[] junk = new byte[1 << 20];
      java.util.Arrays.fill(junk, (byte) 'x');
      for (int i = 0; i <= CheckInLoader.MAX_LINE_BYTES >> 20; i++) {
        out.write(junk);
      }
      out.write('\n');
      out.write(tsmc("2", "v2", 2).getBytes(UTF_8));
    }
    assertThatThrownBy(() -> new Tsmc2014Loader().load(file))
        .isInstanceOf(MalformedInputLineException.class)
        .hasMessageStartingWith(file + ":2: line is longer than " + CheckInLoader.MAX_LINE_BYTES);
    LoadReport report = new Tsmc2014Loader().load(file, LoadOptions.lenient()).report();
    assertThat(report.checkIns()).isEqualTo(2);
    assertThat(report.linesRead()).isEqualTo(3);
    assertThat(report.problems()).extracting(LineProblem::lineNumber).containsExactly(2L);
  }

  @Test
  void theReaderKeepsItsBufferBoundedOnAnEndlessLine() throws IOException {
    byte[] text = ("a\n" + "y".repeat(10_000) + "\nb").getBytes(UTF_8);
    try (ByteLineReader reader =
        new ByteLineReader(new java.io.ByteArrayInputStream(text), "mem", 100)) {
      assertThat(reader.next()).isTrue();
      assertThat(reader.problem()).isNull();
      assertThat(reader.next()).isTrue();
      assertThat(reader.problem()).contains("longer than 100 bytes");
      assertThat(reader.buffer().length).isLessThan(10_000);
      assertThat(reader.next()).isTrue();
      assertThat(new String(reader.buffer(), reader.lineStart(), 1, UTF_8)).isEqualTo("b");
      assertThat(reader.lineNumber()).isEqualTo(3);
    }
  }

  // Case 11: exact duplicates are counted, and the protocol may drop them.

  @Test
  void exactDuplicatesAreCountedAndTheProtocolMayDropThem() throws IOException {
    StringBuilder once = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      once.append(tsmc("1", "v" + (i % 2), i)).append(tsmc("2", "v" + (i % 2), i));
    }
    Path file = write("twice.tsv", once.toString() + once);
    LoadResult loaded = new Tsmc2014Loader().load(file);
    assertThat(loaded.report().checkIns()).isEqualTo(48);
    assertThat(loaded.report().duplicateCheckIns()).isEqualTo(24);
    assertThat(loaded.report().summary()).contains("24 exact duplicate check-ins");
    ProtocolConfig base =
        ProtocolConfig.builder().minCheckInsPerUser(1).minCheckInsPerPoi(1).build();
    assertThat(NextPoiProtocol.prepare(loaded.dataset(), base).dataset().checkIns()).hasSize(48);
    assertThat(
            NextPoiProtocol.prepare(
                    loaded.dataset(), base.toBuilder().dropDuplicateCheckIns(true).build())
                .dataset()
                .checkIns())
        .hasSize(24);
  }

  @Test
  void theRealNycFileTwiceHasAllItsLinesAsDuplicates() throws IOException {
    Path nyc = SharedData.nyc("checkins_NYC.tsv");
    LoadReport single = new Tsmc2014Loader().load(nyc).report();
    Path twice = dir.resolve("nyc-twice.tsv");
    byte[] bytes = Files.readAllBytes(nyc);
    try (OutputStream out = Files.newOutputStream(twice)) {
      out.write(bytes);
      out.write(bytes);
    }
    LoadReport report = new Tsmc2014Loader().load(twice).report();
    assertThat(report.checkIns()).isEqualTo(2 * single.checkIns());
    assertThat(report.duplicateCheckIns())
        .isEqualTo(single.checkIns() + single.duplicateCheckIns());
  }

  // Case 12: numbers and times that only look like numbers and times.

  @Test
  void offsetsAndTimesThatAreNotNumbersAreRefused() {
    for (String offset : new String[] {"+.", "-.0", "5.", ".0", "+", "-"}) {
      byte[] b = offset.getBytes(UTF_8);
      assertThatThrownBy(() -> FieldParsing.parseOffsetMinutes(b, 0, b.length))
          .as(offset)
          .isInstanceOf(BadFieldException.class);
    }
    for (String ok : new String[] {"-240", "-240.0", "+60.00", "0"}) {
      byte[] b = ok.getBytes(UTF_8);
      assertThat(parses(() -> FieldParsing.parseOffsetMinutes(b, 0, b.length))).as(ok).isTrue();
    }
    for (String time :
        new String[] {
          "2012-11-09 21:54:47.+00:00", "0000-01-01 00:00:00", "0000-03-01T12:00:00Z"
        }) {
      byte[] b = time.getBytes(UTF_8);
      assertThatThrownBy(() -> FieldParsing.parseIsoTime(b, 0, b.length))
          .as(time)
          .isInstanceOf(BadFieldException.class);
    }
    byte[] year0 = "Sat Jan 01 00:00:00 +0000 0000".getBytes(UTF_8);
    assertThatThrownBy(() -> FieldParsing.parseTsmcTime(year0, 0, year0.length))
        .isInstanceOf(BadFieldException.class);
    byte[] fraction = "2012-11-09 21:54:47.250+00:00".getBytes(UTF_8);
    assertThat(parses(() -> FieldParsing.parseIsoTime(fraction, 0, fraction.length))).isTrue();
  }

  private interface Parse {
    void run() throws BadFieldException;
  }

  private static boolean parses(Parse p) {
    try {
      p.run();
      return true;
    } catch (BadFieldException e) {
      return false;
    }
  }

  // Case 13: invisible bytes never make phantom users or POIs.

  @Test
  void invisibleBytesInIdsAreMalformedNotNewUsersOrPois() throws IOException {
    String good = tsmc("1", "v1", 1) + tsmc("2", "v1", 2);
    String bom = "\uFEFF" + tsmc("1", "v1", 3); // a second file concatenated, with its BOM
    String nul = tsmc("1\0", "v1", 4);
    String spaceUser = tsmc(" 2", "v1", 5);
    String spacePoi = tsmc("2", "v1 ", 6);
    Path file = write("ids.tsv", good + bom + nul + spaceUser + spacePoi);
    LoadResult lenient = new Tsmc2014Loader().load(file, LoadOptions.lenient());
    assertThat(lenient.dataset().userIds()).containsExactly("1", "2");
    assertThat(lenient.dataset().pois()).extracting(Poi::id).containsExactly("v1");
    assertThat(lenient.report().problems())
        .extracting(LineProblem::lineNumber)
        .containsExactly(3L, 4L, 5L, 6L);
    assertThat(lenient.report().problems().get(0).reason()).contains("byte-order mark");
    assertThat(lenient.report().problems().get(1).reason()).contains("control character");
    assertThat(lenient.report().problems().get(2).reason()).contains("leading or trailing space");
    assertThatThrownBy(() -> new Tsmc2014Loader().load(file))
        .hasMessageStartingWith(file + ":3: byte-order mark");
    Path csv = write("ids.csv", CSV_HEADER + csv(0) + csv(1).replace("u1,", "u1\0,"));
    assertThatThrownBy(() -> new PreprocessedCsvLoader().load(csv))
        .hasMessageStartingWith(csv + ":3: user id contains a control character");
    Path snap = write("ids.txt", gowalla("1", 1, "9") + gowalla("1", 2, "9\0"));
    assertThatThrownBy(() -> new GowallaLoader().load(snap))
        .hasMessageStartingWith(snap + ":2: location id contains a control character");
  }

  // Case 16: the layout is told from more than one line; compressed and UTF-16 files say so.

  @Test
  void theLayoutIsToldFromSeveralLines() throws IOException {
    StringBuilder snap = new StringBuilder("\n").append("not\ta\tgowalla\tline\n");
    for (int i = 0; i < 10; i++) {
      snap.append(gowalla(String.valueOf(i % 3), i, "l" + (i % 4)));
    }
    Path file = write("snap.txt", snap.toString());
    assertThat(CheckInFormat.detect(file)).isEqualTo(CheckInFormat.GOWALLA);
    LoadReport report = CheckInFormat.loadAuto(file, LoadOptions.lenient()).report();
    assertThat(report.checkIns()).isEqualTo(10);
    assertThat(report.skippedLines()).isEqualTo(1);
    Path tsmcFile = write("blank-first.tsv", "\n\n" + tsmc("1", "v1", 1));
    assertThat(CheckInFormat.detect(tsmcFile)).isEqualTo(CheckInFormat.TSMC2014);
    Path csvFile = write("blank-first.csv", "\n" + CSV_HEADER + csv(0));
    assertThat(CheckInFormat.detect(csvFile)).isEqualTo(CheckInFormat.PREPROCESSED_CSV);
    assertThat(CheckInFormat.loadAuto(csvFile, LoadOptions.strict()).report().checkIns())
        .isEqualTo(1);
  }

  @Test
  void compressedAndUtf16FilesAreNamedAsSuch() throws IOException {
    String text = tsmc("1", "v1", 1) + tsmc("2", "v1", 2);
    Path gz = dir.resolve("checkins.tsv.gz");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(UTF_8));
    }
    Files.write(gz, bytes.toByteArray());
    Path utf16 = dir.resolve("checkins-utf16.tsv");
    Files.write(utf16, text.getBytes(StandardCharsets.UTF_16));
    Path utf16le = dir.resolve("checkins-utf16le.tsv");
    Files.write(utf16le, text.getBytes(StandardCharsets.UTF_16LE));
    for (CheckInLoader loader :
        new CheckInLoader[] {
          new Tsmc2014Loader(), new PreprocessedCsvLoader(), new GowallaLoader()
        }) {
      assertThatThrownBy(() -> loader.load(gz, LoadOptions.lenient()))
          .isInstanceOf(MalformedInputLineException.class)
          .hasMessageStartingWith(gz + ":1: the file is gzip-compressed");
      for (Path file : List.of(utf16, utf16le)) {
        assertThatThrownBy(() -> loader.load(file, LoadOptions.lenient()))
            .isInstanceOf(MalformedInputLineException.class)
            .hasMessageContaining("wrong encoding: the file is UTF-16");
      }
    }
    assertThatThrownBy(() -> CheckInFormat.detect(gz)).hasMessageContaining("gzip-compressed");
    assertThatThrownBy(() -> CheckInFormat.detect(utf16)).hasMessageContaining("UTF-16");
  }

  // Case 19: a header naming a required column twice.

  @Test
  void aHeaderWithARequiredColumnTwiceIsRefused() throws IOException {
    Path file =
        write(
            "twice.csv",
            "user_id,POI_id,POI_catid,POI_catname,latitude,longitude,timezone,UTC_time,POI_id\n"
                + csv(0).strip()
                + ",other\n");
    assertThatThrownBy(() -> new PreprocessedCsvLoader().load(file, LoadOptions.lenient()))
        .isInstanceOf(MalformedInputLineException.class)
        .hasMessageStartingWith(file + ":1: the header has column 'POI_id' twice (fields 2 and 9)");
  }

  /** Every physical line is accounted for, in every layout, whatever the mix of bad lines. */
  @Test
  void everyLineIsAccountedFor() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      lines.add(
          i % 5 == 0 ? "garbage \" line " + i + "\n" : i % 7 == 0 ? "\n" : tsmc("u" + i, "v", i));
    }
    Path file = write("mix.tsv", String.join("", lines));
    LoadReport r = new Tsmc2014Loader().load(file, LoadOptions.lenient()).report();
    assertThat(r.linesRead()).isEqualTo(30);
    assertThat(r.checkIns() + r.skippedLines() + r.blankLines()).isEqualTo(30);
  }
}
