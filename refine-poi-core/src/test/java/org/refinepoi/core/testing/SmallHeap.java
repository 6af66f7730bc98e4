package org.refinepoi.core.testing;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a static {@code method(Path)} in a child JVM with a small heap, to see what a reader does
 * with a file larger than the heap without making the test JVM itself run out of memory. The child
 * prints {@code RETURNED} or {@code THROWN <class>: <message>}; an {@link Error} such as an {@link
 * OutOfMemoryError} escapes, which shows in the exit status and on standard error.
 */
public final class SmallHeap {

  private SmallHeap() {}

  /**
   * What the child did.
   *
   * @param exitCode the child's exit status (0 when the method returned or threw an exception)
   * @param out what it printed on standard output
   * @param err what it printed on standard error
   */
  public record Outcome(int exitCode, String out, String err) {}

  /** Runs {@code className.method(file)} in a JVM with {@code -Xmx<heapMb>m}. */
  public static Outcome run(int heapMb, String className, String method, Path file)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            java,
            "-Xmx" + heapMb + "m",
            "--add-modules",
            "jdk.incubator.vector",
            "-cp",
            classPath,
            SmallHeap.class.getName(),
            className,
            method,
            file.toString()));
    Process p = new ProcessBuilder(command).start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
    }
    return new Outcome(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  /** The child's entry point: class name, method name, file. */
  public static void main(String[] args) throws ReflectiveOperationException {
    try {
      Class.forName(args[0]).getMethod(args[1], Path.class).invoke(null, Path.of(args[2]));
      System.out.println("RETURNED");
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      System.out.println(
          "THROWN " + e.getCause().getClass().getName() + ": " + e.getCause().getMessage());
    }
  }
}
