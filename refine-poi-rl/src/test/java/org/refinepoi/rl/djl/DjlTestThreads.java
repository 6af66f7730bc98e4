package org.refinepoi.rl.djl;

/**
 * Pins the PyTorch engine to one intra-op and one inter-op thread for tests, unless the build sets
 * otherwise. On a shared two-core machine two OpenMP threads per test JVM spin against other builds
 * and made the SFT test about 20 times slower; one thread also makes float results reproducible.
 * Must run before the engine is first used, hence a call from every DJL test class's static
 * initializer.
 */
final class DjlTestThreads {

  private DjlTestThreads() {}

  static void pin() {
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", "1");
    }
    if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
  }
}
