package org.refinepoi.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files of every SDK format kept under {@code src/test/resources/fixtures/} of each module:
 * written once by the version that introduced the format version, so that a later change which can
 * no longer read them (or no longer writes the same bytes) fails a test. Each module's {@code
 * *Fixtures} class builds the fixture's content and has a {@code main} that writes the fixtures
 * again (run it with the module's test class path) when a format version is added.
 */
public final class Fixtures {

  private Fixtures() {}

  /** The path of a fixture file of the module the test runs in. */
  public static Path path(String name) {
    URL url = Fixtures.class.getResource("/fixtures/" + name);
    assertThat(url).as("fixture %s on the test class path", name).isNotNull();
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The bytes of a fixture file. */
  public static byte[] bytes(String name) {
    try {
      return Files.readAllBytes(path(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
