package org.refinepoi.examples.cli;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Times the stages of a command, prints one line per finished stage, and renders all timings as a
 * Markdown table at the end. Wall-clock time ({@link System#nanoTime()}), one run, no warm-up: the
 * figures say where a command spends its time, they are not benchmarks.
 */
final class StageClock {

  /** One finished stage. */
  record Stage(String name, double seconds) {}

  private final PrintWriter out;
  private final List<Stage> stages = new ArrayList<>();

  StageClock(PrintWriter out) {
    this.out = checkNotNull(out, "out");
  }

  /** Runs a stage, prints its time, and returns its result. */
  <T> T time(String name, Supplier<T> stage) {
    long start = System.nanoTime();
    T result = stage.get();
    double seconds = (System.nanoTime() - start) / 1e9;
    stages.add(new Stage(name, seconds));
    out.printf(Locale.ROOT, "[%8.3f s] %s%n", seconds, name);
    out.flush();
    return result;
  }

  /** The stages timed so far, in order. */
  List<Stage> stages() {
    return List.copyOf(stages);
  }

  /** The timings as a Markdown table with a total row. */
  String toTable() {
    int width = "stage".length();
    for (Stage s : stages) {
      width = Math.max(width, s.name().length());
    }
    width = Math.max(width, "total".length());
    StringBuilder sb = new StringBuilder();
    String row = "| %-" + width + "s | %9s |%n";
    sb.append(String.format(Locale.ROOT, row, "stage", "seconds"));
    sb.append("|:").append("-".repeat(width + 1)).append("|").append("-".repeat(10)).append(":|\n");
    double total = 0;
    for (Stage s : stages) {
      sb.append(
          String.format(
              Locale.ROOT, row, s.name(), String.format(Locale.ROOT, "%.3f", s.seconds())));
      total += s.seconds();
    }
    sb.append(String.format(Locale.ROOT, row, "total", String.format(Locale.ROOT, "%.3f", total)));
    return sb.toString();
  }
}
