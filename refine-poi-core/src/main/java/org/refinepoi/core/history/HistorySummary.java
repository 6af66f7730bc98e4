package org.refinepoi.core.history;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * The evidence of one sample's history ({@link HistoryEvidence#summarize}): the moment asked about
 * and every distinct POI of the memory with its statistics. Holds nothing about the target but its
 * time, which the protocol makes part of the question.
 *
 * @param user the user's dense index
 * @param lastPoi the POI of the sample's last check-in
 * @param targetHour local hour of the next check-in, 0-23
 * @param targetWeekday local day of week of the next check-in, 0 = Monday
 * @param memoryLength number of check-ins in the memory (long-term plus short-term)
 * @param candidates the distinct POIs of the memory, most visited first (ties: most recently
 *     visited first, then lower POI index); never empty
 */
public record HistorySummary(
    int user,
    int lastPoi,
    int targetHour,
    int targetWeekday,
    int memoryLength,
    List<Candidate> candidates) {

  /** Validates and copies. */
  public HistorySummary {
    checkArgument(targetHour >= 0 && targetHour < 24, "target hour out of range: %s", targetHour);
    checkArgument(
        targetWeekday >= 0 && targetWeekday < 7, "target weekday out of range: %s", targetWeekday);
    checkNotNull(candidates, "candidates");
    checkArgument(!candidates.isEmpty(), "a history has at least one POI");
    candidates = ImmutableList.copyOf(candidates);
  }

  /**
   * One POI of the memory.
   *
   * @param poi the POI's dense index
   * @param visits the user's check-ins at it in the memory, {@code >= 1}
   * @param hoursSinceLastVisit hours from the last of them to the target's time, {@code >= 0}
   * @param lastOrdinal position of the last of them in the memory (0 = oldest check-in)
   * @param visitsAtSimilarHour visits within {@link HistoryEvidence#SIMILAR_HOUR_WINDOW} hours of
   *     the target's local hour (circular)
   * @param visitsOnSameDayType visits on the target's day type (weekend: Saturday and Sunday)
   * @param userTransitionsFromLast times the memory steps from the last check-in's POI straight to
   *     this one (the user's own first-order transitions)
   * @param transitionsFromLast training transitions, over all users, from the last check-in's POI
   *     to this one (leave-one-out for training samples)
   * @param popularity training check-ins at this POI over all users (leave-one-out for training
   *     samples)
   * @param distanceKmFromLast haversine distance from the last check-in's POI, km
   * @param inCurrentTrajectory whether the current trajectory (short-term memory) visited it
   */
  public record Candidate(
      int poi,
      int visits,
      double hoursSinceLastVisit,
      int lastOrdinal,
      int visitsAtSimilarHour,
      int visitsOnSameDayType,
      int userTransitionsFromLast,
      int transitionsFromLast,
      int popularity,
      double distanceKmFromLast,
      boolean inCurrentTrajectory) {

    /** Validates the counts and distances. */
    public Candidate {
      checkArgument(poi >= 0, "POI index must be >= 0, got %s", poi);
      checkArgument(visits >= 1, "a memory POI has at least one visit, got %s", visits);
      checkArgument(
          hoursSinceLastVisit >= 0 && Double.isFinite(hoursSinceLastVisit),
          "hours since the last visit must be finite and >= 0, got %s",
          hoursSinceLastVisit);
      checkArgument(
          visitsAtSimilarHour >= 0
              && visitsOnSameDayType >= 0
              && userTransitionsFromLast >= 0
              && transitionsFromLast >= 0
              && popularity >= 0,
          "counts must be >= 0");
      checkArgument(
          distanceKmFromLast >= 0 && Double.isFinite(distanceKmFromLast),
          "distance must be finite and >= 0, got %s",
          distanceKmFromLast);
    }
  }
}
