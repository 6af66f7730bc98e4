package org.refinepoi.core.data;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * How a loader treats malformed lines.
 *
 * <ul>
 *   <li>{@link #strict()} (the default): the first malformed line stops the load with a {@link
 *       MalformedInputLineException} naming the file, the line and the reason.
 *   <li>{@link #lenient()}: malformed lines are skipped; the {@link LoadReport} counts them and
 *       lists the first {@link #maxReportedProblems()} with their reasons, and a warning is logged.
 * </ul>
 *
 * @param skipMalformed whether malformed lines are skipped (lenient) instead of failing the load
 * @param maxReportedProblems how many skipped lines the report lists individually (default 20); all
 *     are counted
 */
public record LoadOptions(boolean skipMalformed, int maxReportedProblems) {

  /** Default number of problems listed individually in a {@link LoadReport}. */
  public static final int DEFAULT_MAX_REPORTED_PROBLEMS = 20;

  /** Validates the limit. */
  public LoadOptions {
    checkArgument(
        maxReportedProblems >= 0, "maxReportedProblems must be >= 0, got %s", maxReportedProblems);
  }

  /** Fail on the first malformed line (the default). */
  public static LoadOptions strict() {
    return new LoadOptions(false, DEFAULT_MAX_REPORTED_PROBLEMS);
  }

  /** Skip malformed lines and report them. */
  public static LoadOptions lenient() {
    return new LoadOptions(true, DEFAULT_MAX_REPORTED_PROBLEMS);
  }

  /** A copy listing at most {@code max} problems individually. */
  public LoadOptions withMaxReportedProblems(int max) {
    return new LoadOptions(skipMalformed, max);
  }
}
