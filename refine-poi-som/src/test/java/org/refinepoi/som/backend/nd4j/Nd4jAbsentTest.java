package org.refinepoi.som.backend.nd4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * ND4J is an optional dependency of refine-poi-som: with the test class path minus ND4J and its
 * JavaCPP natives (what a user who depends on refine-poi-som alone has), every backend provider
 * still loads through {@link ServiceLoader}, the {@code nd4j} one reports itself unavailable with
 * the dependency to add, and {@code auto} still selects a backend.
 */
class Nd4jAbsentTest {

  @Test
  void providersLoadAndNd4jSaysWhatToAddWhenNd4jIsAbsent() throws Exception {
    List<URL> urls = new ArrayList<>();
    int dropped = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = new File(entry).getName();
      if (name.startsWith("nd4j-")
          || name.startsWith("javacpp-")
          || name.startsWith("openblas-")
          || entry.contains(File.separator + "org" + File.separator + "nd4j" + File.separator)) {
        dropped++;
        continue;
      }
      urls.add(toUrl(entry));
    }
    assertThat(dropped).as("ND4J jars found on the test class path").isPositive();
    try (URLClassLoader loader =
        new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      assertThat(tryLoad(loader, "org.nd4j.linalg.factory.Nd4j")).isFalse();
      Class<?> spi = loader.loadClass("org.refinepoi.som.backend.SomBackendProvider");
      Method name = spi.getMethod("name");
      Method availability = spi.getMethod("availability");
      List<String> names = new ArrayList<>();
      Object nd4jAvailability = null;
      for (Object provider : ServiceLoader.load(spi, loader)) {
        String n = (String) name.invoke(provider);
        names.add(n);
        if (n.equals("nd4j")) {
          nd4jAvailability = availability.invoke(provider);
        }
      }
      assertThat(names).contains("java", "nd4j", "cuda");
      assertThat(nd4jAvailability).isNotNull();
      Class<?> record = nd4jAvailability.getClass();
      assertThat((Boolean) record.getMethod("available").invoke(nd4jAvailability)).isFalse();
      assertThat((String) record.getMethod("reason").invoke(nd4jAvailability))
          .contains("org.nd4j:nd4j-native");

      // SomBackends looks providers up through the context class loader.
      Thread thread = Thread.currentThread();
      ClassLoader previous = thread.getContextClassLoader();
      Object auto;
      thread.setContextClassLoader(loader);
      try {
        Class<?> backends = loader.loadClass("org.refinepoi.som.backend.SomBackends");
        auto = backends.getMethod("byName", String.class).invoke(null, "auto");
      } finally {
        thread.setContextClassLoader(previous);
      }
      Object autoName = auto.getClass().getMethod("name").invoke(auto);
      assertThat(autoName).isNotEqualTo("nd4j");
    }
  }

  private static boolean tryLoad(ClassLoader loader, String className) {
    try {
      Class.forName(className, false, loader);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static URL toUrl(String entry) {
    try {
      return new File(entry).toURI().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(entry, e);
    }
  }
}
