package org.refinepoi.core.data;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the raw TSMC2014 layout of the Foursquare NYC/TKY check-ins ({@code
 * dataset_TSMC2014_NYC.txt}): tab-separated, no header, one check-in a line with 8 fields:
 *
 * <ol>
 *   <li>user id
 *   <li>venue (POI) id
 *   <li>venue category id
 *   <li>venue category name
 *   <li>latitude (degrees, in [-90, 90])
 *   <li>longitude (degrees, in [-180, 180])
 *   <li>offset of local time from UTC in minutes, in [-1080, 1080]
 *   <li>UTC time as Java's {@code Date.toString} writes it, for example {@code Tue Apr 03 18:00:00
 *       +0000 2012}; the weekday must agree with the date
 * </ol>
 *
 * <p>Text: each line is decoded as UTF-8, or as Latin-1 when the line is not valid UTF-8 (the
 * public download has category names such as {@code Caf\xe9}); the {@link LoadReport} counts such
 * lines.
 *
 * <p>A POI's attributes (category, coordinates) come from its first line; a later line with other
 * values is kept as a check-in of that POI and counted as a conflict in the report. Empty lines are
 * skipped and counted.
 *
 * <p>The file is streamed: memory holds the kept data (interned ids, one compact {@link CheckIn}
 * per line), never the text. Parsing works on bytes with no regex or splitting into strings. This
 * class is stateless and thread-safe; each {@link #load} call is independent.
 */
public final class Tsmc2014Loader implements CheckInLoader {

  private static final int FIELDS = 8;

  /** Creates a loader. */
  public Tsmc2014Loader() {}

  @Override
  public LoadResult load(Path file, LoadOptions options) throws IOException {
    checkNotNull(file, "file");
    checkNotNull(options, "options");
    String fileName = file.toString();
    CheckInAccumulator acc =
        new CheckInAccumulator(fileName, String.valueOf(file.getFileName()), options);
    int[] starts = new int[FIELDS];
    int[] ends = new int[FIELDS];
    long lines = 0;
    try (ByteLineReader reader = new ByteLineReader(Files.newInputStream(file), fileName)) {
      while (reader.next()) {
        lines = reader.lineNumber();
        byte[] b = reader.buffer();
        int from = reader.lineStart();
        int to = reader.lineEnd();
        if (reader.problem() != null) {
          acc.malformed(lines, reader.problem());
          continue;
        }
        if (from == to) {
          acc.blankLine();
          continue;
        }
        try {
          parseLine(b, from, to, starts, ends, acc, lines);
        } catch (BadFieldException e) {
          acc.malformed(lines, e.getMessage());
        }
      }
    }
    return acc.finish(lines);
  }

  private static void parseLine(
      byte[] b, int from, int to, int[] starts, int[] ends, CheckInAccumulator acc, long lineNumber)
      throws BadFieldException {
    int split = FieldParsing.splitTabs(b, from, to, starts, ends);
    int fields = split & FieldParsing.FIELD_COUNT;
    if (fields != FIELDS) {
      throw new BadFieldException("expected " + FIELDS + " tab-separated fields, found " + fields);
    }
    FieldParsing.checkId(b, starts[0], ends[0], "user id");
    // Only a line with a byte >= 0x80 can be invalid UTF-8.
    boolean latin1 = (split & FieldParsing.NON_ASCII) != 0 && !FieldParsing.isUtf8(b, from, to);
    int offset = FieldParsing.parseOffsetMinutes(b, starts[6], ends[6]);
    long time = FieldParsing.parseTsmcTime(b, starts[7], ends[7]);
    int poi =
        acc.poi(
            b,
            starts[1],
            ends[1],
            // Fields 3 to 6 are adjacent: one byte comparison covers all the POI's attributes.
            b,
            starts[2],
            ends[5],
            starts[2],
            ends[2],
            starts[3],
            ends[3],
            starts[4],
            ends[4],
            starts[5],
            ends[5],
            latin1,
            lineNumber);
    int user = acc.user(b, starts[0], ends[0], latin1);
    acc.add(user, poi, time, offset, latin1);
  }
}
