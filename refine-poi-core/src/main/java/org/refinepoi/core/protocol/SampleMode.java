package org.refinepoi.core.protocol;

/** Which check-ins of a trajectory become prediction targets. */
public enum SampleMode {
  /**
   * One sample per trajectory of at least two check-ins: predict its last check-in from the earlier
   * ones (the classic protocol of GETNext, STHGCN and LLM4POI).
   */
  LAST_CHECK_IN,
  /**
   * One sample per prefix: every check-in of a trajectory but the first is a target, predicted from
   * the check-ins before it in the trajectory.
   */
  ALL_PREFIXES
}
