package org.refinepoi.som.backend.nd4j;

import static com.google.common.base.Preconditions.checkNotNull;

import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.som.backend.SomBackend;
import org.refinepoi.som.backend.SomSession;

/**
 * The ND4J backend: BMU search as ND4J matrix products over row chunks ({@code ||w||^2 - 2 X W^T},
 * then ND4J's argmin), data resident in an ND4J array for the session. Runs on {@code nd4j-native}
 * (CPU) by default; the {@code nd4j-cuda} Maven profile of this module swaps in {@code
 * nd4j-cuda-11.6} (unverified: it needs a CUDA 11.x runtime). Per-unit sums are added on the host
 * in sample order (double precision), so they are deterministic; the BMUs follow ND4J's
 * matrix-product rounding, which can order near-ties differently from the Java backend.
 */
public final class Nd4jSomBackend implements SomBackend {

  /** Rows per matrix product: bounds the chunk's N × M score matrix (8192 × M floats). */
  static final int CHUNK = 8192;

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
