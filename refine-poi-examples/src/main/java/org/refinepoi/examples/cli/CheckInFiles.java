package org.refinepoi.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.CheckInFormat;
import org.refinepoi.core.data.LoadOptions;
import org.refinepoi.core.data.LoadResult;
import org.refinepoi.core.sid.LatticeSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Loading a check-in file and parsing lattice options, shared by {@code ids} and {@code bench rec}.
 */
final class CheckInFiles {

  private CheckInFiles() {}

  /**
   * Loads a check-in file in a layout (detected when {@code auto}) and prints the load summary.
   *
   * @throws ParameterException when the file does not exist
   * @throws IOException when it cannot be read; malformed lines throw with the file and line
   */
  static CheckInDataset load(
      CommandSpec spec, Path file, DataFormatOption format, boolean lenient, PrintWriter out)
      throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new ParameterException(spec.commandLine(), "--data: no such file: " + file);
    }
    CheckInFormat layout = format.resolve(file);
    LoadResult loaded =
        layout.loader().load(file, lenient ? LoadOptions.lenient() : LoadOptions.strict());
    out.println(loaded.report().summary());
    out.flush();
    return loaded.dataset();
  }

  /** Parses {@code RxC} (for example {@code 16x16}) as a rectangular lattice. */
  static LatticeSpec lattice(CommandSpec spec, String option, String value) {
    String[] parts = value.toLowerCase(java.util.Locale.ROOT).split("x", -1);
    try {
      if (parts.length == 2) {
        int rows = Integer.parseInt(parts[0].trim());
        int cols = Integer.parseInt(parts[1].trim());
        if (rows >= 1 && cols >= 1 && (long) rows * cols >= 2) {
          return LatticeSpec.rectangular(rows, cols);
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ParameterException(
        spec.commandLine(),
        option
            + " must be ROWSxCOLS with at least 2 cells, for example 16x16, got '"
            + value
            + "'");
  }

  /** Checks that an output folder can be created (a file of that name is refused). */
  static void checkOutputDir(CommandSpec spec, Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new ParameterException(spec.commandLine(), "--out: not a folder: " + dir);
    }
  }
}
