package org.refinepoi.som.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.refinepoi.core.sid.LatticeSpec;

/**
 * Everything that defines one SOM training run. Build with {@link #builder(LatticeSpec)}; the
 * defaults are a batch map of 20 epochs, Gaussian neighbourhood with a radius linear from half the
 * longer lattice side (at least 1) to 1, PCA initialization, seed 42; the learning rate (online
 * rule only) goes linearly from 0.5 to 0.01.
 *
 * @param lattice the map's lattice
 * @param algorithm batch map or online rule
 * @param epochs passes over the data, >= 1
 * @param neighbourhood the neighbourhood function
 * @param radius the radius schedule (per epoch for the batch map, per sample for the online rule)
 * @param learningRate the learning-rate schedule (online rule only)
 * @param initialization how the codebook starts
 * @param seed the random seed (initialization, online sample order)
 */
public record SomConfig(
    LatticeSpec lattice,
    TrainingAlgorithm algorithm,
    int epochs,
    Neighbourhood neighbourhood,
    Schedule radius,
    Schedule learningRate,
    Initialization initialization,
    long seed)
    implements java.io.Serializable {

  /** Validates the configuration. */
  public SomConfig {
    checkNotNull(lattice, "lattice");
    checkNotNull(algorithm, "algorithm");
    checkNotNull(neighbourhood, "neighbourhood");
    checkNotNull(radius, "radius");
    checkNotNull(learningRate, "learningRate");
    checkNotNull(initialization, "initialization");
    checkArgument(epochs >= 1, "epochs must be >= 1, got %s", epochs);
    checkArgument(
        learningRate.start() <= 1 && learningRate.end() <= 1,
        "learning rate must be <= 1, got %s",
        learningRate);
  }

  /** The default radius schedule for a lattice: linear from half the longer side (>= 1) to 1. */
  public static Schedule defaultRadius(LatticeSpec lattice) {
    double start = Math.max(1.0, Math.max(lattice.rows(), lattice.cols()) / 2.0);
    return Schedule.linear(start, 1.0);
  }

  /** A builder with the documented defaults. */
  public static Builder builder(LatticeSpec lattice) {
    return new Builder(lattice);
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder(lattice);
    b.algorithm = algorithm;
    b.epochs = epochs;
    b.neighbourhood = neighbourhood;
    b.radius = radius;
    b.learningRate = learningRate;
    b.initialization = initialization;
    b.seed = seed;
    return b;
  }

  /** Builds a {@link SomConfig}; every setter validates on {@link #build()}. */
  public static final class Builder {
    private LatticeSpec lattice;
    private TrainingAlgorithm algorithm = TrainingAlgorithm.BATCH;
    private int epochs = 20;
    private Neighbourhood neighbourhood = Neighbourhood.GAUSSIAN;
    private Schedule radius;
    private Schedule learningRate = Schedule.linear(0.5, 0.01);
    private Initialization initialization = Initialization.PCA;
    private long seed = 42;

    private Builder(LatticeSpec lattice) {
      this.lattice = checkNotNull(lattice, "lattice");
    }

    /** The lattice (changing it also resets a default radius). */
    public Builder lattice(LatticeSpec value) {
      this.lattice = checkNotNull(value, "lattice");
      return this;
    }

    /** Batch map (default) or online rule. */
    public Builder algorithm(TrainingAlgorithm value) {
      this.algorithm = value;
      return this;
    }

    /** Number of epochs (default 20). */
    public Builder epochs(int value) {
      this.epochs = value;
      return this;
    }

    /** Neighbourhood function (default Gaussian). */
    public Builder neighbourhood(Neighbourhood value) {
      this.neighbourhood = value;
      return this;
    }

    /** Radius schedule (default {@link SomConfig#defaultRadius}). */
    public Builder radius(Schedule value) {
      this.radius = value;
      return this;
    }

    /** Learning-rate schedule for the online rule (default linear 0.5 to 0.01). */
    public Builder learningRate(Schedule value) {
      this.learningRate = value;
      return this;
    }

    /** Initialization (default PCA). */
    public Builder initialization(Initialization value) {
      this.initialization = value;
      return this;
    }

    /** Random seed (default 42). */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /** The validated configuration. */
    public SomConfig build() {
      return new SomConfig(
          lattice,
          algorithm,
          epochs,
          neighbourhood,
          radius != null ? radius : defaultRadius(lattice),
          learningRate,
          initialization,
          seed);
    }
  }
}
