package org.refinepoi.core.data;

import java.io.IOException;
import java.nio.file.Path;

/** Reads a check-in file of one layout into a {@link CheckInDataset}. */
public interface CheckInLoader {

  /**
   * Loads a file, streaming it line by line.
   *
   * @param file the file to read
   * @param options strict (default) or lenient handling of malformed lines
   * @return the dataset and the report of the load
   * @throws MalformedInputLineException in strict mode, on the first malformed line
   * @throws IOException if the file cannot be read or holds no valid check-in
   */
  LoadResult load(Path file, LoadOptions options) throws IOException;

  /**
   * Loads a file in strict mode.
   *
   * @throws IOException if the file cannot be read, holds no valid check-in or has a malformed line
   */
  default LoadResult load(Path file) throws IOException {
    return load(file, LoadOptions.strict());
  }
}
