package org.refinepoi.rl.docs;

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
import org.junit.jupiter.api.Test;

/**
 * The project brief asks for a Javadoc comment on every public type and member. javac's doclint
 * "missing" group also demands {@code @param}/{@code @return} on every method, which the codebase's
 * one-sentence style does not use, so the build cannot simply turn it on; this test runs doclint
 * over the main sources and fails only on declarations with no comment at all. (The same check as
 * core's and som's DocCoverageTest, for refine-poi-rl.)
 */
class DocCoverageTest {

  @Test
  void everyPublicAndProtectedDeclarationHasAComment() throws IOException {
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
      List<String> options =
          List.of(
              "-proc:none",
              "-Xdoclint:missing/protected",
              "-Xmaxwarns",
              "100000",
              "-cp",
              classPath);
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
