package org.refinepoi.spark;

import java.io.Serial;

/**
 * A row of an input data set that the SDK refuses (a null, NaN or infinite vector value, a vector
 * of the wrong dimension, a missing POI id, a repeated order value), naming the row: by its POI id
 * when the data set has an id column, else by its order-column value, else by its 0-based position
 * in the data set's order.
 */
public final class InvalidRowException extends IllegalArgumentException {

  @Serial private static final long serialVersionUID = 1L;

  private final String row;
  private final String problem;
  private final int partition;
  private final long indexInPartition;

  private InvalidRowException(String row, String problem, int partition, long indexInPartition) {
    super(row + ": " + problem);
    this.row = row;
    this.problem = problem;
    this.partition = partition;
    this.indexInPartition = indexInPartition;
  }

  /** A refused row named by a description such as {@code POI 'x'} or {@code row 17}. */
  static InvalidRowException named(String row, String problem) {
    return new InvalidRowException(row, problem, -1, -1);
  }

  /**
   * A refused row known only by its place in a partition; the driver turns it into a global
   * position ({@link #atPosition}) once it knows the partitions' sizes.
   */
  static InvalidRowException positional(int partition, long indexInPartition, String problem) {
    return new InvalidRowException(
        "row " + indexInPartition + " of partition " + partition,
        problem,
        partition,
        indexInPartition);
  }

  /** Whether the row is known only by partition and index ({@link #positional}). */
  boolean isPositional() {
    return partition >= 0;
  }

  int partition() {
    return partition;
  }

  long indexInPartition() {
    return indexInPartition;
  }

  /** The same problem, naming the row by its 0-based position in the data set. */
  InvalidRowException atPosition(long position) {
    InvalidRowException e = named("row " + position, problem);
    e.initCause(this);
    return e;
  }

  /** How the refused row is named: {@code POI 'x'}, {@code row with order 17} or {@code row 17}. */
  public String row() {
    return row;
  }

  /** What is wrong with it. */
  public String problem() {
    return problem;
  }
}
