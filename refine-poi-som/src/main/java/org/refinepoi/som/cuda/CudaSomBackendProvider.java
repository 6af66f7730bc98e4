package org.refinepoi.som.cuda;

import org.refinepoi.som.backend.SomBackend;
import org.refinepoi.som.backend.SomBackendProvider;

/**
 * Registers the CUDA backends with {@link java.util.ServiceLoader}: {@code cuda} (TF32 tensor-core
 * BMU search with an FP32 re-rank, preferred by {@code auto} whenever a GPU of compute capability
 * 8.0+ answers), {@code cuda-3xtf32} and {@code cuda-fp32} (the FP32 reference on the CUDA cores,
 * any GPU). Without a driver, NVRTC, cuBLAS or device, each reports itself unavailable with the
 * reason and {@code auto} falls back to the CPU.
 */
public class CudaSomBackendProvider implements SomBackendProvider {

  private final CudaPrecision precision;

  /** The {@code cuda} provider ({@link CudaPrecision#DEFAULT}). */
  public CudaSomBackendProvider() {
    this(CudaPrecision.DEFAULT);
  }

  /** A provider for one precision. */
  protected CudaSomBackendProvider(CudaPrecision precision) {
    this.precision = precision;
  }

  @Override
  public String name() {
    return precision.backendName();
  }

  @Override
  public int priority() {
    return switch (precision) {
      case TF32 -> 1000;
      case TF32X3 -> 990;
      case FP32 -> 980;
    };
  }

  @Override
  public Availability availability() {
    return CudaSomBackend.probe(precision, Integer.getInteger(CudaSomBackend.DEVICE_PROPERTY, 0));
  }

  @Override
  public SomBackend create() {
    return new CudaSomBackend(precision);
  }

  /** The {@code cuda-fp32} provider. */
  public static final class Fp32 extends CudaSomBackendProvider {
    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public Fp32() {
      super(CudaPrecision.FP32);
    }
  }

  /** The {@code cuda-3xtf32} provider. */
  public static final class Tf32x3 extends CudaSomBackendProvider {
    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public Tf32x3() {
      super(CudaPrecision.TF32X3);
    }
  }
}
