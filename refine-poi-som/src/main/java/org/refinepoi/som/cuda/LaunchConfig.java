package org.refinepoi.som.cuda;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * A kernel launch shape: a 1-D or 2-D grid of 1-D blocks plus dynamic shared memory.
 *
 * @param gridX blocks along x, at least 1 and at most 2^31 - 1
 * @param gridY blocks along y, 1 to 65535
 * @param blockX threads per block, 1 to 1024
 * @param sharedBytes dynamic shared memory per block in bytes, at least 0
 */
record LaunchConfig(int gridX, int gridY, int blockX, int sharedBytes) {

  /** Validates the limits every CUDA device shares. */
  public LaunchConfig {
    checkArgument(gridX >= 1, "gridX must be >= 1, got %s", gridX);
    checkArgument(gridY >= 1 && gridY <= 65535, "gridY must be in [1, 65535], got %s", gridY);
    checkArgument(blockX >= 1 && blockX <= 1024, "blockX must be in [1, 1024], got %s", blockX);
    checkArgument(sharedBytes >= 0, "sharedBytes must be >= 0, got %s", sharedBytes);
  }

  /** A 1-D launch with enough blocks of {@code threads} threads to cover {@code work} items. */
  public static LaunchConfig cover(long work, int threads) {
    checkArgument(work >= 1, "work must be >= 1, got %s", work);
    long blocks = (work + threads - 1) / threads;
    checkArgument(blocks <= Integer.MAX_VALUE, "too many blocks: %s", blocks);
    return new LaunchConfig((int) blocks, 1, threads, 0);
  }
}
