package org.refinepoi.core.protocol;

/** The chronological partitions of the next-POI protocol. */
public enum Split {
  /** The earliest 80% of check-ins (by default): fit everything here. */
  TRAIN,
  /** The next 10%: tune and select. */
  VALIDATION,
  /** The last 10%: report. */
  TEST
}
