package org.refinepoi.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;
import org.refinepoi.core.io.MemoryBudget;
import org.refinepoi.core.protocol.SampleMode;
import org.refinepoi.core.protocol.Split;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * What the commands share: the checks of their file options (done before any heavy step, so a typo
 * fails at once), the parsing of the lower-case option values ({@code --sample-mode}, {@code
 * --split}), and the handling of failures, so that every command reports the same mistake with the
 * same words and exit status, and none prints a stack trace for a user error:
 *
 * <ul>
 *   <li>{@value #USAGE_ERROR}: the command line is wrong (an option value out of range, an input
 *       file that does not exist or cannot be read, an output that cannot be written or is one of
 *       the inputs); picocli prints the message and the usage;
 *   <li>{@value #INPUT_ERROR}: the command could not complete (a malformed or corrupt input file,
 *       an I/O failure, not enough memory); one line names the file and the reason.
 * </ul>
 */
final class CliOptions {

  private CliOptions() {}

  /** Exit status of a command that failed on its input (bad file, bad data, I/O, memory). */
  static final int INPUT_ERROR = 1;

  /** Exit status of a command line that is wrong (picocli's own status for usage errors). */
  static final int USAGE_ERROR = 2;

  /**
   * Prints a failure as one line (no stack trace: the messages name the file, line and reason) and
   * returns {@link #INPUT_ERROR}.
   */
  static int fail(CommandSpec spec, Throwable e) {
    PrintWriter err = spec.commandLine().getErr();
    err.println(spec.qualifiedName() + ": " + describe(e));
    err.flush();
    return INPUT_ERROR;
  }

  /**
   * The exception handler of every command: whatever a command throws is printed as one line by
   * {@link #fail}, so no user error prints a stack trace. An exception that is not a user error (a
   * bug) says so, with its type.
   */
  static final IExecutionExceptionHandler HANDLER =
      (Exception e, CommandLine commandLine, ParseResult parsed) ->
          fail(commandLine.getCommandSpec(), e);

  /**
   * A failure in words: the message of the SDK's own exceptions (which name the file, line and
   * reason), or a sentence for the JDK's file-system exceptions, whose messages are only a path.
   */
  static String describe(Throwable e) {
    if (e instanceof UncheckedIOException u && u.getCause() != null) {
      return describe(u.getCause());
    }
    if (e instanceof NoSuchFileException f) {
      return "no such file or folder: " + f.getFile();
    }
    if (e instanceof AccessDeniedException f) {
      return "permission denied: " + f.getFile();
    }
    if (e instanceof NotDirectoryException f) {
      return "not a folder: " + f.getFile();
    }
    if (e instanceof FileAlreadyExistsException f) {
      return "already exists: " + f.getFile();
    }
    if (e instanceof FileSystemException f && f.getFile() != null) {
      // "Is a directory", "No space left on device", "Read-only file system"...
      return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : f.getClass().getName());
    }
    if (e instanceof CharacterCodingException) {
      return "input is not valid text in the expected encoding (UTF-8): " + e;
    }
    if (e instanceof OutOfMemoryError) {
      return "out of memory (the JVM's maximum heap is "
          + MemoryBudget.size(Runtime.getRuntime().maxMemory())
          + "): raise it (java -Xmx, or REFINE_POI_JAVA_OPTS=-Xmx... for bin/refine-poi) or use a"
          + " smaller input";
    }
    String message = e.getMessage();
    boolean userError =
        e instanceof IOException
            || e instanceof IllegalArgumentException
            || e instanceof IllegalStateException;
    if (message == null || message.isBlank()) {
      message = e.getClass().getSimpleName();
    }
    return userError ? message : "internal error (please report it): " + e;
  }

  /**
   * Checks an input file option before the command starts: the file exists, is a regular file (not
   * a folder) and can be read.
   *
   * @throws ParameterException saying which of these fails
   */
  static void inputFile(CommandSpec spec, String option, Path file) {
    if (file == null) {
      return;
    }
    if (!Files.exists(file)) {
      throw new ParameterException(spec.commandLine(), option + ": no such file: " + file);
    }
    if (Files.isDirectory(file)) {
      throw new ParameterException(
          spec.commandLine(), option + ": is a folder, not a file: " + file);
    }
    if (!Files.isReadable(file)) {
      throw new ParameterException(
          spec.commandLine(), option + ": cannot read (permission denied): " + file);
    }
  }

  /**
   * Checks an output file option before the command starts: it is not one of the inputs, not a
   * folder, and its folder exists (or is created) and is writable.
   *
   * @param inputs the command's input files (null entries are ignored)
   * @throws ParameterException saying which of these fails
   */
  static void outputFile(CommandSpec spec, String option, Path file, Path... inputs) {
    if (file == null) {
      return;
    }
    notAnInput(spec, option, file, inputs);
    if (Files.isDirectory(file)) {
      throw new ParameterException(
          spec.commandLine(), option + ": is a folder, not a file: " + file);
    }
    Path dir = file.toAbsolutePath().getParent();
    writableFolder(spec, option, dir, "the folder of " + file);
  }

  /**
   * Checks an output folder option before the command starts: it is not a file, is created when
   * missing, and is writable.
   *
   * @throws ParameterException saying which of these fails
   */
  static void outputFolder(CommandSpec spec, String option, Path dir) {
    if (dir == null) {
      return;
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new ParameterException(
          spec.commandLine(), option + ": is a file, not a folder: " + dir);
    }
    writableFolder(spec, option, dir.toAbsolutePath(), dir.toString());
  }

  private static void writableFolder(CommandSpec spec, String option, Path dir, String what) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(), option + ": cannot create " + what + ": " + describe(e));
    }
    if (!Files.isWritable(dir)) {
      throw new ParameterException(
          spec.commandLine(),
          option + ": cannot write into " + what + " (read-only or permission denied)");
    }
  }

  /** Refuses an output that is one of the inputs, which writing would destroy. */
  private static void notAnInput(CommandSpec spec, String option, Path output, Path... inputs) {
    for (Path input : inputs) {
      if (input != null && sameFile(output, input)) {
        throw new ParameterException(
            spec.commandLine(),
            option
                + ": "
                + output
                + " is also an input of this command; writing it would destroy"
                + " the input: choose another file");
      }
    }
  }

  private static boolean sameFile(Path a, Path b) {
    try {
      if (Files.exists(a) && Files.exists(b)) {
        return Files.isSameFile(a, b);
      }
    } catch (IOException e) {
      // fall back to comparing the paths
    }
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }

  /** {@code last} or {@code all}. */
  static SampleMode sampleMode(CommandSpec spec, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "last" -> SampleMode.LAST_CHECK_IN;
      case "all" -> SampleMode.ALL_PREFIXES;
      default ->
          throw new ParameterException(
              spec.commandLine(),
              "--sample-mode must be 'last' (last check-in of each trajectory) or 'all' (every"
                  + " prefix), got '"
                  + value
                  + "'");
    };
  }

  /** {@code test} or {@code validation}. */
  static Split split(CommandSpec spec, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "test" -> Split.TEST;
      case "validation", "val" -> Split.VALIDATION;
      default ->
          throw new ParameterException(
              spec.commandLine(), "--split must be 'test' or 'validation', got '" + value + "'");
    };
  }

  /**
   * Checks an integer option against its smallest value.
   *
   * @throws ParameterException naming the option and the value
   */
  static void atLeast(CommandSpec spec, String option, long value, long min) {
    if (value < min) {
      throw new ParameterException(
          spec.commandLine(), option + " must be >= " + min + ", got " + value);
    }
  }
}
