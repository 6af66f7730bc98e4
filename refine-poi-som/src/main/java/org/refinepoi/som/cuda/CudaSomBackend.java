package org.refinepoi.som.cuda;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.backend.BatchedMapTraining;
import org.refinepoi.som.backend.SomBackend;
import org.refinepoi.som.backend.SomBackendProvider.Availability;

/**
 * The CUDA SOM backend: the samples stay resident on the GPU (or stream through it in chunks when
 * they do not fit), the BMU search is one fused distance + argmin kernel that never writes the N ×
 * M distance matrix, per-unit sums are deterministic 64-bit fixed point, and the neighbourhood
 * update {@code W = (H S) / (H c)} is one cuBLAS SGEMM plus a divide kernel, so a whole batch-map
 * epoch ({@link org.refinepoi.som.backend.SomSession#batchEpoch}) moves only the codebook and the
 * neighbourhood matrix across the bus.
 *
 * <p>Everything goes through {@code java.lang.foreign} to {@code libcuda.so.1}, NVRTC and cuBLAS
 * (no extra jars); the kernels are compiled at run time for the device found. Needs {@code
 * --enable-native-access=ALL-UNNAMED}.
 *
 * <p><b>Determinism.</b> BMUs, sums and QE/TE do not depend on thread scheduling (fixed-point
 * atomics, fixed reduction orders). Results may differ from the pure-Java backend where two units'
 * distances are within float rounding of each other (see {@link CudaPrecision}).
 */
public final class CudaSomBackend implements SomBackend, BatchedMapTraining {

  /** System property choosing the device ordinal (default 0). */
  public static final String DEVICE_PROPERTY = "refinepoi.cuda.device";

  /**
   * System property capping the device bytes used for sample rows (forces chunked streaming when
   * the data is larger; for testing the streaming path on a large GPU).
   */
  public static final String MAX_DATA_BYTES_PROPERTY = "refinepoi.cuda.maxDataBytes";

  private final CudaPrecision precision;
  private final int device;

  /** A backend on the device named by {@value #DEVICE_PROPERTY} (default 0). */
  public CudaSomBackend(CudaPrecision precision) {
    this(precision, Integer.getInteger(DEVICE_PROPERTY, 0));
  }

  /**
   * A backend on a given device.
   *
   * @throws IllegalStateException when CUDA is unavailable here (with the reason)
   */
  public CudaSomBackend(CudaPrecision precision, int device) {
    this.precision = checkNotNull(precision, "precision");
    checkArgument(device >= 0, "device ordinal must be >= 0, got %s", device);
    this.device = device;
    Availability a = probe(precision, device);
    if (!a.available()) {
      throw new IllegalStateException("CUDA SOM backend unavailable: " + a.reason());
    }
  }

  /**
   * Whether the CUDA backend can run here with this precision on this device, and why not. Never
   * throws: a missing driver, NVRTC or cuBLAS, no device, or a device too old for the precision are
   * reported.
   */
  public static Availability probe(CudaPrecision precision, int device) {
    try {
      CudaDriver.Loaded driver = CudaDriver.load();
      if (!driver.available()) {
        return Availability.no(driver.unavailableReason());
      }
      int count = driver.driver().deviceCount();
      if (device >= count) {
        return Availability.no("no CUDA device " + device + " (" + count + " visible)");
      }
      Nvrtc.Loaded nvrtc = Nvrtc.load();
      if (!nvrtc.available()) {
        return Availability.no(nvrtc.unavailableReason());
      }
      Cublas.Loaded cublas = Cublas.load();
      if (!cublas.available()) {
        return Availability.no(cublas.unavailableReason());
      }
      DeviceInfo info = driver.driver().deviceInfo(device);
      if (!precision.supportedOn(info)) {
        return Availability.no(
            precision.label()
                + " needs compute capability 8.0+, "
                + info
                + " has "
                + info.computeMajor()
                + "."
                + info.computeMinor());
      }
      return Availability.yes(
          "CUDA "
              + precision.label()
              + " on "
              + info
              + ", driver "
              + driver.driver().driverVersion()
              + ", NVRTC "
              + nvrtc.nvrtc().library()
              + ", cuBLAS "
              + cublas.cublas().library());
    } catch (RuntimeException e) {
      return Availability.no("CUDA probe failed: " + e.getMessage());
    }
  }

  @Override
  public String name() {
    return precision.backendName();
  }

  /** The BMU precision. */
  public CudaPrecision precision() {
    return precision;
  }

  @Override
  public CudaSomSession open(FloatMatrix data) {
    return open(data, Long.getLong(MAX_DATA_BYTES_PROPERTY, Long.MAX_VALUE));
  }

  /**
   * Opens a session that uses at most {@code maxDataBytes} of device memory for the sample rows:
   * when the data is larger it streams through the device in double-buffered chunks every pass.
   */
  public CudaSomSession open(FloatMatrix data, long maxDataBytes) {
    checkNotNull(data, "data");
    checkArgument(maxDataBytes > 0, "maxDataBytes must be > 0, got %s", maxDataBytes);
    return new CudaSomSession(data, precision, device, maxDataBytes);
  }

  /**
   * Opens a batched trainer for the child maps of a hierarchical SOM: every child is trained by the
   * same launches (one per epoch for all children), not one launch sequence per parent cell.
   *
   * @param data all samples (N × D)
   * @param parentOf the parent cell of each sample, in {@code [0, parents)}
   * @param parents number of parent cells (= child maps)
   * @param childLattice the lattice every child map shares
   */
  CudaTreeSession openTree(
      FloatMatrix data, int[] parentOf, int parents, LatticeSpec childLattice) {
    return new CudaTreeSession(data, parentOf, parents, childLattice, device);
  }

  /** Whether one block's shared memory holds a child map's working set (see {@link #openTree}). */
  @Override
  public boolean canTrainMaps(LatticeSpec lattice, int dims) {
    checkNotNull(lattice, "lattice");
    checkArgument(dims >= 1, "dims must be >= 1, got %s", dims);
    long bytes;
    try {
      bytes = LaunchPlanner.treeSharedBytes(lattice.size(), dims);
    } catch (ArithmeticException e) {
      return false;
    }
    CudaDriver.Loaded driver = CudaDriver.load();
    return driver.available()
        && bytes <= driver.driver().deviceInfo(device).maxSharedPerBlockOptIn();
  }

  /** Trains the maps in one {@link CudaTreeSession} launch (one thread block per map). */
  @Override
  public FloatMatrix trainMaps(
      FloatMatrix data,
      int[] groupOf,
      int maps,
      LatticeSpec lattice,
      FloatMatrix initial,
      List<float[]> neighbourhoods) {
    try (CudaTreeSession tree = openTree(data, groupOf, maps, lattice)) {
      return tree.train(initial, neighbourhoods);
    }
  }

  @Override
  public String toString() {
    return "CudaSomBackend[" + name() + ", device " + device + "]";
  }
}
