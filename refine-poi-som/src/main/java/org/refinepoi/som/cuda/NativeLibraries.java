package org.refinepoi.som.cuda;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds and opens the NVIDIA shared libraries (driver, NVRTC, cuBLAS) without any extra jar.
 *
 * <p>Names are tried in order: first the plain sonames through the system loader ({@code dlopen}
 * honours {@code LD_LIBRARY_PATH} and the loader cache), then files in the search directories: the
 * system property {@value #LIBDIR_PROPERTY} (a path-separator list), the environment variable
 * {@code REFINEPOI_CUDA_LIBDIR}, {@code $CUDA_HOME/lib64}, {@code $CUDA_PATH/lib64}, and the
 * toolkit's conventional {@code /usr/local/cuda/lib64}. In a directory, fully versioned files such
 * as {@code libnvrtc.so.13.0.88} are accepted too when their major version is one of those asked
 * for. Failures are collected into one readable reason rather than thrown one at a time.
 */
@SuppressWarnings("restricted") // native access is this package's purpose
final class NativeLibraries {

  /** System property naming extra directories to search for the CUDA libraries. */
  static final String LIBDIR_PROPERTY = "refinepoi.cuda.libdir";

  private static final String LIBDIR_ENV = "REFINEPOI_CUDA_LIBDIR";

  private NativeLibraries() {}

  /** An opened library: its symbols and the name or path that worked. */
  record Opened(SymbolLookup lookup, String source) {}

  /** Thrown when none of the candidates could be opened; the message lists every attempt. */
  static final class LibraryNotFoundException extends Exception {
    private static final long serialVersionUID = 1L;

    LibraryNotFoundException(String message) {
      super(message);
    }
  }

  /**
   * Opens the first library that loads.
   *
   * @param baseName the file name before {@code .so}, e.g. {@code libnvrtc}
   * @param majors the acceptable major versions in order of preference, e.g. {@code "13", "12"}; an
   *     empty string means the unversioned {@code .so}
   * @param arena the arena whose lifetime bounds the library (use {@link Arena#global()} for
   *     process-wide libraries)
   */
  static Opened open(String baseName, List<String> majors, Arena arena)
      throws LibraryNotFoundException {
    return open(baseName, majors, List.of(), arena);
  }

  /**
   * Like {@link #open(String, List, Arena)}, first loading {@code companions} (libraries the target
   * opens itself by soname, such as {@code libnvrtc-builtins}) from the same directory when the
   * target is found by path: a library already loaded is found by its soname, so the target's own
   * {@code dlopen} succeeds even though that directory is not on the loader path.
   */
  static Opened open(String baseName, List<String> majors, List<String> companions, Arena arena)
      throws LibraryNotFoundException {
    checkNotNull(baseName, "baseName");
    checkArgument(!majors.isEmpty(), "at least one version to try");
    List<String> failures = new ArrayList<>();
    for (String candidate : candidates(baseName, majors, searchDirectories(System.getenv()))) {
      try {
        Path parent = Path.of(candidate).getParent();
        if (parent != null) {
          preloadCompanions(parent, companions, majors, arena);
        }
        return new Opened(SymbolLookup.libraryLookup(candidate, arena), candidate);
      } catch (IllegalArgumentException | IllegalCallerException e) {
        failures.add(candidate + " (" + firstLine(e.getMessage()) + ")");
      }
    }
    throw new LibraryNotFoundException("could not load " + baseName + "; tried " + failures);
  }

  /**
   * The ordered, duplicate-free list of names and paths to try: sonames first, then matching files
   * in each directory (exact sonames before fully versioned files, newest version first).
   */
  static List<String> candidates(String baseName, List<String> majors, List<Path> directories) {
    Set<String> out = new LinkedHashSet<>();
    for (String major : majors) {
      out.add(soname(baseName, major));
    }
    for (Path dir : directories) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      for (String major : majors) {
        Path exact = dir.resolve(soname(baseName, major));
        if (Files.isRegularFile(exact)) {
          out.add(exact.toAbsolutePath().toString());
        }
        if (!major.isEmpty()) {
          out.addAll(versionedFiles(dir, baseName, major));
        }
      }
    }
    return List.copyOf(out);
  }

  private static void preloadCompanions(
      Path dir, List<String> companions, List<String> majors, Arena arena) {
    for (String companion : companions) {
      for (String major : majors) {
        if (major.isEmpty()) {
          continue;
        }
        List<String> files = new ArrayList<>();
        Path exact = dir.resolve(soname(companion, major));
        if (Files.isRegularFile(exact)) {
          files.add(exact.toAbsolutePath().toString());
        }
        files.addAll(versionedFiles(dir, companion, major));
        for (String file : files) {
          try {
            SymbolLookup.libraryLookup(file, arena);
          } catch (IllegalArgumentException | IllegalCallerException e) {
            // Best effort: the target library reports what is really missing.
          }
        }
      }
    }
  }

  private static String soname(String baseName, String major) {
    return major.isEmpty() ? baseName + ".so" : baseName + ".so." + major;
  }

  private static List<String> versionedFiles(Path dir, String baseName, String major) {
    Pattern pattern = Pattern.compile(Pattern.quote(baseName + ".so." + major) + "(\\.[0-9]+)+");
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> pattern.matcher(p.getFileName().toString()).matches())
          .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
          .map(p -> p.toAbsolutePath().toString())
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The directories searched after the plain sonames, in order. */
  static List<Path> searchDirectories(Map<String, String> env) {
    List<Path> dirs = new ArrayList<>();
    addPathList(dirs, System.getProperty(LIBDIR_PROPERTY));
    addPathList(dirs, env.get(LIBDIR_ENV));
    for (String home : new String[] {env.get("CUDA_HOME"), env.get("CUDA_PATH")}) {
      if (home != null && !home.isBlank()) {
        dirs.add(Path.of(home, "lib64"));
        dirs.add(Path.of(home, "lib"));
      }
    }
    dirs.add(Path.of("/usr/local/cuda/lib64"));
    return List.copyOf(new LinkedHashSet<>(dirs));
  }

  private static void addPathList(List<Path> dirs, String list) {
    if (list == null || list.isBlank()) {
      return;
    }
    for (String part : list.split(Pattern.quote(java.io.File.pathSeparator))) {
      if (!part.isBlank()) {
        dirs.add(Path.of(part.strip()));
      }
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "not found";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
