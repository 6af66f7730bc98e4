package org.refinepoi.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.refinepoi.core.data.CheckInFormat;
import org.refinepoi.core.data.LoadOptions;
import org.refinepoi.core.data.LoadResult;
import picocli.CommandLine.Option;

/**
 * How a check-in file is read: {@code --format} and {@code --lenient}, the same two options with
 * the same meaning on every command that reads one (a picocli mixin).
 */
final class LoadingOptions {

  @Option(
      names = "--format",
      defaultValue = "auto",
      description =
          "File layout of --data: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}: detect from"
              + " the first line).")
  DataFormatOption format;

  @Option(
      names = "--lenient",
      description =
          "Skip malformed lines of --data (each reported with file and line) instead of failing.")
  boolean lenient;

  /** The layout of {@code file}: the one asked for, or the one its first line shows. */
  CheckInFormat layout(Path file) throws IOException {
    return format.resolve(file);
  }

  /** Strict, or lenient when {@code --lenient} was given. */
  LoadOptions loadOptions() {
    return lenient ? LoadOptions.lenient() : LoadOptions.strict();
  }

  /**
   * Reads {@code file} in its layout; malformed lines throw with the file and line unless lenient.
   */
  LoadResult read(Path file) throws IOException {
    return layout(file).loader().load(file, loadOptions());
  }
}
