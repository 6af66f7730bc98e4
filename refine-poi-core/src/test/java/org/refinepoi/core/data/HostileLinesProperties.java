package org.refinepoi.core.data;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.refinepoi.core.testing.Scratch;

/**
 * Check-in files of each layout with malformed lines among valid ones, the malformed lines made by
 * hostile edits of valid ones (separators, quotes, NUL and other control bytes, byte-order marks,
 * stray signs and points, cut or repeated fields, bytes that are not UTF-8). Whatever the edits: a
 * lenient load accounts for every physical line and keeps every valid one; a strict load succeeds
 * or names the file and one of the edited lines; nothing else is ever thrown.
 */
class HostileLinesProperties {

  /** The valid line {@code i} of a layout: distinct times, POIs whose attributes never change. */
  private static String tsmc(int i) {
    return "u%d\tv%d\tc%d\tCafé %d\t40.%d\t-74.%d\t-240\tTue Apr 03 %02d:%02d:00 +0000 2012"
        .formatted(i % 5, i % 4, i % 4, i % 4, i % 4, i % 4, (i / 60) % 24, i % 60);
  }

  private static String csv(int i) {
    return "u%d,p%d,c%d,\"Food, %d\",40.%d,-74.%d,-240,2012-04-03 %02d:%02d:00+00:00"
        .formatted(i % 5, i % 4, i % 4, i % 4, i % 4, i % 4, (i / 60) % 24, i % 60);
  }

  private static String gowalla(int i) {
    return "u%d\t2010-10-19T%02d:%02d:27Z\t30.%d\t-97.%d\tl%d"
        .formatted(i % 5, (i / 60) % 24, i % 60, i % 4, i % 4, i % 4);
  }

  private static final String CSV_HEADER =
      "user_id,POI_id,POI_catid,POI_catname,latitude,longitude,timezone,UTC_time";

  /** Bytes a hostile edit inserts or writes over a field. */
  private static final List<byte[]> SNIPPETS =
      List.of(
          bytes("\t"),
          bytes(","),
          bytes("\""),
          bytes("\"\""),
          new byte[] {0},
          new byte[] {0x7F},
          bytes("\r"),
          bytes(" "),
          bytes("."),
          bytes("-"),
          bytes("+."),
          bytes("e9"),
          bytes("NaN"),
          bytes("\uFEFF"),
          new byte[] {(byte) 0xE9},
          new byte[] {(byte) 0xC3},
          bytes("99999999999"),
          bytes("0000"));

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  /** One edit of a line. */
  private record Edit(int kind, double at, double length, int snippet) {

    byte[] apply(byte[] line) {
      int n = line.length;
      int pos = Math.min(n, (int) (at * (n + 1)));
      byte[] s = SNIPPETS.get(snippet % SNIPPETS.size());
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      switch (kind) {
        case 0 -> { // insert
          out.write(line, 0, pos);
          out.writeBytes(s);
          out.write(line, pos, n - pos);
        }
        case 1 -> { // overwrite a range with the snippet
          int end = Math.min(n, pos + (int) (length * 12));
          out.write(line, 0, pos);
          out.writeBytes(s);
          out.write(line, end, n - end);
        }
        case 2 -> { // delete a range
          int end = Math.min(n, pos + 1 + (int) (length * 12));
          out.write(line, 0, pos);
          out.write(line, end, n - end);
        }
        case 3 -> out.write(line, 0, pos); // cut short
        default -> { // repeat a range
          int end = Math.min(n, pos + 1 + (int) (length * 12));
          out.write(line, 0, end);
          out.write(line, pos, n - pos);
        }
      }
      return out.toByteArray();
    }
  }

  /** A file's lines: valid ones, and edited copies at the indices in {@code edited}. */
  private record Case(List<byte[]> lines, Set<Integer> edited) {}

  private static Arbitrary<Case> cases(IntFunction<String> valid) {
    return cases(valid, 1);
  }

