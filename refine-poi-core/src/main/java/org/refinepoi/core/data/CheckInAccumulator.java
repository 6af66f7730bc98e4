package org.refinepoi.core.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects what the loaders parse: interns user and POI ids (a POI's attributes are parsed once, at
 * its first line; later lines only compare bytes), keeps compact check-ins, and tallies the {@link
 * LoadReport}. A caller validates every field of a line before calling {@link #poi} and {@link
 * #user}, so a rejected line never leaves a phantom user or POI behind. Not thread-safe.
 */
final class CheckInAccumulator {

  private static final Logger log = LoggerFactory.getLogger(CheckInAccumulator.class);

  private final String fileName;
  private final String datasetName;
  private final LoadOptions options;

  private final ByteSliceIndex userIndex = new ByteSliceIndex();
  private final List<String> userIds = new ArrayList<>();
  private final ByteSliceIndex poiIndex = new ByteSliceIndex();
  private final List<Poi> pois = new ArrayList<>();
  private final List<byte[]> poiSignatures = new ArrayList<>();
  private final BitSet conflictedPois = new BitSet();
  private final List<CheckIn> checkIns = new ArrayList<>();
  private final List<LineProblem> problems = new ArrayList<>();

  private long blankLines;
  private long skippedLines;
  private long latin1Lines;
  private long conflictingLines;
  private long joinedLines;
  private final List<Long> multiLineRecords = new ArrayList<>();

  /**
   * @param fileName the file as the user gave it, for messages
   * @param datasetName the name of the resulting dataset
   */
  CheckInAccumulator(String fileName, String datasetName, LoadOptions options) {
    this.fileName = fileName;
    this.datasetName = datasetName;
    this.options = options;
  }

  /**
   * The index of the POI of this line, added to the catalogue at its first line. A later line whose
   * attribute bytes differ is parsed and, if its values differ, counted as a conflict (the first
   * values are kept).
   *
   * @param sig the bytes {@code sig[sigFrom, sigTo)} standing for all the POI's attribute fields
   *     (equal bytes mean equal attributes), compared with those of the POI's first line
   * @throws BadFieldException when a field is malformed (also on a conflicting later line)
   */
  int poi(
      byte[] b,
      int idFrom,
      int idTo,
      byte[] sig,
      int sigFrom,
      int sigTo,
      int catIdFrom,
      int catIdTo,
      int catNameFrom,
      int catNameTo,
      int latFrom,
      int latTo,
      int lonFrom,
      int lonTo,
      boolean latin1,
      long lineNumber)
      throws BadFieldException {
    FieldParsing.checkId(b, idFrom, idTo, "POI id");
    int hash = ByteSliceIndex.hash(b, idFrom, idTo);
    int index = poiIndex.find(b, idFrom, idTo, hash);
    if (index >= 0) {
      byte[] first = poiSignatures.get(index);
      if (Arrays.equals(first, 0, first.length, sig, sigFrom, sigTo)) {
        return index;
      }
      Poi firstPoi = pois.get(index);
      Poi other =
          parsePoi(
              firstPoi.id(),
              b,
              catIdFrom,
              catIdTo,
              catNameFrom,
              catNameTo,
              latFrom,
              latTo,
              lonFrom,
              lonTo,
              latin1);
      if (!other.equals(firstPoi)) {
        conflictingLines++;
        conflictedPois.set(index);
        log.debug(
            "{}:{}: POI {} differs from its first line ({} vs {}); keeping the first",
            fileName,
            lineNumber,
            firstPoi.id(),
            other,
            firstPoi);
      }
      return index;
    }
    String id = FieldParsing.decode(b, idFrom, idTo, latin1);
    Poi poi =
        parsePoi(
            id,
            b,
            catIdFrom,
            catIdTo,
            catNameFrom,
            catNameTo,
            latFrom,
            latTo,
            lonFrom,
            lonTo,
            latin1);
    index = poiIndex.add(b, idFrom, idTo, hash);
    pois.add(poi);
    poiSignatures.add(Arrays.copyOfRange(sig, sigFrom, sigTo));
    return index;
  }

  private static Poi parsePoi(
      String id,
      byte[] b,
      int catIdFrom,
      int catIdTo,
      int catNameFrom,
      int catNameTo,
      int latFrom,
      int latTo,
      int lonFrom,
      int lonTo,
      boolean latin1)
      throws BadFieldException {
    if (catIdFrom == catIdTo) {
      throw new BadFieldException("category id is empty");
    }
    if (catNameFrom == catNameTo) {
      throw new BadFieldException("category name is empty");
    }
    double latitude = FieldParsing.parseDouble(b, latFrom, latTo, "latitude");
    double longitude = FieldParsing.parseDouble(b, lonFrom, lonTo, "longitude");
    FieldParsing.checkCoordinates(latitude, longitude);
    return new Poi(
        id,
        FieldParsing.decode(b, catIdFrom, catIdTo, latin1),
        FieldParsing.decode(b, catNameFrom, catNameTo, latin1),
        latitude,
        longitude);
  }

  /**
   * The index of a user id, added at its first line. The caller has checked the id with {@link
   * FieldParsing#checkId} before {@link #poi}, so that a bad user id leaves no POI behind.
   */
  int user(byte[] b, int from, int to, boolean latin1) {
    int hash = ByteSliceIndex.hash(b, from, to);
    int index = userIndex.find(b, from, to, hash);
    if (index < 0) {
      index = userIndex.add(b, from, to, hash);
      userIds.add(FieldParsing.decode(b, from, to, latin1));
    }
    return index;
  }

  /**
   * Adds a check-in whose fields were all validated; {@code latin1} tallies the line's decoding.
   */
  void add(int user, int poi, long utcEpochSecond, int offsetMinutes, boolean latin1) {
    checkIns.add(new CheckIn(user, poi, utcEpochSecond, offsetMinutes));
    if (latin1) {
      latin1Lines++;
    }
  }

  void blankLine() {
    blankLines++;
  }

  /**
   * Counts a record that spans several physical lines (a quoted field with a line break).
   *
   * @param firstLine the record's first line
   * @param lines how many physical lines it spans, at least 2
   */
  void joined(long firstLine, int lines) {
    joinedLines += lines - 1;
    if (multiLineRecords.size() < options.maxReportedProblems()) {
      multiLineRecords.add(firstLine);
    }
    log.debug("{}:{}: a record over {} lines (quoted line breaks)", fileName, firstLine, lines);
  }

  /**
   * Handles a malformed line: throws in strict mode, records it in lenient mode.
   *
   * @throws MalformedInputLineException in strict mode
   */
  void malformed(long lineNumber, String reason) throws MalformedInputLineException {
    if (!options.skipMalformed()) {
      throw new MalformedInputLineException(fileName, lineNumber, reason);
    }
    skippedLines++;
    if (problems.size() < options.maxReportedProblems()) {
      problems.add(new LineProblem(lineNumber, reason));
    }
    log.debug("{}:{}: skipped: {}", fileName, lineNumber, reason);
  }

  /**
   * Builds the dataset and the report, logging a warning when lines were skipped.
   *
   * @throws IOException when no valid check-in was read
   */
  LoadResult finish(long linesRead) throws IOException {
    if (checkIns.isEmpty()) {
      log.warn("{}", report(linesRead, 0).summary());
      throw new IOException(
          fileName
              + ": no valid check-in in "
              + linesRead
              + " lines ("
              + skippedLines
              + " malformed, "
              + blankLines
              + " blank)");
    }
    CheckInDataset dataset = CheckInDataset.of(datasetName, pois, userIds, checkIns);
    LoadReport report = report(linesRead, dataset.duplicateCheckIns().cardinality());
    if (skippedLines > 0) {
      log.warn("{}", report.summary());
    } else {
      log.info("{}", report.summary());
    }
    return new LoadResult(dataset, report);
  }

  private LoadReport report(long linesRead, long duplicates) {
    return new LoadReport(
        fileName,
        linesRead,
        checkIns.size(),
        blankLines,
        skippedLines,
        problems,
        latin1Lines,
        conflictingLines,
        conflictedPois.cardinality(),
        duplicates,
        joinedLines,
        multiLineRecords);
  }
}
