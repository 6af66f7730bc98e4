package org.refinepoi.som.backend;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.refinepoi.core.math.FloatMatrix;

/**
 * The pure-Java backend: the reference implementation and the test oracle. Multithreaded over fixed
 * chunks of samples (results do not depend on the thread count: BMUs are per sample and the
 * per-unit sums are exact 64-bit fixed-point sums, {@link FixedPointSums}, so they also equal the
 * sums of any split of the samples, as a distributed run forms them with {@link JavaBlockKernel}),
 * with a fused, cache-blocked distance + argmin kernel that never writes the N × M distance matrix.
 * With {@code --add-modules jdk.incubator.vector} it runs a SIMD kernel on the JDK Vector API;
 * without it, a scalar kernel with the same arithmetic (and so the same BMUs).
 */
public final class JavaSomBackend implements SomBackend {

  private final int threads;
  private final BmuKernel kernel;

  /** A backend using every available processor. */
  public JavaSomBackend() {
    this(Runtime.getRuntime().availableProcessors());
  }

  /**
   * A backend with a fixed number of worker threads.
   *
   * @param threads at least 1
   */
  public JavaSomBackend(int threads) {
    checkArgument(threads >= 1, "threads must be >= 1, got %s", threads);
    this.threads = threads;
    this.kernel = KernelSupport.best();
  }

  /** Number of worker threads per session. */
  public int threads() {
    return threads;
  }

  /** Which kernel runs: {@code vector(512-bit, 16 lanes)} or {@code scalar}. */
  public String kernelDescription() {
    return kernel.description();
  }

  @Override
  public String name() {
    return "java";
  }

  @Override
  public SomSession open(FloatMatrix data) {
    checkNotNull(data, "data");
    return new JavaSomSession(data, threads, kernel);
  }

  @Override
  public String toString() {
    return "JavaSomBackend[threads=" + threads + ", kernel=" + kernel.description() + "]";
  }
}
