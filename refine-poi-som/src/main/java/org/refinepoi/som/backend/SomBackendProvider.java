package org.refinepoi.som.backend;

/**
 * Discovers one kind of {@link SomBackend} through {@link java.util.ServiceLoader} (list the
 * implementation in {@code META-INF/services/org.refinepoi.som.backend.SomBackendProvider}).
 * Providers must be cheap to construct: probing native libraries or devices belongs in {@link
 * #availability()}, which must not throw (a missing library or device is reported as unavailable
 * with its reason).
 */
public interface SomBackendProvider {

  /** The backend's short name ({@code java}, {@code nd4j}, {@code cuda}). */
  String name();

  /**
   * Preference for automatic selection: the available provider with the highest priority wins.
   * Conventions: pure Java 100, ND4J CPU 50 (slower than the Java kernel on the measured CPUs), a
   * GPU backend 1000.
   */
  int priority();

  /** Whether this backend can run here, and if not, why. Never throws. */
  Availability availability();

  /**
   * Creates the backend.
   *
   * @throws IllegalStateException when the backend is not available (with the reason)
   */
  SomBackend create();

  /**
   * Whether a backend can run, with a human-readable reason.
   *
   * @param available whether {@link #create()} will succeed
   * @param reason what was found, or why it cannot run (for example a native library that did not
   *     load)
   */
  record Availability(boolean available, String reason) {

    /** An available backend. */
    public static Availability yes(String reason) {
      return new Availability(true, reason);
    }

    /** An unavailable backend and why. */
    public static Availability no(String reason) {
      return new Availability(false, reason);
    }
  }
}
