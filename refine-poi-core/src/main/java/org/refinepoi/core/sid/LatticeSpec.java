package org.refinepoi.core.sid;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * The geometry of one SOM lattice (one level of a semantic ID): its size, cell shape and whether it
 * wraps around. Cells are numbered row-major: {@code cell = row * cols + col}.
 *
 * <p>Cell positions in the plane: on a rectangular lattice cell (r, c) sits at (c, r). On a
 * hexagonal lattice (pointy-top, "odd-r" offset rows, the layout MiniSom and somoclu draw) odd rows
 * are shifted right by one half and rows are {@code sqrt(3)/2} apart, so every cell has six
 * neighbours at distance exactly 1. A toroidal lattice wraps in both directions; a hexagonal torus
 * needs an even number of rows so that the row parity pattern closes.
 *
 * @param rows number of rows, at least 1
 * @param cols number of columns, at least 1
 * @param topology the cell shape
 * @param toroidal whether the lattice wraps around at its edges
 */
public record LatticeSpec(int rows, int cols, Topology topology, boolean toroidal)
    implements java.io.Serializable {

  /** The shape of lattice cells. */
  public enum Topology {
    /** Square cells; neighbours are the eight cells at Chebyshev distance 1. */
    RECTANGULAR,
    /** Hexagonal cells; neighbours are the six cells at Euclidean distance 1. */
    HEXAGONAL
  }

  private static final double ROW_HEIGHT_HEX = Math.sqrt(3) / 2;
  private static final double EPS = 1e-9;

  /** Validates the size and the hexagonal-torus parity. */
  public LatticeSpec {
    checkNotNull(topology, "topology");
    checkArgument(rows >= 1 && cols >= 1, "lattice needs rows, cols >= 1, got %sx%s", rows, cols);
    checkArgument((long) rows * cols <= 1 << 24, "lattice too large: %sx%s cells", rows, cols);
    checkArgument(
        !(toroidal && topology == Topology.HEXAGONAL && rows % 2 != 0),
        "a hexagonal torus needs an even number of rows, got %s",
        rows);
  }

  /** A planar rectangular lattice. */
  public static LatticeSpec rectangular(int rows, int cols) {
    return new LatticeSpec(rows, cols, Topology.RECTANGULAR, false);
  }

  /** A planar hexagonal lattice. */
  public static LatticeSpec hexagonal(int rows, int cols) {
    return new LatticeSpec(rows, cols, Topology.HEXAGONAL, false);
  }

  /** Number of cells. */
  public int size() {
    return rows * cols;
  }

  /** Row of a cell. */
  public int row(int cell) {
    checkElementIndex(cell, size(), "cell");
    return cell / cols;
  }

  /** Column of a cell. */
  public int col(int cell) {
    checkElementIndex(cell, size(), "cell");
    return cell % cols;
  }

  /** The cell at a row and column. */
  public int cell(int row, int col) {
    checkElementIndex(row, rows, "row");
    checkElementIndex(col, cols, "col");
    return row * cols + col;
  }

  /** Horizontal plane coordinate of a cell's centre. */
  public double x(int cell) {
    int r = row(cell);
    double shift = topology == Topology.HEXAGONAL && (r & 1) == 1 ? 0.5 : 0.0;
    return col(cell) + shift;
  }

  /** Vertical plane coordinate of a cell's centre. */
  public double y(int cell) {
    return topology == Topology.HEXAGONAL ? row(cell) * ROW_HEIGHT_HEX : row(cell);
  }

  /** Width of the lattice in plane units (the wrap-around period when toroidal). */
  public double width() {
    return cols;
  }

  /** Height of the lattice in plane units (the wrap-around period when toroidal). */
  public double height() {
    return topology == Topology.HEXAGONAL ? rows * ROW_HEIGHT_HEX : rows;
  }

  /**
   * Squared Euclidean distance between two cell centres in the plane, taking the shorter way around
   * on a torus. This is what neighbourhood functions take.
   */
  public double squaredDistance(int a, int b) {
    double dx = Math.abs(x(a) - x(b));
    double dy = Math.abs(y(a) - y(b));
    if (toroidal) {
      dx = Math.min(dx, width() - dx);
      dy = Math.min(dy, height() - dy);
    }
    return dx * dx + dy * dy;
  }

  /** Euclidean distance between two cell centres in the plane (toroidal when the lattice is). */
  public double distance(int a, int b) {
    return Math.sqrt(squaredDistance(a, b));
  }

  /**
   * Whether two distinct cells are lattice neighbours: Chebyshev distance 1 on a rectangular
   * lattice (8 neighbours), Euclidean distance 1 on a hexagonal one (6 neighbours); wrap-around
   * counts on a torus. Topographic error uses this.
   */
  public boolean adjacent(int a, int b) {
    if (a == b) {
      return false;
    }
    if (topology == Topology.HEXAGONAL) {
      return squaredDistance(a, b) <= 1 + EPS;
    }
    int dr = Math.abs(row(a) - row(b));
    int dc = Math.abs(col(a) - col(b));
    if (toroidal) {
      dr = Math.min(dr, rows - dr);
      dc = Math.min(dc, cols - dc);
    }
    return Math.max(dr, dc) <= 1;
  }

  /**
   * The largest distance between two cells of this lattice (0 for a single cell). Closed-form on a
   * rectangular lattice (opposite corners on a plane; half the period in each direction on a
   * torus); on a hexagonal one computed by scanning the cells against the few that can be extreme
   * (corners on a plane; one cell of each row parity on a torus), so O(cells): cache it when called
   * often.
   */
  public double diameter() {
    if (topology == Topology.RECTANGULAR) {
      double dr = toroidal ? rows / 2 : rows - 1;
      double dc = toroidal ? cols / 2 : cols - 1;
      return Math.sqrt(dr * dr + dc * dc);
    }
    int[] candidateRows =
        toroidal
            ? new int[] {0, Math.min(1, rows - 1)}
            : new int[] {0, Math.min(1, rows - 1), Math.max(0, rows - 2), rows - 1};
    int[] candidateCols = toroidal ? new int[] {0} : new int[] {0, cols - 1};
    double best = 0;
    for (int r : candidateRows) {
      for (int c : candidateCols) {
        int a = r * cols + c;
        for (int b = 0; b < size(); b++) {
          best = Math.max(best, squaredDistance(a, b));
        }
      }
    }
    return Math.sqrt(best);
  }
}
