package org.refinepoi.som.backend;

import static com.google.common.base.Preconditions.checkState;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.train.Neighbourhood;

/** A {@link JavaSomBackend} session: the data stays on the heap, shared by the worker threads. */
final class JavaSomSession implements SomSession {

  /** Samples per task: fixed, so the work split never depends on the thread count. */
  private static final int CHUNK = 2048;

  private final FloatMatrix data;
  private final int threads;
  private final BmuKernel kernel;
  private final ExecutorService pool;
  private boolean closed;
  private float[] sampleNorms;
  private SumFormat format;

  JavaSomSession(FloatMatrix data, int threads, BmuKernel kernel) {
    this.data = data;
    this.kernel = kernel;
    int chunks = (data.rows() + CHUNK - 1) / CHUNK;
    this.threads = Math.min(threads, chunks);
    this.pool =
        this.threads > 1
            ? Executors.newFixedThreadPool(
                this.threads,
                r -> {
                  Thread t = new Thread(r, "refinepoi-som-java");
                  t.setDaemon(true);
                  return t;
                })
            : null;
  }

  @Override
  public long samples() {
    return data.rows();
  }

  @Override
  public int dims() {
    return data.cols();
  }

  private void checkCodebook(FloatMatrix codebook, boolean withSecond) {
    checkState(!closed, "session is closed");
    SomSession.checkCodebook(codebook, data.cols(), withSecond);
  }

  @Override
  public BmuResult bmu(FloatMatrix codebook, boolean withSecond) {
    checkCodebook(codebook, withSecond);
    int n = data.rows();
    int[] best = new int[n];
    int[] second = withSecond ? new int[n] : null;
    float[] dist = new float[n];
    PackedCodebook cb = new PackedCodebook(codebook, kernel.tile());
    float[] x = data.unsafeData();
    forChunks(
        (from, to) -> {
          kernel.bmu(x, from, to, cb, best, null, second);
          JavaBlockKernel.distances(x, from, to, codebook, best, dist);
        });
    return new BmuResult(best, dist, second);
  }

  /**
   * The sums in fixed point ({@link FixedPointSums}, in this session's {@link SumFormat}), so they
   * do not depend on the thread count, and equal the sums of any split of the samples.
   */
  @Override
  public UnitSums accumulate(FloatMatrix codebook) {
    return accumulateFixed(codebook).toUnitSums();
  }

  /** {@link #accumulate} before the conversion to doubles. */
  FixedPointSums accumulateFixed(FloatMatrix codebook) {
    checkCodebook(codebook, false);
    int n = data.rows();
    int d = data.cols();
    int[] best = new int[n];
    float[] score = new float[n];
    PackedCodebook cb = new PackedCodebook(codebook, kernel.tile());
    float[] x = data.unsafeData();
    forChunks((from, to) -> kernel.bmu(x, from, to, cb, best, score, null));
    FixedPointSums.Accumulator acc = FixedPointSums.accumulator(format(), codebook);
    JavaBlockKernel.addRows(x, 0, n, d, best, score, sampleNorms(), 0, acc);
    return acc.build();
  }

  /** The fixed-point format of this session's data, computed once. */
  SumFormat format() {
    if (format == null) {
      format = SumFormat.of(data);
    }
    return format;
  }

  /** Squared norms of the samples, computed once per session (for the expanded-form error). */
  private float[] sampleNorms() {
    if (sampleNorms == null) {
      sampleNorms = JavaBlockKernel.squaredNorms(data.unsafeData(), 0, data.rows(), data.cols());
    }
    return sampleNorms;
  }

  @FunctionalInterface
  private interface RangeTask {
    void run(int from, int to);
  }

  private void forChunks(RangeTask task) {
    int n = data.rows();
    if (pool == null) {
      for (int from = 0; from < n; from += CHUNK) {
        task.run(from, Math.min(n, from + CHUNK));
      }
      return;
    }
    List<Future<?>> futures = new ArrayList<>();
    for (int from = 0; from < n; from += CHUNK) {
      int f = from;
      futures.add(pool.submit(() -> task.run(f, Math.min(n, f + CHUNK))));
    }
    try {
      for (Future<?> fu : futures) {
        fu.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during a SOM epoch", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("SOM worker failed", e.getCause());
    }
  }

  /**
   * Gaussian neighbourhoods on rectangular lattices take the separable path ({@link
   * SeparableGaussianSmoothing}: no M × M matrix, O(M (R + C) D)); every other neighbourhood and
   * lattice the dense default.
   */
  @Override
  public FloatMatrix batchEpoch(
      FloatMatrix codebook, LatticeSpec lattice, Neighbourhood neighbourhood, double radius) {
    SomSession.checkLatticeEpoch(codebook, lattice, neighbourhood, radius);
    return SomSession.smooth(accumulate(codebook), codebook, lattice, neighbourhood, radius);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }
}
