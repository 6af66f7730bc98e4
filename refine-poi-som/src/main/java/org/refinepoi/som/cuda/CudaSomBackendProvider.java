package org.refinepoi.som.cuda;

import org.refinepoi.som.backend.SomBackend;
import org.refinepoi.som.backend.SomBackendProvider;

/**
 * Registers the CUDA backends with {@link java.util.ServiceLoader}: {@code cuda} (FP32 BMU search,
 * preferred by {@code auto} whenever a GPU answers), {@code cuda-3xtf32} and {@code cuda-tf32}
 * (tensor-core BMU search). Without a driver, NVRTC, cuBLAS or device, each reports itself
 * unavailable with the reason and {@code auto} falls back to the CPU.
 */
public class CudaSomBackendProvider implements SomBackendProvider {

  private final CudaPrecision precision;

  /** The {@code cuda} provider (FP32). */
  public CudaSomBackendProvider() {
    this(CudaPrecision.FP32);
  }

  /** A provider for one precision. */
  protected CudaSomBackendProvider(CudaPrecision precision) {
    this.precision = precision;
  }

  @Override
  public String name() {
    return precision == CudaPrecision.FP32 ? "cuda" : "cuda-" + precision.label();
  }

  @Override
  public int priority() {
    return switch (precision) {
      case FP32 -> 1000;
      case TF32X3 -> 990;
      case TF32 -> 980;
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

  /** The {@code cuda-tf32} provider. */
  public static final class Tf32 extends CudaSomBackendProvider {
    /** Creates the provider (for {@link java.util.ServiceLoader}). */
    public Tf32() {
      super(CudaPrecision.TF32);
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
