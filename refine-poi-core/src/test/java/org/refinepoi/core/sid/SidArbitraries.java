package org.refinepoi.core.sid;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.refinepoi.core.sid.LatticeSpec.Topology;

/** Generators of lattices, ID spaces and IDs for the property tests of this package. */
final class SidArbitraries {

  private SidArbitraries() {}

  /** Small lattices of every kind: rectangular or hexagonal, planar or toroidal. */
  static Arbitrary<LatticeSpec> lattices(int maxSide) {
    return Combinators.combine(
            Arbitraries.integers().between(1, maxSide),
            Arbitraries.integers().between(1, maxSide),
            Arbitraries.of(Topology.class),
            Arbitraries.of(true, false))
        .as(
            (rows, cols, topology, torus) -> {
              int r = topology == Topology.HEXAGONAL && torus && rows % 2 != 0 ? rows + 1 : rows;
              return new LatticeSpec(r, cols, topology, torus);
            });
  }

  /** ID spaces of one to three levels. */
  static Arbitrary<IdSpace> spaces() {
    return lattices(9).list().ofMinSize(1).ofMaxSize(3).map(IdSpace::new);
  }

  /** IDs of a space with a collision slot in [0, maxSlot]. */
  static Arbitrary<SemanticId> ids(IdSpace space, int maxSlot) {
    List<Arbitrary<Integer>> parts = new ArrayList<>();
    for (LatticeSpec lattice : space.levels()) {
      parts.add(Arbitraries.integers().between(0, lattice.size() - 1));
    }
    parts.add(Arbitraries.integers().between(0, maxSlot));
    return Combinators.combine(parts)
        .as(
            values -> {
              int[] cells = new int[space.levelCount()];
              for (int l = 0; l < cells.length; l++) {
                cells[l] = values.get(l);
              }
              return SemanticId.of(cells, values.get(cells.length));
            });
  }

  /** ID spaces of one to three levels with sides up to 120, so coordinates take 1 to 3 digits. */
  static Arbitrary<IdSpace> wideSpaces() {
    return lattices(120).list().ofMinSize(1).ofMaxSize(3).map(IdSpace::new);
  }

  /** A wide space with some IDs in it (possibly repeated). */
  static Arbitrary<SpaceAndIds> wideSpaceAndIds(int minIds, int maxIds, int maxSlot) {
    return wideSpaces()
        .flatMap(
            space ->
                ids(space, maxSlot)
                    .list()
                    .ofMinSize(minIds)
                    .ofMaxSize(maxIds)
                    .map(list -> new SpaceAndIds(space, list)));
  }

  /** A space with some IDs in it (possibly repeated). */
  record SpaceAndIds(IdSpace space, List<SemanticId> ids) {}

  static Arbitrary<SpaceAndIds> spaceAndIds(int minIds, int maxIds, int maxSlot) {
    return spaces()
        .flatMap(
            space ->
                ids(space, maxSlot)
                    .list()
                    .ofMinSize(minIds)
                    .ofMaxSize(maxIds)
                    .map(list -> new SpaceAndIds(space, list)));
  }

  /** A space with distinct IDs in it. */
  static Arbitrary<SpaceAndIds> spaceAndDistinctIds(int minIds, int maxIds, int maxSlot) {
    return spaces()
        .flatMap(
            space ->
                ids(space, maxSlot)
                    .list()
                    .uniqueElements()
                    .ofMinSize(minIds)
                    .ofMaxSize(maxIds)
                    .map(list -> new SpaceAndIds(space, list)));
  }

  /** An index with POIs "p0", "p1"... holding the given distinct IDs in order. */
  static SemanticIdIndex index(SpaceAndIds c, IdFormat format) {
    SemanticIdIndex.Builder b = SemanticIdIndex.builder(c.space());
    if (format != null) {
      b.format(format);
    }
    for (int i = 0; i < c.ids().size(); i++) {
      b.add("p" + i, c.ids().get(i));
    }
    return b.build();
  }
}
