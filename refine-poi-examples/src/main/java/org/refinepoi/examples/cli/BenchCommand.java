package org.refinepoi.examples.cli;

import picocli.CommandLine.Command;

/** {@code refine-poi bench}: the benchmark commands, one subcommand each. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks; each prints one JSON line per result.",
    subcommands = {BenchLoadCommand.class, BenchCudaCommand.class})
public final class BenchCommand {

  /** Creates the command. */
  public BenchCommand() {}
}
