package org.refinepoi.examples.cli;

import picocli.CommandLine.Command;

/**
 * {@code refine-poi bench}: benchmark commands that print one JSON line each (docs/benchmarks.md).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks: each prints one JSON line (see docs/benchmarks.md).",
    subcommands = {
      BenchLoadCommand.class,
      BenchSomCommand.class,
      BenchHsomCommand.class,
      BenchCudaCommand.class,
      BenchRecCommand.class
    })
public final class BenchCommand {

  /** Created by picocli. */
  public BenchCommand() {}
}
