package org.refinepoi.core.data;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the preprocessed CSV layout of GETNext, STHGCN and LLM4POI ({@code NYC_train.csv}, {@code
 * NYC_val.csv}...): comma-separated with a header line. Columns are found by header name, so their
 * order and any extra columns do not matter; the required ones are {@value #USER}, {@value #POI},
 * {@value #CATEGORY_ID}, {@value #CATEGORY_NAME}, {@value #LATITUDE}, {@value #LONGITUDE}, {@value
 * #TIMEZONE} (UTC offset in minutes) and {@value #UTC_TIME} (for example {@code 2012-11-09
 * 21:54:47+00:00}). The layout's derived columns ({@code trajectory_id}, {@code local_time}...) are
 * not read: the protocol recomputes sessions from the times.
 *
 * <p>Quoting follows RFC 4180: a field may be enclosed in double quotes, inside which commas, line
 * breaks and doubled quotes ({@code ""}) stand for themselves. A quoted field may span at most
 * {@value #MAX_RECORD_LINES} physical lines; the report counts the lines so joined and names the
 * records. A stray quote must not swallow the lines after it: when no closing quote comes within
 * that many lines, or the joined lines are no valid record, only the line with the quote is
 * malformed (reported at its own line) and the lines after it are read as records of their own.
 * Every record must have as many fields as the header.
 *
 * <p>Text is decoded as UTF-8, or as Latin-1 for a record that is not valid UTF-8. POI conflicts,
 * blank lines and (in lenient mode) malformed records are counted in the {@link LoadReport}, as for
 * {@link Tsmc2014Loader}. Blank lines before the header are skipped. A missing or incomplete
 * header, or one naming a required column twice, fails the load in lenient mode too (there is
 * nothing to read without it). The file is streamed. Stateless and thread-safe.
 */
public final class PreprocessedCsvLoader implements CheckInLoader {

  /** Header of the user id column. */
  public static final String USER = "user_id";

  /** Header of the POI id column. */
  public static final String POI = "POI_id";

  /** Header of the category id column. */
  public static final String CATEGORY_ID = "POI_catid";

  /** Header of the category name column. */
  public static final String CATEGORY_NAME = "POI_catname";

  /** Header of the latitude column. */
  public static final String LATITUDE = "latitude";

  /** Header of the longitude column. */
  public static final String LONGITUDE = "longitude";

  /** Header of the UTC offset column (minutes). */
  public static final String TIMEZONE = "timezone";

  /** Header of the UTC time column. */
  public static final String UTC_TIME = "UTC_time";

  /** The most physical lines one record (with quoted line breaks) may span. */
  public static final int MAX_RECORD_LINES = 100;

  /** The most bytes one record may hold, its line breaks included. */
  private static final long MAX_RECORD_BYTES = CheckInLoader.MAX_LINE_BYTES;

  private static final ImmutableList<String> REQUIRED =
      ImmutableList.of(
          USER, POI, CATEGORY_ID, CATEGORY_NAME, LATITUDE, LONGITUDE, TIMEZONE, UTC_TIME);

  /** Creates a loader. */
  public PreprocessedCsvLoader() {}

  @Override
  public LoadResult load(Path file, LoadOptions options) throws IOException {
    checkNotNull(file, "file");
    checkNotNull(options, "options");
    String fileName = file.toString();
    CheckInAccumulator acc =
        new CheckInAccumulator(fileName, String.valueOf(file.getFileName()), options);
    try (ByteLineReader reader = new ByteLineReader(Files.newInputStream(file), fileName)) {
      Lines lines = new Lines(reader);
      while (true) {
        if (!lines.next()) {
          throw new MalformedInputLineException(
              fileName, Math.max(1, reader.lineNumber()), "empty file, expected a CSV header");
        }
        if (lines.problem() != null) {
          throw new MalformedInputLineException(fileName, lines.number(), lines.problem());
        }
        if (lines.from() < lines.to()) {
          break;
        }
        acc.blankLine();
      }
      int[] columns = readHeader(lines, fileName);
      RecordParser parser = new RecordParser(columns, acc);
      while (lines.next()) {
        long lineNumber = lines.number();
        if (lines.problem() != null) {
          acc.malformed(lineNumber, lines.problem());
          continue;
        }
        byte[] b = lines.buffer();
        int from = lines.from();
        int to = lines.to();
        if (from == to) {
          acc.blankLine();
          continue;
        }
        if (countQuotes(b, from, to) % 2 == 0) {
          try {
            parser.parse(b, from, to, lineNumber);
          } catch (BadFieldException e) {
            acc.malformed(lineNumber, e.getMessage());
          }
        } else {
          readMultiLine(lines, parser, acc);
        }
      }
      return acc.finish(reader.lineNumber());
    }
  }

  /**
   * Reads a record whose first line has an odd number of quotes: a quoted field with a line break
   * (RFC 4180) joins the following lines up to the closing quote. When no closing quote comes
   * within {@link #MAX_RECORD_LINES} lines, or the joined lines do not parse as one record, the
   * first line is malformed on its own (a stray quote) and the lines after it are read again as
   * records of their own, so a stray quote costs its line only.
   */
  private static void readMultiLine(Lines lines, RecordParser parser, CheckInAccumulator acc)
      throws IOException {
    long first = lines.number();
    List<Line> taken = new ArrayList<>();
    taken.add(lines.copy());
    long total = taken.getFirst().bytes().length;
    int quotes = countQuotes(taken.getFirst().bytes(), 0, taken.getFirst().bytes().length);
    while (quotes % 2 != 0 && taken.size() < MAX_RECORD_LINES && lines.next()) {
      Line next = lines.copy();
      taken.add(next);
      if (next.problem() != null || total + 1 + next.bytes().length > MAX_RECORD_BYTES) {
        break;
      }
      total += 1 + next.bytes().length;
      quotes += countQuotes(next.bytes(), 0, next.bytes().length);
    }
    String joinFailure;
    if (quotes % 2 == 0) {
      byte[] joined = new byte[(int) total];
      int at = 0;
      for (Line l : taken) {
        if (at > 0) {
          joined[at++] = '\n';
        }
        System.arraycopy(l.bytes(), 0, joined, at, l.bytes().length);
        at += l.bytes().length;
      }
      try {
        parser.parse(joined, 0, joined.length, first);
        acc.joined(first, taken.size());
        return;
      } catch (BadFieldException e) {
        joinFailure =
            "joined with the next %d line(s) up to the closing quote it is no valid record (%s)"
                .formatted(taken.size() - 1, e.getMessage());
      }
    } else {
      joinFailure = "no closing quote in the next %d line(s)".formatted(taken.size() - 1);
    }
    byte[] own = taken.getFirst().bytes().clone();
    String ownReason;
    try {
      splitCsv(own, 0, own.length, new int[0], new int[0]);
      ownReason = "unbalanced quote";
    } catch (BadFieldException e) {
      ownReason = e.getMessage();
    }
    acc.malformed(first, ownReason + " (a stray quote?): " + joinFailure);
    lines.pushBack(taken.subList(1, taken.size()));
  }

  /** A physical line kept for a second reading: its number, bytes, and problem (or null). */
  private record Line(long number, byte[] bytes, String problem) {}

  /** The reader's lines, after any lines pushed back to be read again. */
  private static final class Lines {
    private final ByteLineReader reader;
    private final ArrayDeque<Line> pending = new ArrayDeque<>();
    private Line current;

    Lines(ByteLineReader reader) {
      this.reader = reader;
    }

    boolean next() throws IOException {
      current = pending.pollFirst();
      return current != null || reader.next();
    }

    void pushBack(List<Line> again) {
      for (int i = again.size() - 1; i >= 0; i--) {
        pending.addFirst(again.get(i));
      }
    }

    Line copy() {
      return current != null
          ? current
          : new Line(
              reader.lineNumber(),
              Arrays.copyOfRange(reader.buffer(), reader.lineStart(), reader.lineEnd()),
              reader.problem());
    }

    long number() {
      return current != null ? current.number() : reader.lineNumber();
    }

    String problem() {
      return current != null ? current.problem() : reader.problem();
    }

    byte[] buffer() {
      return current != null ? current.bytes() : reader.buffer();
    }

    int from() {
      return current != null ? 0 : reader.lineStart();
    }

    int to() {
      return current != null ? current.bytes().length : reader.lineEnd();
    }
  }

  /**
   * Finds the required columns; returns their field positions in {@link #REQUIRED} order followed
   * by the number of header fields.
   */
  private static int[] readHeader(Lines lines, String fileName) throws MalformedInputLineException {
    byte[] b = lines.buffer();
    int from = lines.from();
    int to = lines.to();
    long lineNumber = lines.number();
    int width = countFields(b, from, to);
    int[] starts = new int[width];
    int[] ends = new int[width];
    try {
      if (countQuotes(b, from, to) % 2 != 0) {
        throw new BadFieldException("unterminated quoted field in the header");
      }
      splitCsv(b, from, to, starts, ends);
    } catch (BadFieldException e) {
      throw new MalformedInputLineException(fileName, lineNumber, e.getMessage());
    }
    List<String> names = new ArrayList<>(width);
    for (int i = 0; i < width; i++) {
      names.add(new String(b, starts[i], ends[i] - starts[i], StandardCharsets.UTF_8).strip());
    }
    int[] columns = new int[REQUIRED.size() + 1];
    List<String> missing = new ArrayList<>();
    for (int r = 0; r < REQUIRED.size(); r++) {
      String name = REQUIRED.get(r);
      columns[r] = names.indexOf(name);
      if (columns[r] < 0) {
        missing.add(name);
      } else if (names.lastIndexOf(name) != columns[r]) {
        throw new MalformedInputLineException(
            fileName,
            lineNumber,
            "the header has column '%s' twice (fields %d and %d): which one holds the data?"
                .formatted(name, columns[r] + 1, names.lastIndexOf(name) + 1));
      }
    }
    if (!missing.isEmpty()) {
      throw new MalformedInputLineException(
          fileName,
          lineNumber,
          "not a preprocessed check-in CSV header: missing column(s) "
              + missing
              + "; the header has "
              + names);
    }
    columns[REQUIRED.size()] = width;
    return columns;
  }

  /** Parses data records into the accumulator, reusing its buffers. */
  private static final class RecordParser {
    private final int[] columns;
    private final CheckInAccumulator acc;
    private final int[] starts;
    private final int[] ends;
    private byte[] signature = new byte[256];

    RecordParser(int[] columns, CheckInAccumulator acc) {
      this.columns = columns;
      this.acc = acc;
      this.starts = new int[columns[REQUIRED.size()]];
      this.ends = new int[columns[REQUIRED.size()]];
    }

    void parse(byte[] b, int from, int to, long lineNumber) throws BadFieldException {
      int fields = splitCsv(b, from, to, starts, ends);
      if (fields != starts.length) {
        throw new BadFieldException(
            "expected "
                + starts.length
                + " comma-separated fields as in the header, found "
                + fields);
      }
      int user = columns[0];
      int poi = columns[1];
      int catId = columns[2];
      int catName = columns[3];
      int lat = columns[4];
      int lon = columns[5];
      int zone = columns[6];
      int time = columns[7];
      FieldParsing.checkId(b, starts[user], ends[user], "user id");
      boolean latin1 = hasHighBit(b, from, to) && !FieldParsing.isUtf8(b, from, to);
      int offset = FieldParsing.parseOffsetMinutes(b, starts[zone], ends[zone]);
      long utc = FieldParsing.parseIsoTime(b, starts[time], ends[time]);
      // The attribute fields are not adjacent in this layout: join them for the byte comparison.
      int sigLength = 0;
      for (int f : new int[] {catId, catName, lat, lon}) {
        int len = ends[f] - starts[f];
        if (signature.length < sigLength + len + 1) {
          signature = Arrays.copyOf(signature, 2 * (sigLength + len + 1));
        }
        System.arraycopy(b, starts[f], signature, sigLength, len);
        sigLength += len;
        signature[sigLength++] = 0;
      }
      int poiIndex =
          acc.poi(
              b,
              starts[poi],
              ends[poi],
              signature,
              0,
              sigLength,
              starts[catId],
              ends[catId],
              starts[catName],
              ends[catName],
              starts[lat],
              ends[lat],
              starts[lon],
              ends[lon],
              latin1,
              lineNumber);
      int userIndex = acc.user(b, starts[user], ends[user], latin1);
      acc.add(userIndex, poiIndex, utc, offset, latin1);
    }
  }

  private static boolean hasHighBit(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] < 0) {
        return true;
      }
    }
    return false;
  }

  private static int countQuotes(byte[] b, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (b[i] == '"') {
        n++;
      }
    }
    return n;
  }

  /** Number of fields of a header line, quotes respected. */
  private static int countFields(byte[] b, int from, int to) {
    int n = 1;
    boolean quoted = false;
    for (int i = from; i < to; i++) {
      if (b[i] == '"') {
        quoted = !quoted;
      } else if (b[i] == ',' && !quoted) {
        n++;
      }
    }
    return n;
  }

  /**
   * Splits one record (whose quotes balance) into fields, removing the quotes of quoted fields and
   * un-doubling their inner quotes in place. Records the first {@code starts.length} fields and
   * returns how many there are.
   */
  static int splitCsv(byte[] b, int from, int to, int[] starts, int[] ends)
      throws BadFieldException {
    int n = 0;
    int i = from;
    while (true) {
      int start;
      int end;
      if (i < to && b[i] == '"') {
        i++;
        start = i;
        int w = i;
        while (true) {
          if (i >= to) {
            throw new BadFieldException("unterminated quoted field " + (n + 1));
          }
          byte c = b[i];
          if (c == '"') {
            if (i + 1 < to && b[i + 1] == '"') {
              b[w++] = '"';
              i += 2;
            } else {
              i++;
              break;
            }
          } else {
            b[w++] = c;
            i++;
          }
        }
        end = w;
        if (i < to && b[i] != ',') {
          throw new BadFieldException(
              "unexpected character after the closing quote of field " + (n + 1));
        }
      } else {
        start = i;
        while (i < to && b[i] != ',') {
          if (b[i] == '"') {
            throw new BadFieldException("quote inside unquoted field " + (n + 1));
          }
          i++;
        }
        end = i;
      }
      if (n < starts.length) {
        starts[n] = start;
        ends[n] = end;
      }
      n++;
      if (i >= to) {
        return n;
      }
      i++;
    }
  }
}
