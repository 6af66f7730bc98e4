package org.refinepoi.core.data;

import static com.google.common.base.Preconditions.checkNotNull;

/**
 * A loaded dataset with the report of how it was read.
 *
 * @param dataset the check-ins, users and POIs read
 * @param report counts of lines read, skipped, decoded as Latin-1, and POI conflicts
 */
public record LoadResult(CheckInDataset dataset, LoadReport report) {

  /** Checks for nulls. */
  public LoadResult {
    checkNotNull(dataset, "dataset");
    checkNotNull(report, "report");
  }
}
