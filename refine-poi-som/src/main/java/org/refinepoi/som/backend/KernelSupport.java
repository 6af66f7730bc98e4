package org.refinepoi.som.backend;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the fastest BMU kernel this JVM can run. */
final class KernelSupport {

  private static final Logger LOG = LoggerFactory.getLogger(KernelSupport.class);

  /** System property forcing a kernel: {@code scalar} or {@code vector}. */
  static final String KERNEL_PROPERTY = "refinepoi.som.kernel";

  private KernelSupport() {}

  static IllegalArgumentException overflow(int sample) {
    return new IllegalArgumentException(
        "sample "
            + sample
            + ": every distance to the codebook is infinite or NaN in float32; scale the data"
            + " (values around 1e19 and above overflow squared distances)");
  }

  /** Whether the JDK's incubating Vector API module was enabled at launch. */
  static boolean vectorModulePresent() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /**
   * The vector kernel when {@code jdk.incubator.vector} is enabled (loaded reflectively, so this
   * class never links against the module when it is absent), else the scalar kernel.
   */
  static BmuKernel best() {
    String forced = System.getProperty(KERNEL_PROPERTY, "");
    if (forced.equals("scalar")) {
      return new ScalarBmuKernel();
    }
    if (vectorModulePresent()) {
      try {
        return (BmuKernel)
            Class.forName("org.refinepoi.som.backend.VectorBmuKernel")
                .getDeclaredConstructor()
                .newInstance();
      } catch (ReflectiveOperationException | LinkageError e) {
        LOG.warn("Vector API kernel failed to load, using the scalar kernel", e);
      }
    } else if (forced.equals("vector")) {
      throw new IllegalStateException(
          "the vector kernel needs the JVM flag --add-modules jdk.incubator.vector");
    } else {
      LOG.debug(
          "jdk.incubator.vector not enabled: the Java SOM backend uses its scalar kernel"
              + " (add --add-modules jdk.incubator.vector for the SIMD one)");
    }
    return new ScalarBmuKernel();
  }
}
