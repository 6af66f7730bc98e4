package org.refinepoi.core.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a check-in file of one layout into a {@link CheckInDataset}.
 *
 * <p>What every loader refuses, whatever the layout: a compressed file or UTF-16/UTF-32 text (the
 * whole load fails at line 1 with the reason); a line longer than {@link #MAX_LINE_BYTES} and a
 * line that starts with a byte-order mark after the first (two files concatenated), which are
 * malformed lines; a user or POI id that is empty, has a leading or trailing space, or holds a
 * control character (a NUL byte, say) or a byte-order mark, which is a malformed field. So no
 * phantom user or POI is made from bytes that only look like an id.
 */
public interface CheckInLoader {

  /**
   * The longest line a loader reads, in bytes: 16 MiB (real check-in lines are well under 1 KiB). A
   * longer line is malformed: its bytes are skipped without being held in memory, so the read
   * buffer never grows beyond about twice this.
   */
  int MAX_LINE_BYTES = 16 << 20;

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
