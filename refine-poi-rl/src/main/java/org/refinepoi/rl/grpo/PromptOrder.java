package org.refinepoi.rl.grpo;

import java.util.SplittableRandom;

/**
 * The endless sequence of prompt indices a GRPO trainer walks: each epoch a fresh permutation of
 * the prompts, seeded by {@code (seed, epoch)}, so that the position alone fixes the prompt (what
 * makes a resumed run repeat the uninterrupted one). Not thread-safe (caches the current epoch).
 */
final class PromptOrder {

  private final int size;
  private final long seed;
  private long cachedEpoch = -1;
  private int[] cachedOrder;

  PromptOrder(int size, long seed) {
    this.size = size;
    this.seed = seed;
  }

  /** The prompt index at a position of the sequence. */
  int at(long position) {
    long epoch = position / size;
    if (epoch != cachedEpoch) {
      int[] order = new int[size];
      for (int i = 0; i < size; i++) {
        order[i] = i;
      }
      SplittableRandom random = new SplittableRandom(seed * 31 + epoch);
      for (int i = size - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      cachedOrder = order;
      cachedEpoch = epoch;
    }
    return cachedOrder[(int) (position % size)];
  }

  /** The seed of a step's sampling, derived from the trainer's seed and the step counter. */
  static long stepSeed(long seed, long step) {
    return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (step + 1))).nextLong();
  }
}
