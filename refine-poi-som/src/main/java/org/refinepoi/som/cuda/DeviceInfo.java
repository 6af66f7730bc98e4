package org.refinepoi.som.cuda;

/**
 * What the SOM kernels need to know about a CUDA device.
 *
 * @param ordinal the device's ordinal among visible devices
 * @param name the device's marketing name, e.g. {@code NVIDIA H100 80GB HBM3}
 * @param computeMajor compute capability, major part (9 for Hopper)
 * @param computeMinor compute capability, minor part
 * @param multiprocessors number of streaming multiprocessors
 * @param totalMemoryBytes global memory size
 * @param maxSharedPerBlockOptIn the most shared memory a block may use after opting in
 * @param l2CacheBytes L2 cache size
 */
public record DeviceInfo(
    int ordinal,
    String name,
    int computeMajor,
    int computeMinor,
    int multiprocessors,
    long totalMemoryBytes,
    int maxSharedPerBlockOptIn,
    int l2CacheBytes) {

  /** The NVRTC architecture option for this device, e.g. {@code --gpu-architecture=sm_90}. */
  public String nvrtcArchitectureOption() {
    return "--gpu-architecture=sm_" + computeMajor + computeMinor;
  }

  /** Whether tensor-core TF32 ({@code mma.sync ... tf32}) is available: compute capability 8.0+. */
  public boolean supportsTf32() {
    return computeMajor >= 8;
  }

  @Override
  public String toString() {
    return "%s (sm_%d%d, %d SMs, %.1f GiB)"
        .formatted(
            name,
            computeMajor,
            computeMinor,
            multiprocessors,
            totalMemoryBytes / (double) (1L << 30));
  }
}
