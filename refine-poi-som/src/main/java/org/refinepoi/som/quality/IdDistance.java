package org.refinepoi.som.quality;

import static com.google.common.base.Preconditions.checkNotNull;

import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.SemanticId;

/**
 * The distance between two semantic IDs that an ID-quality measure ranks neighbours by. Two
 * strategies: {@link #lattice(IdSpace)}, the topology-aware {@link IdSpace} metric that HSOM IDs
 * carry, and {@link #topologyBlind()}, what a code without geometry (RQ-KMeans, RQ-VAE, random)
 * gives.
 */
public interface IdDistance {

  /** A short name for reports ({@code "lattice"}, {@code "blind"}). */
  String name();

  /**
   * The distance between two IDs with the same number of levels: 0 for equal IDs, positive
   * otherwise.
   */
  double distance(SemanticId a, SemanticId b);

  /** The lattice metric of an ID space (see {@link IdSpace#distance}); IDs are checked members. */
  static IdDistance lattice(IdSpace space) {
    checkNotNull(space, "space");
    return new IdDistance() {
      @Override
      public String name() {
        return "lattice";
      }

      @Override
      public double distance(SemanticId a, SemanticId b) {
        return space.distance(a, b);
      }

      @Override
      public String toString() {
        return "IdDistance.lattice(" + space + ")";
      }
    };
  }

  /**
   * The topology-blind distance: at each level two codes are at 0 when equal and 1 otherwise, and
   * the first differing level decides, coarser levels weighing more. It is the {@link IdSpace}
   * formula with every lattice replaced by the discrete metric (every lattice diameter 1): for IDs
   * with {@code L} lattice levels first differing at level {@code l} the distance is {@code L + 1 -
   * l}, a difference in the collision slot alone is 1, equal IDs are at 0. An ultrametric.
   */
  static IdDistance topologyBlind() {
    return new IdDistance() {
      @Override
      public String name() {
        return "blind";
      }

      @Override
      public double distance(SemanticId a, SemanticId b) {
        int level = a.firstDifferingLevel(b);
        return level < 0 ? 0 : a.levels() + 1 - level;
      }

      @Override
      public String toString() {
        return "IdDistance.topologyBlind()";
      }
    };
  }
}
