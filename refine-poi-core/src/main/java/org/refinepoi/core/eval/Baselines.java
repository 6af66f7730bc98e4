package org.refinepoi.core.eval;

import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.Collection;
import java.util.List;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.data.Trajectory;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.Split;

/** The four classic baselines, fitted together on one training split. */
public final class Baselines {

  private Baselines() {}

  /**
   * Fits the four with their defaults on the training split of prepared data (its training
   * check-ins for counts, its training trajectories for transitions).
   *
   * @param data the prepared data; indices of its {@link PreparedData#dataset()}
   * @return MostPopular, UserMostVisited, MarkovTransition, PopularNearLastCheckIn
   */
  public static ImmutableList<Recommender> fitAll(PreparedData data) {
    return fitAll(data, 0.0, PopularNearLastCheckIn.DEFAULT_SCALE_KM);
  }

  /**
   * Fits the four on the training split of prepared data with chosen parameters.
   *
   * @param data the prepared data
   * @param markovSmoothing the Markov baseline's prior mass towards the user's own visits (0 =
   *     none)
   * @param nearScaleKm the distance scale of {@link PopularNearLastCheckIn}, km
   * @return MostPopular, UserMostVisited, MarkovTransition, PopularNearLastCheckIn
   */
  public static ImmutableList<Recommender> fitAll(
      PreparedData data, double markovSmoothing, double nearScaleKm) {
    checkNotNull(data, "data");
    return fitAll(
        data.dataset().pois(),
        data.checkIns(Split.TRAIN),
        data.trajectories(Split.TRAIN),
        markovSmoothing,
        nearScaleKm);
  }

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
    return fitAll(
        catalogue,
        trainingCheckIns,
        trainingTrajectories,
        0.0,
        PopularNearLastCheckIn.DEFAULT_SCALE_KM);
  }

  /**
   * Fits the four with chosen parameters, sharing one popularity count.
   *
   * @param catalogue the POI catalogue, indexed like the check-ins
   * @param trainingCheckIns the training split's check-ins
   * @param trainingTrajectories the training split's trajectories
   * @param markovSmoothing the Markov baseline's prior mass towards the user's own visits (0 =
   *     none)
   * @param nearScaleKm the distance scale of {@link PopularNearLastCheckIn}, km
   * @return MostPopular, UserMostVisited, MarkovTransition, PopularNearLastCheckIn
   */
  public static ImmutableList<Recommender> fitAll(
      List<Poi> catalogue,
      Collection<CheckIn> trainingCheckIns,
      Collection<Trajectory> trainingTrajectories,
      double markovSmoothing,
      double nearScaleKm) {
    checkNotNull(catalogue, "catalogue");
    MostPopular popularity = MostPopular.fit(catalogue.size(), trainingCheckIns);
    UserMostVisited user = UserMostVisited.fit(popularity, trainingCheckIns);
    return ImmutableList.of(
        popularity,
        user,
        MarkovTransition.fit(popularity, user, trainingTrajectories, markovSmoothing),
        PopularNearLastCheckIn.fit(catalogue, popularity, nearScaleKm));
  }
}
