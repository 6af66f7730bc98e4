package org.refinepoi.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.LoadResult;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticIdIndex;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Loading a check-in file and parsing lattice options, shared by the commands that read a check-in
 * file.
 */
final class CheckInFiles {

  private CheckInFiles() {}

  /**
   * Loads a check-in file in a layout (detected when {@code auto}) and prints the load summary.
   *
   * @throws ParameterException when the file does not exist
   * @throws IOException when it cannot be read; malformed lines throw with the file and line
   */
  static CheckInDataset load(CommandSpec spec, Path file, LoadingOptions loading, PrintWriter out)
      throws IOException {
    CliOptions.inputFile(spec, "--data", file);
    LoadResult loaded = loading.read(file);
    out.println(loaded.report().summary());
    out.flush();
    return loaded.dataset();
  }

  /**
   * Parses {@code RxC} (for example {@code 16x16}) as a rectangular lattice of at least 2 cells
   * (one cell would tell no POIs apart): the rule of every command's lattice options.
   *
   * @throws ParameterException naming the option when the value breaks the rule
   */
  static LatticeSpec lattice(CommandSpec spec, String option, String value) {
    try {
      return parseLattice(value);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(),
          option
              + " must be ROWSxCOLS with at least 2 cells, for example 16x16, got '"
              + value
              + "'"
              + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
    }
  }

  /**
   * Parses {@code RxC} as a rectangular lattice of at least 2 cells.
   *
   * @throws IllegalArgumentException when it is not one; the message, if any, says why
   */
  static LatticeSpec parseLattice(String value) {
    String[] parts = value.strip().toLowerCase(java.util.Locale.ROOT).split("x", -1);
    int rows;
    int cols;
    try {
      if (parts.length != 2) {
        throw new IllegalArgumentException();
      }
      rows = Integer.parseInt(parts[0].strip());
      cols = Integer.parseInt(parts[1].strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException();
    }
    if (rows < 1 || cols < 1 || (long) rows * cols < 2) {
      throw new IllegalArgumentException(rows + "x" + cols + " has fewer than 2 cells");
    }
    return LatticeSpec.rectangular(rows, cols);
  }

  /** Checks that lattices together make an ID space an index can hold. */
  static List<LatticeSpec> checkSpace(CommandSpec spec, List<LatticeSpec> lattices) {
    try {
      SemanticIdIndex.checkSpaceSize(lattices);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), "the lattices are too large: " + e.getMessage());
    }
    return lattices;
  }

  /**
   * Parses lattice options and checks that together they make an ID space an index can hold.
   *
   * @param values option name, then value, for each level
   */
  static List<LatticeSpec> lattices(CommandSpec spec, String... values) {
    List<LatticeSpec> out = new ArrayList<>();
    for (int i = 0; i < values.length; i += 2) {
      out.add(lattice(spec, values[i], values[i + 1]));
    }
    return checkSpace(spec, out);
  }
}
