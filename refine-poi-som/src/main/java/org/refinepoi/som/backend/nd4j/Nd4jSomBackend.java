package org.refinepoi.som.backend.nd4j;

import static com.google.common.base.Preconditions.checkNotNull;

import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.som.backend.SomBackend;
import org.refinepoi.som.backend.SomSession;

/**
 * The ND4J backend: the whole batch-map epoch in ND4J ops on the backend's own arrays, so that
 * swapping {@code nd4j-native} (CPU, the default) for {@code nd4j-cuda-11.6} (the module's {@code
 * nd4j-cuda} Maven profile) moves the whole epoch to the GPU. Per chunk of rows: scores {@code
 * ||w||^2 - 2 X W^T} by {@code mmul}, BMUs by {@code argMin}, per-unit sums and counts by {@code
 * unsorted_segment_sum} into double accumulators; then the neighbourhood update as products (see
 * {@link Nd4jSomSession}). Only the M × D codebook crosses to the host per epoch.
 *
 * <p>Ties: equal prototypes are found on the host (one hash pass over the codebook) and only the
 * lowest index of each group takes part in the argmin, so exact ties follow the lowest-index rule
 * whatever the BLAS does; near-ties follow ND4J's matrix-product rounding, which can order them
 * differently from the Java backend. On the CPU backend the sums are deterministic (the segment sum
 * runs in sample order, chunks in order); on CUDA the segment sum's atomics may add a unit's
 * samples in any order, so sums agree run to run only to float rounding.
 */
public final class Nd4jSomBackend implements SomBackend {

  /** Most rows per matrix product. */
  static final int MAX_CHUNK = 8192;

  /** Score-matrix floats per chunk: 8M (32 MB), so a 64 × 64 map takes 2048 rows at a time. */
  static final long CHUNK_SCORES = 8L << 20;

  /** Rows per chunk for M units: at most {@link #MAX_CHUNK}, the chunk × M scores within 32 MB. */
  static int chunkRows(int units) {
    return (int) Math.max(64, Math.min(MAX_CHUNK, CHUNK_SCORES / Math.max(1, units)));
  }

  /** Use {@link Nd4jSomBackendProvider#create()} or {@code SomBackends.byName("nd4j")}. */
  Nd4jSomBackend() {}

  @Override
  public String name() {
    return "nd4j";
  }

  @Override
  public SomSession open(FloatMatrix data) {
    checkNotNull(data, "data");
    return new Nd4jSomSession(data);
  }

  @Override
  public String toString() {
    return "Nd4jSomBackend[" + Nd4jSomBackendProvider.backendDescription() + "]";
  }
}
