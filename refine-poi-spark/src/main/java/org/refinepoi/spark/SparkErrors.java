package org.refinepoi.spark;

import java.util.function.Supplier;

/**
 * Runs Spark actions so that input errors raised inside tasks reach the caller as themselves: the
 * {@link InvalidRowException} (or other {@link IllegalArgumentException}) a task threw, not the
 * {@code SparkException} that wraps it, with a row known only by its place in a partition renamed
 * by its position in the data set.
 */
final class SparkErrors {

  private SparkErrors() {}

  /**
   * Runs an action.
   *
   * @param partitionSizes the number of rows of each partition of the input, computed only when a
   *     positional row error must be renamed (may run a Spark job)
   */
  static <T> T run(Supplier<T> action, Supplier<long[]> partitionSizes) {
    try {
      return action.get();
    } catch (Exception e) { // SparkException is checked in Java's eyes but thrown unchecked
      throw translate(e, partitionSizes);
    }
  }

  /**
   * The error a caller should see for a failed job: the input error a task threw, else the failure
   * itself (a checked {@code SparkException} wrapped in an {@link IllegalStateException}).
   */
  static RuntimeException translate(Exception e, Supplier<long[]> partitionSizes) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InvalidRowException bad) {
        if (!bad.isPositional() || partitionSizes == null) {
          return bad;
        }
        long[] sizes = partitionSizes.get();
        long position = bad.indexInPartition();
        for (int p = 0; p < bad.partition() && p < sizes.length; p++) {
          position += sizes[p];
        }
        return bad.atPosition(position);
      }
      if (t instanceof IllegalArgumentException || t instanceof IllegalStateException) {
        return (RuntimeException) t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return e instanceof RuntimeException re
        ? re
        : new IllegalStateException("Spark job failed: " + e.getMessage(), e);
  }
}