  /** Files whose lines are each left valid with weight {@code keep} against 1 for an edit. */
  private static Arbitrary<Case> cases(IntFunction<String> valid, int keep) {
    Arbitrary<Edit> edit =
        Combinators.combine(
                Arbitraries.integers().between(0, 4),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, SNIPPETS.size() - 1))
            .as(Edit::new);
    Arbitrary<List<Edit>> lineEdits =
        Arbitraries.frequencyOf(
            Tuple.of(keep, Arbitraries.just(List.<Edit>of())),
            Tuple.of(1, edit.list().ofMinSize(1).ofMaxSize(3)));
    Arbitrary<List<List<Edit>>> editsPerLine = lineEdits.list().ofMinSize(2).ofMaxSize(40);
    return editsPerLine.map(
        perLine -> {
          List<byte[]> lines = new ArrayList<>();
          Set<Integer> edited = new TreeSet<>();
          for (int i = 0; i < perLine.size(); i++) {
            byte[] line = bytes(valid.apply(i));
            // The first line stays valid: a file whose first bytes are edited may rightly be
            // refused as a whole (UTF-16 looks like that), and one valid line keeps the load
            // from failing for want of any.
            if (i > 0 && !perLine.get(i).isEmpty()) {
              for (Edit e : perLine.get(i)) {
                line = e.apply(line);
              }
              if (!Arrays.equals(line, bytes(valid.apply(i)))) {
                edited.add(i);
              }
            }
            // A line break would make two lines out of one; the edits never insert one.
            lines.add(line);
          }
          return new Case(lines, edited);
        });
  }

  @Provide
  Arbitrary<Case> tsmcFiles() {
    return cases(HostileLinesProperties::tsmc);
  }

  @Provide
  Arbitrary<Case> csvFiles() {
    return cases(HostileLinesProperties::csv);
  }

  @Provide
  Arbitrary<Case> gowallaFiles() {
    return cases(HostileLinesProperties::gowalla);
  }

  @Provide
  Arbitrary<Case> mostlyValidGowallaFiles() {
    return cases(HostileLinesProperties::gowalla, 4);
  }

  private static byte[] file(String header, Case c) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (header != null) {
      out.writeBytes(bytes(header + "\n"));
    }
    for (byte[] line : c.lines()) {
      out.writeBytes(line);
      out.write('\n');
    }
    return out.toByteArray();
  }

  private static void check(CheckInLoader loader, Path file, Case c, int headerLines)
      throws IOException {
    int valid = c.lines().size() - c.edited().size();
    LoadReport r = loader.load(file, LoadOptions.lenient()).report();
    assertThat(r.linesRead()).isEqualTo(headerLines + c.lines().size());
    assertThat(r.checkIns() + r.skippedLines() + r.blankLines() + r.joinedLines())
        .as("every physical line is loaded, skipped, blank or joined to a record")
        .isEqualTo(c.lines().size());
    assertThat(r.checkIns() + r.joinedLines())
        .as("valid lines are kept")
        .isGreaterThanOrEqualTo(valid);
    try {
      loader.load(file, LoadOptions.strict());
    } catch (MalformedInputLineException e) {
      assertThat(e.file()).isEqualTo(file.toString());
      assertThat(c.edited()).as(e.getMessage()).contains((int) e.lineNumber() - headerLines - 1);
    }
  }

  @Property(tries = 200)
  void tsmcFilesWithHostileLines(@ForAll("tsmcFiles") Case c) throws Exception {
    Scratch.withFile(".tsv", file(null, c), f -> check(new Tsmc2014Loader(), f, c, 0));
  }

  @Property(tries = 200)
  void csvFilesWithHostileLines(@ForAll("csvFiles") Case c) throws Exception {
    Scratch.withFile(".csv", file(CSV_HEADER, c), f -> check(new PreprocessedCsvLoader(), f, c, 1));
  }

  @Property(tries = 200)
  void gowallaFilesWithHostileLines(@ForAll("gowallaFiles") Case c) throws Exception {
    Scratch.withFile(".txt", file(null, c), f -> check(new GowallaLoader(), f, c, 0));
  }

  @Property(tries = 200)
  void detectionFollowsTheMajorityOfLines(@ForAll("mostlyValidGowallaFiles") Case c)
      throws Exception {
    // Unedited Gowalla lines outnumber the edited ones, which alone could look like TSMC2014.
    Assume.that(2 * c.edited().size() < c.lines().size());
    Scratch.withFile(
        ".txt",
        file(null, c),
        f -> assertThat(CheckInFormat.detect(f)).isEqualTo(CheckInFormat.GOWALLA));
  }
}
