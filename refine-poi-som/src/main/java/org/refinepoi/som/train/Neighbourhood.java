package org.refinepoi.som.train;

/**
 * How much a unit at lattice distance {@code d} from the winner is pulled, for a radius {@code r}
 * (the Gaussian's sigma, the bubble's and triangle's reach). Every function gives weight 1 to the
 * winner itself, also at radius 0, so a zero-radius neighbourhood turns the batch map into a
 * k-means (Lloyd) step.
 */
public enum Neighbourhood {
  /** {@code exp(-d^2 / (2 r^2))}; the winner only when r = 0. */
  GAUSSIAN {
    @Override
    public double weight(double squaredDistance, double radius) {
      // The winner first: at radii whose square underflows (below ~1e-162) 0 / 0 would be NaN.
      if (squaredDistance == 0) {
        return 1;
      }
      if (radius <= 0) {
        return 0;
      }
      return Math.exp(-squaredDistance / (2 * radius * radius));
    }
  },
  /** 1 within distance r (inclusive), 0 beyond: a radius below 1 moves the winner only. */
  BUBBLE {
    @Override
    public double weight(double squaredDistance, double radius) {
      return squaredDistance <= radius * radius + 1e-9 || squaredDistance == 0 ? 1 : 0;
    }
  },
  /**
   * The Ricker wavelet's positive core: {@code (1 - d^2/r^2) exp(-d^2 / (2 r^2))} within distance
   * r, 0 beyond. The wavelet's negative outer lobe (repulsion) is not applied: tried here in both
   * the batch map and the online rule on uniform 5-D data, it pushed prototypes out of the data
   * within a few epochs (the batch ratio extrapolates; online, every sample pushes every distant
   * unit further away). What remains is a kernel sharper than the Gaussian with a hard edge at r.
   */
  MEXICAN_HAT {
    @Override
    public double weight(double squaredDistance, double radius) {
      if (squaredDistance == 0) {
        return 1;
      }
      if (radius <= 0) {
        return 0;
      }
      double q = squaredDistance / (radius * radius);
      return q >= 1 ? 0 : (1 - q) * Math.exp(-q / 2);
    }
  },
  /** {@code max(0, 1 - d / r)}: linear fall-off to 0 at distance r. */
  TRIANGLE {
    @Override
    public double weight(double squaredDistance, double radius) {
      if (squaredDistance == 0) {
        return 1;
      }
      if (radius <= 0) {
        return 0;
      }
      return Math.max(0, 1 - Math.sqrt(squaredDistance) / radius);
    }
  };

  /**
   * The weight of a unit at squared lattice distance {@code squaredDistance} from the winner.
   *
   * @param squaredDistance squared lattice distance, >= 0
   * @param radius the current radius, >= 0
   */
  public abstract double weight(double squaredDistance, double radius);
}
