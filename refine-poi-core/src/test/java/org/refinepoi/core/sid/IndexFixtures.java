package org.refinepoi.core.sid;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The semantic-ID index fixture: a hexagonal torus then a rectangular lattice, nine POIs (one
 * collision, a non-ASCII id). {@code index-v1.sid} was written by the release before format version
 * 2; {@code index-v2.sid} by {@link #main}.
 */
public final class IndexFixtures {

  private IndexFixtures() {}

  /** The fixture's index. */
  public static SemanticIdIndex index() {
    IdSpace space =
        IdSpace.of(
            new LatticeSpec(4, 4, LatticeSpec.Topology.HEXAGONAL, true),
            LatticeSpec.rectangular(2, 2));
    SemanticIdIndex.Builder b = SemanticIdIndex.builder(space);
    for (int i = 0; i < 8; i++) {
      b.add(i == 7 ? "café-7" : "poi-" + i, SemanticId.of(new int[] {(i * 5) % 16, i % 4}, 0));
    }
    b.add("poi-8", SemanticId.of(new int[] {0, 0}, 1));
    return b.build();
  }

  /** Writes {@code index-v2.sid} into the folder given as the first argument. */
  public static void main(String[] args) throws IOException {
    index().save(Path.of(args[0]).resolve("index-v2.sid"));
  }
}
