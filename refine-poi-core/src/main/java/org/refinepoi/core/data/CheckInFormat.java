package org.refinepoi.core.data;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The check-in file layouts the SDK reads, with detection from a file's first lines. */
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

  /** How many non-blank lines {@link #detect} looks at. */
  static final int DETECTION_LINES = 50;

  /**
   * Tells the layout from the file's first {@value #DETECTION_LINES} non-blank lines (blank lines
   * are skipped): a first line that is a comma-separated header naming the {@value
   * PreprocessedCsvLoader#POI} column means the preprocessed CSV; otherwise each tab-separated line
   * votes, with 5 fields and an ISO-8601 time in the second for Gowalla, with 8 fields for
   * TSMC2014, and the layout with more votes wins (TSMC2014 when no line votes), so a few bad lines
   * at the top do not decide the layout.
   *
   * @throws MalformedInputLineException when the file is compressed or not 8-bit text
   * @throws IOException if the file cannot be read, is empty, or its lines fit no layout
   */
  public static CheckInFormat detect(Path file) throws IOException {
    checkNotNull(file, "file");
    try (InputStream in = Files.newInputStream(file);
        ByteLineReader reader = new ByteLineReader(in, file.toString())) {
      int seen = 0;
      int tabbed = 0;
      int gowalla = 0;
      int tsmc = 0;
      long firstLine = 0;
      while (seen < DETECTION_LINES && reader.next()) {
        int from = reader.lineStart();
        int to = reader.lineEnd();
        if (reader.problem() == null && from == to) {
          continue;
        }
        seen++;
        byte[] b = reader.buffer();
        if (seen == 1) {
          firstLine = reader.lineNumber();
          if (isCsvHeader(b, from, to)) {
            return PREPROCESSED_CSV;
          }
        }
        int tabs = 0;
        for (int i = from; i < to; i++) {
          if (b[i] == '\t') {
            tabs++;
          }
        }
        tabbed += tabs > 0 ? 1 : 0;
        gowalla += tabs == 4 && isoTimeSecond(b, from, to) ? 1 : 0;
        tsmc += tabs == 7 ? 1 : 0;
      }
      if (seen == 0) {
        throw new IOException(file + ": empty file (or only blank lines), cannot tell its layout");
      }
      if (tabbed == 0) {
        throw new IOException(
            "%s:%d: cannot tell the layout: the first line is no CSV header naming %s and none of"
                    .formatted(file, firstLine, PreprocessedCsvLoader.POI)
                + " the first %d non-blank lines is tab-separated (TSMC2014, Gowalla); give the"
                    .formatted(seen)
                + " layout with --format");
      }
      return gowalla > tsmc ? GOWALLA : TSMC2014;
    }
  }

  /** Whether the second tab-separated field of a line is an ISO-8601 time. */
  private static boolean isoTimeSecond(byte[] b, int from, int to) {
    int start = -1;
    for (int i = from; i < to; i++) {
      if (b[i] == '\t') {
        if (start >= 0) {
          try {
            FieldParsing.parseIsoTime(b, start, i);
            return true;
          } catch (BadFieldException e) {
            return false;
          }
        }
        start = i + 1;
      }
    }
    return false;
  }

  private static boolean isCsvHeader(byte[] b, int from, int to) {
    boolean comma = false;
    for (int i = from; i < to && !comma; i++) {
      comma = b[i] == ',';
    }
    return comma
        && new String(b, from, to - from, StandardCharsets.ISO_8859_1)
            .contains(PreprocessedCsvLoader.POI);
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
