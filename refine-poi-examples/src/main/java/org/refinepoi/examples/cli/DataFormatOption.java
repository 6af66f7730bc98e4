package org.refinepoi.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.refinepoi.core.data.CheckInFormat;

/** The {@code --format} choice of the data commands: a layout, or detection from the file. */
public enum DataFormatOption {
  /** Detect from the first line. */
  auto,
  /** The raw TSMC2014 tab-separated layout. */
  tsmc,
  /** The preprocessed GETNext/LLM4POI CSV layout. */
  csv,
  /**
   * The SNAP Gowalla layout ({@code loc-gowalla_totalCheckins.txt}), read with the defaults of
   * {@link org.refinepoi.core.data.GowallaLoader}: UTC offset 0, the whole world, unknown
   * categories.
   */
  gowalla;

  /** The layout this choice means for a file, detecting it when {@link #auto}. */
  public CheckInFormat resolve(Path file) throws IOException {
    return switch (this) {
      case auto -> CheckInFormat.detect(file);
      case tsmc -> CheckInFormat.TSMC2014;
      case csv -> CheckInFormat.PREPROCESSED_CSV;
      case gowalla -> CheckInFormat.GOWALLA;
    };
  }
}
