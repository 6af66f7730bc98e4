package org.refinepoi.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real data sets shared beside the repository, which tests skip without. */
public final class SharedData {

  private SharedData() {}

  /**
   * A file of the NYC data set ({@code <shared data>/NYC/<name>}); the test is skipped, saying so,
   * when it is absent.
   */
  public static Path nyc(String name) {
    String root = System.getProperty("refinepoi.shared.data");
    Path file = root == null ? null : Path.of(root, "NYC", name);
    assumeTrue(
        file != null && Files.isReadable(file),
        "real NYC data absent (set -Drefinepoi.shared.data to the shared data folder): " + name);
    return file;
  }
}
