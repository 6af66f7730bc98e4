package org.refinepoi.som.backend;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds SOM compute backends: by name ({@code java}, {@code nd4j}, {@code cuda}, ...) or {@code
 * auto} (the available provider with the highest {@link SomBackendProvider#priority()}). Providers
 * come from {@link ServiceLoader}, so a backend in another jar is picked up by being on the class
 * path.
 */
public final class SomBackends {

  private static final Logger LOG = LoggerFactory.getLogger(SomBackends.class);

  /** The name that selects automatically. */
  public static final String AUTO = "auto";

  private SomBackends() {}

  /** Every provider on the class path, highest priority first (available or not). */
  public static List<SomBackendProvider> providers() {
    List<SomBackendProvider> out = new ArrayList<>();
    for (SomBackendProvider p : ServiceLoader.load(SomBackendProvider.class)) {
      out.add(p);
    }
    out.sort(
        Comparator.comparingInt(SomBackendProvider::priority)
            .reversed()
            .thenComparing(SomBackendProvider::name));
    return out;
  }

  /**
   * The backend with this name, or the best available one for {@code auto}.
   *
   * @throws IllegalArgumentException for an unknown name (listing the known ones)
   * @throws IllegalStateException when the named backend is not available here (with the reason)
   */
  public static SomBackend byName(String name) {
    checkNotNull(name, "name");
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    List<SomBackendProvider> all = providers();
    if (wanted.equals(AUTO)) {
      for (SomBackendProvider p : all) {
        SomBackendProvider.Availability a = p.availability();
        if (a.available()) {
          LOG.debug("auto-selected SOM backend {} ({})", p.name(), a.reason());
          return p.create();
        }
        LOG.debug("SOM backend {} unavailable: {}", p.name(), a.reason());
      }
      return new JavaSomBackend();
    }
    List<String> names = new ArrayList<>();
    for (SomBackendProvider p : all) {
      names.add(p.name());
      if (p.name().equals(wanted)) {
        SomBackendProvider.Availability a = p.availability();
        if (!a.available()) {
          throw new IllegalStateException(
              "SOM backend '" + wanted + "' is not available here: " + a.reason());
        }
        return p.create();
      }
    }
    checkArgument(false, "unknown SOM backend '%s'; known: %s and auto", name, names);
    throw new AssertionError("unreachable");
  }

  /** The pure-Java reference backend (always available), using all available processors. */
  public static SomBackend java() {
    return new JavaSomBackend();
  }
}
