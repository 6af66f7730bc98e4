package org.refinepoi.core.data;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The check-in file layouts the SDK reads, with detection from a file's first line. */
public enum CheckInFormat {
  /** The raw TSMC2014 layout, tab-separated without header; see {@link Tsmc2014Loader}. */
  TSMC2014,
  /** The GETNext/LLM4POI CSV layout with a header; see {@link PreprocessedCsvLoader}. */
  PREPROCESSED_CSV,
  /**
   * The SNAP Gowalla check-ins, 5 tab-separated fields without header; see {@link GowallaLoader}
   * (its defaults: UTC offset 0, no bounding box, unknown categories).
   */
  GOWALLA;

  /** A new loader for this layout. */
  public CheckInLoader loader() {
    return switch (this) {
      case TSMC2014 -> new Tsmc2014Loader();
      case PREPROCESSED_CSV -> new PreprocessedCsvLoader();
      case GOWALLA -> new GowallaLoader();
    };
  }

  /**
   * Tells the layout from the first line: 5 tab-separated fields with an ISO-8601 time in the
   * second mean Gowalla; any other line with a tab means TSMC2014; a comma-separated line naming
   * the {@value PreprocessedCsvLoader#POI} column means the preprocessed CSV.
   *
   * @throws IOException if the file cannot be read, is empty, or its first line fits neither
   */
  public static CheckInFormat detect(Path file) throws IOException {
    checkNotNull(file, "file");
    try (InputStream in = Files.newInputStream(file);
        ByteLineReader reader = new ByteLineReader(in)) {
      if (!reader.next()) {
        throw new IOException(file + ": empty file, cannot tell its layout");
      }
      byte[] b = reader.buffer();
      boolean tab = false;
      boolean comma = false;
      for (int i = reader.lineStart(); i < reader.lineEnd(); i++) {
        tab |= b[i] == '\t';
        comma |= b[i] == ',';
      }
      String first =
          new String(
              b,
              reader.lineStart(),
              reader.lineEnd() - reader.lineStart(),
              StandardCharsets.ISO_8859_1);
      if (tab) {
        return isGowallaLine(b, reader.lineStart(), reader.lineEnd()) ? GOWALLA : TSMC2014;
      }
      if (comma && first.contains(PreprocessedCsvLoader.POI)) {
        return PREPROCESSED_CSV;
      }
      throw new IOException(
          file
              + ":1: cannot tell the layout: the first line is neither tab-separated (TSMC2014,"
              + " Gowalla) nor a CSV header naming "
              + PreprocessedCsvLoader.POI);
    }
  }

  /** Whether a line has exactly 5 tab-separated fields, the second an ISO-8601 time. */
  private static boolean isGowallaLine(byte[] b, int from, int to) {
    int tabs = 0;
    int timeFrom = -1;
    int timeTo = -1;
    for (int i = from; i < to; i++) {
      if (b[i] == '\t') {
        tabs++;
        if (tabs == 1) {
          timeFrom = i + 1;
        } else if (tabs == 2) {
          timeTo = i;
        }
      }
    }
    if (tabs != 4) {
      return false;
    }
    try {
      FieldParsing.parseIsoTime(b, timeFrom, timeTo);
      return true;
    } catch (BadFieldException e) {
      return false;
    }
  }

  /**
   * Loads a file after {@linkplain #detect detecting} its layout.
   *
   * @throws IOException if the file cannot be read, its layout is unknown, or loading fails
   */
  public static LoadResult loadAuto(Path file, LoadOptions options) throws IOException {
    return detect(file).loader().load(file, options);
  }
}
