package org.refinepoi.som.cuda;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Launch shapes and shared-memory sizes of the kernels in {@code som_kernels.cu}. The constants
 * mirror the kernel source's {@code #define}s; they are host-side arithmetic, unit-tested without a
 * GPU.
 */
final class LaunchPlanner {

  /** Samples per block of both BMU kernels ({@code BMU_TS}). */
  static final int BMU_SAMPLES_PER_BLOCK = 128;

  /** Units per tile of both BMU kernels ({@code BMU_TU}). */
  static final int BMU_UNITS_PER_TILE = 128;

  /** Threads per block of both BMU kernels ({@code BMU_THREADS}). */
  static final int BMU_THREADS = 256;

  /** Feature chunk of the tensor-core kernel's prototype tile ({@code MMA_KC}). */
  static final int MMA_K_CHUNK = 32;

  /** Candidates per sample the TF32 kernel re-ranks in FP32 ({@code RR_K}). */
  static final int RERANK_CANDIDATES = 4;

  /** Threads per block of the elementwise and per-warp kernels. */
  static final int THREADS = 256;

  /** Threads per block of the tree kernel (one block per child map). */
  static final int TREE_THREADS = 256;

  private LaunchPlanner() {}

  /** The BMU launch over {@code n} samples: one block per 128 samples. */
  static LaunchConfig bmu(int n, CudaPrecision precision, int d) {
    checkArgument(n >= 1, "n must be >= 1, got %s", n);
    int blocks = (n + BMU_SAMPLES_PER_BLOCK - 1) / BMU_SAMPLES_PER_BLOCK;
    int shared = precision.tensorCores() ? mmaSharedBytes(d) : 0;
    return new LaunchConfig(blocks, 1, BMU_THREADS, shared);
  }

  /**
   * Dynamic shared memory of the tensor-core BMU kernel: the resident sample tile {@code 128 x
   * (roundup(d, 32) + 4)}, the prototype chunk {@code 128 x 36}, the tile's norms (128) and the
   * cross-warp merge area ({@code 2 x 128 x RR_K} floats and as many ints), all 4-byte words.
   */
  static int mmaSharedBytes(int d) {
    checkArgument(d >= 1, "d must be >= 1, got %s", d);
    long dpad = ((d + 31L) / 32) * 32;
    long words =
        BMU_SAMPLES_PER_BLOCK * (dpad + 4)
            + (long) BMU_UNITS_PER_TILE * (MMA_K_CHUNK + 4)
            + BMU_UNITS_PER_TILE
            + 2L * 2 * BMU_SAMPLES_PER_BLOCK * RERANK_CANDIDATES;
    return Math.toIntExact(words * 4);
  }

  /** One thread per item (row norms). */
  static LaunchConfig threadPerItem(long items) {
    return LaunchConfig.cover(items, THREADS);
  }

  /** One warp per item (divide-update, QE/TE). */
  static LaunchConfig warpPerItem(long items) {
    return LaunchConfig.cover(items * 32, THREADS);
  }

  /**
   * A grid-stride launch over {@code work} elements, capped at {@code 32 x multiprocessors} blocks
   * (enough to fill the device; the kernels loop over the rest).
   */
  static LaunchConfig gridStride(long work, int multiprocessors) {
    checkArgument(work >= 1, "work must be >= 1, got %s", work);
    long needed = (work + THREADS - 1) / THREADS;
    long cap = Math.max(1, 32L * multiprocessors);
    return new LaunchConfig((int) Math.min(needed, cap), 1, THREADS, 0);
  }

  /** Blocks of the QE/TE kernel: a fixed count so its partial sums have a fixed order. */
  static LaunchConfig qeTe(long n, int multiprocessors) {
    long warpsPerBlock = THREADS / 32;
    long needed = (n + warpsPerBlock - 1) / warpsPerBlock;
    long cap = Math.max(1, 8L * multiprocessors);
    return new LaunchConfig((int) Math.max(1, Math.min(needed, cap)), 1, THREADS, 0);
  }

  /**
   * Dynamic shared memory of the tree kernel for children of {@code mc} units and {@code d}
   * features: codebook, norms, neighbourhood, {@code G} partial sums and counts with {@code G =
   * max(1, threads / d)} feature-column groups.
   */
  static int treeSharedBytes(int mc, int d) {
    checkArgument(mc >= 1 && d >= 1, "mc and d must be >= 1, got %s, %s", mc, d);
    long g = Math.max(1, TREE_THREADS / d);
    long words = (long) mc * d + mc + (long) mc * mc + g * mc * d + g * mc;
    return Math.toIntExact(words * 4);
  }
}
