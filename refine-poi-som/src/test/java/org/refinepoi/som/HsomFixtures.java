package org.refinepoi.som;

import java.io.IOException;
import java.nio.file.Path;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.backend.JavaSomBackend;

/**
 * The {@code .hsom} fixtures, format version 1: a small TREE and a small RESIDUAL model trained on
 * clustered points. {@link #main} writes them; the test only reads them, so the training need not
 * reproduce them exactly.
 */
public final class HsomFixtures {

  private HsomFixtures() {}

  /** The points the fixture models were trained on. */
  public static FloatMatrix data() {
    return HierarchicalSomTest.clustered(60, 3);
  }

  /** The fixture file name of a mode's model. */
  public static String name(HierarchyMode mode) {
    return "hsom-v1-" + mode.name().toLowerCase(java.util.Locale.ROOT) + ".hsom";
  }

  /** Writes both fixtures into the folder given as the first argument. */
  public static void main(String[] args) throws IOException {
    for (HierarchyMode mode : HierarchyMode.values()) {
      HierarchicalSom.builder()
          .levels(LatticeSpec.rectangular(2, 3), LatticeSpec.hexagonal(2, 2))
          .mode(mode)
          .epochs(3, 2)
          .seed(5)
          .backend(new JavaSomBackend(1))
          .build()
          .fit(data())
          .save(Path.of(args[0]).resolve(name(mode)));
    }
  }
}
