package org.refinepoi.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary files and folders for the property tests, which jqwik gives no {@code @TempDir}: a file
 * that lives for one try ({@link #withFile}), or a folder made in a {@code BeforeContainer} method
 * and deleted with its contents in an {@code AfterContainer} one.
 */
public final class Scratch {

  private Scratch() {}

  /** What runs on a temporary file. */
  @FunctionalInterface
  public interface Body {
    /** Runs on the file. */
    void accept(Path file) throws Exception;
  }

  /** Writes {@code bytes} to a new temporary file, runs {@code body} on it, deletes it. */
  public static void withFile(String suffix, byte[] bytes, Body body) throws Exception {
    Path file = Files.createTempFile("hostile-", suffix);
    try {
      Files.write(file, bytes);
      body.accept(file);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** A new empty temporary folder. */
  public static Path folder(String prefix) throws IOException {
    return Files.createTempDirectory(prefix);
  }

  /** Deletes a folder and everything in it. */
  public static void delete(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
