package org.refinepoi.som.backend.nd4j;

import org.refinepoi.som.backend.SomBackend;
import org.refinepoi.som.backend.SomBackendProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the ND4J backend ({@code nd4j}). ND4J loads its native library on first use; the
 * provider triggers that load in {@link #availability()} and reports a failure (missing native jar,
 * unsupported CPU, missing CUDA runtime for the CUDA profile) as unavailable with the reason
 * instead of crashing. Priority 50: on the measured 2-core CPU ND4J's matrix product ran far below
 * the Java kernel, so {@code auto} prefers Java; on a GPU through {@code nd4j-cuda} it still ranks
 * below the direct {@code cuda} backend.
 */
public final class Nd4jSomBackendProvider implements SomBackendProvider {

  private static final Logger LOG = LoggerFactory.getLogger(Nd4jSomBackendProvider.class);

  private static volatile Availability cached;

  /** Creates the provider (for {@link java.util.ServiceLoader}). */
  public Nd4jSomBackendProvider() {}

  @Override
  public String name() {
    return "nd4j";
  }

  @Override
  public int priority() {
    return 50;
  }

  @Override
  public Availability availability() {
    Availability a = cached;
    if (a == null) {
      synchronized (Nd4jSomBackendProvider.class) {
        a = cached;
        if (a == null) {
          a = probe();
          cached = a;
        }
      }
    }
    return a;
  }

  static final String MISSING_HINT =
      "ND4J is not on the class path: refine-poi-som does not bring it; add org.nd4j:nd4j-native"
          + " and its platform jar (classifier linux-x86_64, macosx-arm64, windows-x86_64, ...)"
          + " to use the nd4j backend";

  private static Availability probe() {
    try {
      Class.forName(
          "org.nd4j.linalg.factory.Nd4j", false, Nd4jSomBackendProvider.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      LOG.debug("ND4J not on the class path", e);
      return Availability.no(MISSING_HINT);
    }
    try {
      Class.forName("org.nd4j.linalg.factory.Nd4j");
      String backend = backendDescription();
      return Availability.yes("ND4J " + backend);
    } catch (Throwable t) {
      // Native loading fails with Errors (UnsatisfiedLinkError, ExceptionInInitializerError,
      // NoClassDefFoundError), not Exceptions: report them all as unavailable.
      LOG.debug("ND4J unavailable", t);
      Throwable root = t;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      return Availability.no(
          "ND4J could not load: "
              + t
              + (root != t ? " (cause: " + root + ")" : "")
              + (cudaBackendPresent() ? CUDA_HINT : ""));
    }
  }

  static final String CUDA_HINT =
      "; nd4j-cuda-11.6 is on the class path but its backend did not load: it needs an NVIDIA"
          + " driver (libcuda.so.1) and a GPU of compute capability 3.7 to 8.9 (its native"
          + " library has no code for sm_90 or newer; there, use the 'cuda' backend)";

  /** Whether ND4J's CUDA backend classes are on the class path (without initialising them). */
  static boolean cudaBackendPresent() {
    try {
      Class.forName(
          "org.nd4j.linalg.jcublas.JCublasBackend",
          false,
          Nd4jSomBackendProvider.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** The ND4J backend class in use (triggers ND4J's native load). */
  static String backendDescription() {
    return org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName();
  }

  @Override
  public SomBackend create() {
    Availability a = availability();
    if (!a.available()) {
      throw new IllegalStateException("ND4J SOM backend is not available: " + a.reason());
    }
    return new Nd4jSomBackend();
  }
}
