package org.refinepoi.som.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.SplittableRandom;
import org.refinepoi.core.io.MemoryBudget;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.backend.BmuSearch;
import org.refinepoi.som.backend.SomBackend;
import org.refinepoi.som.backend.SomSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains one self-organizing map. The batch map runs on a {@link SomBackend} (the backend finds
 * BMUs and per-unit sums; the neighbourhood smoothing is the same host code for every backend
 * unless it overrides {@link SomSession#batchEpoch}); the online rule runs in plain Java.
 */
public final class SomTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(SomTrainer.class);

  /** Bytes per codebook value of a training's working set (see {@link #estimatedTrainingBytes}). */
  static final int BYTES_PER_CELL_VALUE = 40;

  private final SomConfig config;

  /** A trainer for a configuration. */
  public SomTrainer(SomConfig config) {
    this.config = checkNotNull(config, "config");
  }

  /** The configuration. */
  public SomConfig config() {
    return config;
  }

  /**
   * Trains on a matrix with a backend, starting from the configured initialization.
   *
   * @throws IllegalArgumentException on empty data
   * @throws org.refinepoi.core.io.NotEnoughMemoryException when the heap cannot hold the training
   */
  public SomMap train(FloatMatrix data, SomBackend backend) {
    checkNotNull(data, "data");
    checkNotNull(backend, "backend");
    requireMemory(config.lattice(), data.cols());
    if (config.algorithm() == TrainingAlgorithm.ONLINE) {
      long cells = config.lattice().size();
      MemoryBudget.require(
          cells * cells * Double.BYTES,
          "the online training's table of lattice distances (%d cells squared)".formatted(cells));
    }
    FloatMatrix init = config.initialization().initialize(data, config.lattice(), config.seed());
    if (config.algorithm() == TrainingAlgorithm.ONLINE) {
      return new SomMap(config.lattice(), online(data, init));
    }
    try (SomSession session = backend.open(data)) {
      return trainBatch(session, init);
    }
  }

  /**
   * The heap a batch-map training of a lattice on {@code dims}-dimensional data needs besides the
   * data, about 40 bytes per codebook value: the initial and current codebooks, the epoch's sums in
   * doubles and the smoothing's working arrays.
   */
  public static long estimatedTrainingBytes(LatticeSpec lattice, int dims) {
    return (long) lattice.size() * dims * BYTES_PER_CELL_VALUE;
  }

  /**
   * Refuses a training whose codebooks the heap cannot hold (see {@link #estimatedTrainingBytes}),
   * before anything is allocated.
   *
   * @throws org.refinepoi.core.io.NotEnoughMemoryException with the estimate and the free heap
   */
  public static void requireMemory(LatticeSpec lattice, int dims) {
    MemoryBudget.require(
        estimatedTrainingBytes(lattice, dims),
        "training a %dx%d SOM on %d-dimensional data"
            .formatted(lattice.rows(), lattice.cols(), dims));
  }

  /**
   * Runs the batch map on an open session from a given codebook (for callers that keep the session
   * across several maps or time the epochs themselves).
   */
  public SomMap trainBatch(SomSession session, FloatMatrix initialCodebook) {
    return trainBatch(session, initialCodebook, (epoch, radius, codebook) -> {});
  }

  /** Observes a batch-map run: called after every epoch (for progress, timing, monitoring). */
  @FunctionalInterface
  public interface EpochListener {
    /**
     * One epoch finished.
     *
     * @param epoch 0-based epoch index
     * @param radius the radius the epoch used
     * @param codebook the codebook after the epoch
     */
    void epochDone(int epoch, double radius, FloatMatrix codebook);
  }

  /** Like {@link #trainBatch(SomSession, FloatMatrix)}, calling a listener after every epoch. */
  public SomMap trainBatch(
      SomSession session, FloatMatrix initialCodebook, EpochListener listener) {
    checkNotNull(listener, "listener");
    checkNotNull(session, "session");
    checkNotNull(initialCodebook, "initialCodebook");
    LatticeSpec lattice = config.lattice();
    checkArgument(
        initialCodebook.rows() == lattice.size() && initialCodebook.cols() == session.dims(),
        "initial codebook is %sx%s, expected %sx%s",
        initialCodebook.rows(),
        initialCodebook.cols(),
        lattice.size(),
        session.dims());
    FloatMatrix w = initialCodebook;
    int epochs = config.epochs();
    for (int e = 0; e < epochs; e++) {
      double r = config.radius().value(e, epochs);
      w = session.batchEpoch(w, lattice, config.neighbourhood(), r);
      LOG.trace("batch epoch {}/{} radius {}", e + 1, epochs, r);
      listener.epochDone(e, r, w);
    }
    return new SomMap(lattice, w);
  }

  private FloatMatrix online(FloatMatrix data, FloatMatrix init) {
    LatticeSpec lattice = config.lattice();
    int n = data.rows();
    int d = data.cols();
    int m = lattice.size();
    float[] x = data.unsafeData();
    float[] w = init.toArray();
    double[][] sq = new double[m][m];
    for (int j = 0; j < m; j++) {
      for (int k = 0; k < m; k++) {
        sq[j][k] = lattice.squaredDistance(j, k);
      }
    }
    SplittableRandom rnd = new SplittableRandom(config.seed() ^ 0x9E3779B97F4A7C15L);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    long steps = (long) config.epochs() * n;
    long step = 0;
    for (int e = 0; e < config.epochs(); e++) {
      for (int i = n - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      for (int oi = 0; oi < n; oi++) {
        int i = order[oi];
        double r = config.radius().value(step, steps);
        double lr = config.learningRate().value(step, steps);
        step++;
        int bmu = BmuSearch.bmu(w, m, d, x, i * d);
        if (bmu < 0) {
          throw new IllegalStateException(
              "online training diverged at epoch "
                  + (e + 1)
                  + " (prototypes no longer finite); lower the learning rate");
        }
        for (int j = 0; j < m; j++) {
          double h = config.neighbourhood().weight(sq[bmu][j], r);
          if (h == 0) {
            continue;
          }
          float a = (float) (lr * h);
          int wb = j * d;
          int xb = i * d;
          for (int c = 0; c < d; c++) {
            w[wb + c] += a * (x[xb + c] - w[wb + c]);
          }
        }
      }
    }
    return FloatMatrix.wrap(m, d, w);
  }
}
