package org.refinepoi.core.eval;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.Collection;
import java.util.List;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.data.Trajectory;

/** The four classic baselines, fitted together on one training split. */
public final class Baselines {

  private Baselines() {}

  /**
   * Fits {@link MostPopular}, {@link UserMostVisited}, {@link MarkovTransition} (no smoothing) and
   * {@link PopularNearLastCheckIn} (default scale), sharing one popularity count.
   *
   * @param catalogue the POI catalogue, indexed like the check-ins
   * @param trainingCheckIns the training split's check-ins
   * @param trainingTrajectories the training split's trajectories
   * @return the four, in that order
   */
  public static ImmutableList<Recommender> fitAll(
      List<Poi> catalogue,
      Collection<CheckIn> trainingCheckIns,
      Collection<Trajectory> trainingTrajectories) {
    checkNotNull(catalogue, "catalogue");
    MostPopular popularity = MostPopular.fit(catalogue.size(), trainingCheckIns);
    UserMostVisited user = UserMostVisited.fit(popularity, trainingCheckIns);
    return ImmutableList.of(
        popularity,
        user,
        MarkovTransition.fit(popularity, user, trainingTrajectories, 0.0),
        PopularNearLastCheckIn.fit(catalogue, popularity, PopularNearLastCheckIn.DEFAULT_SCALE_KM));
  }
}
