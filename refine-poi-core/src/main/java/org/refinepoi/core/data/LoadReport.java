package org.refinepoi.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.base.Joiner;
import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * What a load read and what it skipped or reconciled; nothing is dropped silently.
 *
 * @param file the file's name as the user gave it
 * @param linesRead physical lines read, header included
 * @param checkIns check-ins loaded
 * @param blankLines empty lines, skipped
 * @param skippedLines malformed lines skipped (lenient mode only; a strict load throws instead)
 * @param problems the first skipped lines with their reasons (at most {@link
 *     LoadOptions#maxReportedProblems()})
 * @param latin1Lines lines that were not valid UTF-8 and were decoded as Latin-1
 * @param conflictingLines lines whose POI attributes (category id or name, coordinates) differ from
 *     those of the POI's first line; the first are kept
 * @param conflictingPois distinct POIs with at least one conflicting line
 * @param duplicateCheckIns check-ins equal in user, POI, time and UTC offset to an earlier one (the
 *     same file loaded twice doubles them); they are loaded, and the protocol's {@code
 *     dropDuplicateCheckIns} option decides whether to keep them
 * @param joinedLines physical lines joined to the record before them by a quoted line break (CSV
 *     layout only); they are part of that record, not lost
 * @param multiLineRecords the first line of each record that spans several lines, for the first
 *     {@link LoadOptions#maxReportedProblems()} such records (the summary lists them)
 */
public record LoadReport(
    String file,
    long linesRead,
    long checkIns,
    long blankLines,
    long skippedLines,
    List<LineProblem> problems,
    long latin1Lines,
    long conflictingLines,
    int conflictingPois,
    long duplicateCheckIns,
    long joinedLines,
    List<Long> multiLineRecords) {

  /** Copies the lists and checks the counts. */
  public LoadReport {
    checkNotNull(file, "file");
    problems = ImmutableList.copyOf(problems);
    multiLineRecords = ImmutableList.copyOf(multiLineRecords);
    checkArgument(
        duplicateCheckIns >= 0 && duplicateCheckIns <= checkIns && joinedLines >= 0,
        "counts must be >= 0 (and duplicates at most the check-ins)");
    checkArgument(
        linesRead >= 0 && checkIns >= 0 && blankLines >= 0 && skippedLines >= 0,
        "counts must be >= 0");
    checkArgument(
        latin1Lines >= 0 && conflictingLines >= 0 && conflictingPois >= 0, "counts must be >= 0");
    checkArgument(problems.size() <= skippedLines, "more problems listed than lines skipped");
  }

  /** A one-paragraph summary for logs and the console. */
  public String summary() {
    StringBuilder sb =
        new StringBuilder()
            .append(file)
            .append(": ")
            .append(linesRead)
            .append(" lines, ")
            .append(checkIns)
            .append(" check-ins");
    if (blankLines > 0) {
      sb.append(", ").append(blankLines).append(" blank lines skipped");
    }
    if (skippedLines > 0) {
      sb.append(", ").append(skippedLines).append(" malformed lines skipped");
    }
    if (latin1Lines > 0) {
      sb.append(", ").append(latin1Lines).append(" lines decoded as Latin-1");
    }
    if (conflictingLines > 0) {
      sb.append(", ")
          .append(conflictingLines)
          .append(" lines with POI attributes differing from the POI's first line (")
          .append(conflictingPois)
          .append(" POIs; first kept)");
    }
    if (duplicateCheckIns > 0) {
      sb.append(", ")
          .append(duplicateCheckIns)
          .append(" exact duplicate check-ins (same user, POI and time as an earlier line)");
    }
    if (joinedLines > 0) {
      sb.append(", ")
          .append(joinedLines)
          .append(" lines joined to the record before them by quoted line breaks (records at")
          .append(multiLineRecords.size() == 1 ? " line " : " lines ")
          .append(Joiner.on(", ").join(multiLineRecords))
          .append(')');
    }
    for (LineProblem p : problems) {
      sb.append(System.lineSeparator()).append("  ").append(p);
    }
    if (problems.size() < skippedLines) {
      sb.append(System.lineSeparator())
          .append("  ... and ")
          .append(skippedLines - problems.size())
          .append(" more");
    }
    return sb.toString();
  }
}
