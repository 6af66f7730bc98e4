package org.refinepoi.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.source.util.JavacTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The project brief asks for a Javadoc comment on every public type and member. javac's doclint
 * "missing" group also demands {@code @param}/{@code @return} on every method, which the codebase's
 * one-sentence style does not use, so the build cannot simply turn it on; this check runs doclint
 * over a module's main sources and fails only on declarations with no comment at all. Shared with
 * the other modules through core's test jar.
 */
public final class DocCoverage {

  private DocCoverage() {}

  /**
   * Runs doclint over {@code src/main/java} of the module the test runs in and fails on public or
   * protected declarations without a comment.
   *
   * @param extraJavacOptions options the module's sources need, e.g. {@code --add-modules ...}
   */
  public static void assertEveryPublicDeclarationHasAComment(String... extraJavacOptions)
      throws IOException {
    Path sources = Path.of("src", "main", "java");
    assertThat(sources).as("run from the module directory").isDirectory();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(sources)) {
      files = walk.filter(p -> p.toString().endsWith(".java")).toList();
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(null, Locale.ROOT, null)) {
      String classPath =
          System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      List<String> options = new ArrayList<>();
      options.addAll(List.of("-proc:none", "-Xdoclint:missing/protected", "-Xmaxwarns", "100000"));
      options.addAll(List.of(extraJavacOptions));
      options.addAll(List.of("-cp", classPath));
      JavacTask task =
          (JavacTask)
              javac.getTask(
                  null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files));
      task.analyze();
    }
    List<String> undocumented = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      String where =
          (d.getSource() == null ? "?" : d.getSource().getName().replace('\\', '/'))
              + ":"
              + d.getLineNumber();
      String message = d.getMessage(Locale.ENGLISH);
      if (d.getKind() == Diagnostic.Kind.ERROR) {
        errors.add(where + ": " + message);
      } else if (message.equals("no comment") || message.startsWith("use of default constructor")) {
        undocumented.add(where + ": " + message);
      }
    }
    assertThat(errors).as("the main sources must compile for the check to mean anything").isEmpty();
    assertThat(undocumented).as("public/protected declarations without Javadoc").isEmpty();
  }
}
