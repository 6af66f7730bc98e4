package org.refinepoi.core.sid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.sid.SemanticIdIndex.Entry;
import org.refinepoi.core.sid.SemanticIdIndex.Neighbor;
import org.refinepoi.core.sid.SidArbitraries.SpaceAndIds;

/** The POI <-> ID index: building, the bijection, distances, nearest, growth and the trie. */
class SemanticIdIndexTest {

  private static final IdSpace SPACE =
      IdSpace.of(LatticeSpec.rectangular(4, 4), LatticeSpec.rectangular(2, 2));

  private static SemanticId id(int c0, int c1, int slot) {
    return SemanticId.of(new int[] {c0, c1}, slot);
  }

  /** p0, p1 share leaf (0, 0); p2 in the same level-1 cell; p3 next door; p4 far away. */
  private static SemanticIdIndex small() {
    return SemanticIdIndex.builder(SPACE)
        .add("p0", id(0, 0, 0))
        .add("p1", id(0, 0, 1))
        .add("p2", id(0, 3, 0))
        .add("p3", id(1, 0, 0))
        .add("p4", id(15, 0, 0))
        .build();
  }

  @Test
  void builderRejectsBadInputWithReasons() {
    SemanticIdIndex.Builder b = SemanticIdIndex.builder(SPACE).add("p0", id(0, 0, 0));
    assertThatThrownBy(() -> b.add(null, id(1, 0, 0))).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.add("", id(1, 0, 0))).hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> b.add("  ", id(1, 0, 0))).hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> b.add("p0", id(1, 0, 0))).hasMessageContaining("'p0' added twice");
    assertThatThrownBy(() -> b.add("p9", id(0, 0, 0)))
        .hasMessageContaining("given to two POIs, 'p0' and 'p9'");
    assertThatThrownBy(() -> b.add("p9", id(16, 0, 0)))
        .hasMessageContaining("outside the 4x4 lattice");
    assertThatThrownBy(() -> b.add("p9", SemanticId.of(new int[] {1}, 0)))
        .hasMessageContaining("has 1 levels");
    assertThatThrownBy(() -> SemanticIdIndex.builder(SPACE).build())
        .hasMessageContaining("at least one POI");
    assertThatThrownBy(
            () ->
                SemanticIdIndex.builder(SPACE)
                    .format(LatticeTokenFormat.of(IdSpace.of(LatticeSpec.rectangular(2, 2)))))
        .hasMessageContaining("the index is over");
  }

  @Test
  void lookupsAndEntries() {
    SemanticIdIndex index = small();
    assertThat(index.size()).isEqualTo(5);
    assertThat(index.idOf("p3")).isEqualTo(id(1, 0, 0));
    assertThat(index.poiOf(id(0, 3, 0))).contains("p2");
    assertThat(index.poiOf(id(0, 3, 1))).isEmpty();
    assertThat(index.findId("nope")).isEmpty();
    assertThatThrownBy(() -> index.idOf("nope"))
        .hasMessageContaining("'nope' is not in this index");
    assertThat(index.entries().stream().map(Entry::poiId))
        .containsExactly("p0", "p1", "p2", "p3", "p4");
    assertThat(index.tokensOf("p1")).containsExactly("<a_0_0>", "<b_0_0>", "<c_1>");
    assertThat(index.poiOfTokens(List.of("<a_0_0>", "<b_0_0>", "<c_1>"))).contains("p1");
    assertThat(index.poiOfTokens(List.of("<a_0_0>", "<b_0_0>", "<c_2>"))).isEmpty();
    assertThat(index.space()).isEqualTo(SPACE);
    assertThat(index.format()).isEqualTo(LatticeTokenFormat.of(SPACE));
  }

  @Test
  void collisionStatistics() {
    SemanticIdIndex.CollisionStats stats = small().collisionStats();
    assertThat(stats.poiCount()).isEqualTo(5);
    assertThat(stats.leafCount()).isEqualTo(4);
    assertThat(stats.collidingPoiCount()).isEqualTo(2);
    assertThat(stats.maxSlot()).isEqualTo(1);
    assertThat(stats.collisionRate()).isEqualTo(0.4);
    assertThat(small().slotCount()).isEqualTo(2);
  }

  @Test
  void distanceAndSimilarity() {
    SemanticIdIndex index = small();
    double diam2 = Math.sqrt(2); // 2x2 lattice
    double max = 1 + diam2 + Math.sqrt(18); // offset(0) + diameter of the 4x4 lattice
    assertThat(index.maxDistance()).isCloseTo(max, within(1e-12));
    assertThat(index.distance("p0", "p1")).isEqualTo(1);
    assertThat(index.distance("p0", "p2")).isCloseTo(1 + diam2, within(1e-12));
    assertThat(index.distance("p0", "p3")).isCloseTo(1 + diam2 + 1, within(1e-12));
    assertThat(index.distance("p0", "p4")).isCloseTo(max, within(1e-12));
    assertThat(index.similarity("p0", "p0")).isEqualTo(1);
    assertThat(index.similarity("p0", "p4")).isCloseTo(0, within(1e-12));
    assertThat(index.similarity("p0", "p1")).isCloseTo(1 - 1 / max, within(1e-12));
    assertThat(index.similarity("p0", "p2")).isGreaterThan(index.similarity("p0", "p3"));
  }

  @Test
  void nearestWalksOutFromTheLeaf() {
    SemanticIdIndex index = small();
    assertThat(index.nearest("p0", 3).stream().map(Neighbor::poiId))
        .containsExactly("p1", "p2", "p3");
    assertThat(index.nearest("p0", 10)).hasSize(4);
    assertThat(index.nearest(id(0, 0, 0), 2).stream().map(Neighbor::poiId))
        .containsExactly("p0", "p1");
    assertThat(index.nearest(id(0, 0, 0), 1).get(0).distance()).isZero();
    // An ID no POI has: its leaf-mates first.
    assertThat(index.nearest(id(0, 0, 7), 2).stream().map(Neighbor::poiId))
        .containsExactly("p0", "p1");
    assertThatThrownBy(() -> index.nearest("p0", 0)).hasMessageContaining("k must be >= 1");
  }

  @Test
  void withAddedTakesTheNextFreeSlotAndLeavesTheOriginal() {
    SemanticIdIndex index = small();
    List<Entry> before = List.copyOf(index.entries());
    SemanticIdIndex grown = index.withAdded("q", new int[] {0, 0});
    assertThat(grown.idOf("q")).isEqualTo(id(0, 0, 2));
    assertThat(grown.size()).isEqualTo(6);
    assertThat(index.entries()).isEqualTo(before);
    assertThat(index.contains("q")).isFalse();
    assertThat(grown.withAdded("r", new int[] {5, 1}).idOf("r")).isEqualTo(id(5, 1, 0));
    // A gap in the slots is filled first.
    SemanticIdIndex gappy = SemanticIdIndex.builder(SPACE).add("a", id(2, 2, 1)).build();
    assertThat(gappy.withAdded("b", new int[] {2, 2}).idOf("b")).isEqualTo(id(2, 2, 0));
    assertThatThrownBy(() -> index.withAdded("p0", new int[] {1, 1}))
        .hasMessageContaining("'p0' is already in the index");
    assertThatThrownBy(() -> index.withAdded("z", new int[] {1, 4}))
        .hasMessageContaining("outside the 2x2 lattice");
    // The vocabulary grows by appending slot tokens: existing token ids are kept.
    TokenVocabulary v = index.vocabulary();
    TokenVocabulary w = grown.vocabulary();
    assertThat(w.tokens().subList(0, v.size())).isEqualTo(v.tokens());
    assertThat(w.size()).isEqualTo(v.size() + 1);
  }

  @Test
  void allowedNextTokensFollowTheIndexedIds() {
    SemanticIdIndex index = small();
    assertThat(index.allowedNextTokens(List.of())).containsExactly("<a_0_0>", "<a_0_1>", "<a_3_3>");
    assertThat(index.allowedNextTokens(List.of("<a_0_0>"))).containsExactly("<b_0_0>", "<b_1_1>");
    assertThat(index.allowedNextTokens(List.of("<a_0_0>", "<b_0_0>")))
        .containsExactly("<c_0>", "<c_1>");
    assertThat(index.allowedNextTokens(List.of("<a_0_0>", "<b_0_0>", "<c_1>"))).isEmpty();
    assertThat(index.allowedNextTokens(List.of("<a_2_2>"))).isEmpty();
    assertThatThrownBy(() -> index.allowedNextTokens(List.of("<zz>")))
        .hasMessageContaining("'<zz>' is not in this vocabulary");
    SidTrie trie = index.trie();
    TokenVocabulary v = index.vocabulary();
    int node = trie.child(trie.root(), v.id("<a_0_1>"));
    node = trie.child(node, v.id("<b_0_0>"));
    node = trie.child(node, v.id("<c_0>"));
    assertThat(trie.isComplete(node)).isTrue();
    assertThat(index.entries().get(trie.entryAt(node)).poiId()).isEqualTo("p3");
    assertThat(trie.allowedCount(node)).isZero();
    assertThatThrownBy(() -> trie.walk(new int[] {0, 0, 0, 0}))
        .hasMessageContaining("longer than an ID");
  }

  @Test
  void readersOnManyThreadsSeeTheSameAnswers() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    IdSpace space = IdSpace.of(LatticeSpec.hexagonal(8, 8), LatticeSpec.rectangular(3, 3));
    SemanticIdIndex.Builder b = SemanticIdIndex.builder(space);
    Set<SemanticId> used = new HashSet<>();
    while (used.size() < 500) {
      SemanticId sid =
          SemanticId.of(new int[] {random.nextInt(64), random.nextInt(9)}, random.nextInt(3));
      if (used.add(sid)) {
        b.add("poi-" + used.size(), sid);
      }
    }
    SemanticIdIndex index = b.build();
    SemanticIdIndex reference = SemanticIdIndex.builder(space).addAll(toMap(index)).build();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(
            pool.submit(
                () -> {
                  for (Entry e : index.entries()) {
                    List<String> tokens = index.format().tokensOf(e.id());
                    if (!index.allowedNextTokens(tokens.subList(0, 2)).contains(tokens.get(2))
                        || !index.nearest(e.poiId(), 5).equals(reference.nearest(e.poiId(), 5))) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static java.util.Map<String, SemanticId> toMap(SemanticIdIndex index) {
    java.util.Map<String, SemanticId> map = new java.util.HashMap<>();
    index.entries().forEach(e -> map.put(e.poiId(), e.id()));
    return map;
  }

  // ----- properties -----

  @Provide
  Arbitrary<SpaceAndIds> indexes() {
    return SidArbitraries.spaceAndDistinctIds(1, 40, 3);
  }

  @Property(tries = 300)
  void theMapIsABijection(@ForAll("indexes") SpaceAndIds c) {
    SemanticIdIndex index = SidArbitraries.index(c, null);
    assertThat(index.size()).isEqualTo(c.ids().size());
    Set<String> pois = new HashSet<>();
    for (int i = 0; i < c.ids().size(); i++) {
      SemanticId sid = c.ids().get(i);
      assertThat(index.idOf("p" + i)).isEqualTo(sid);
      assertThat(index.poiOf(sid)).contains("p" + i);
      pois.add(index.poiOf(sid).orElseThrow());
    }
    assertThat(pois).hasSize(c.ids().size());
    assertThat(index.entries())
        .isSortedAccordingTo(Comparator.comparing(Entry::id))
        .extracting(Entry::id)
        .containsExactlyInAnyOrderElementsOf(c.ids());
  }

  @Property(tries = 300)
  void trieCompletePathsAreExactlyTheIndexedIds(
      @ForAll("indexes") SpaceAndIds c, @ForAll boolean rowColumn) {
    IdFormat format =
        rowColumn ? RowColumnTokenFormat.of(c.space()) : LatticeTokenFormat.of(c.space());
    SemanticIdIndex index = SidArbitraries.index(c, format);
    SidTrie trie = index.trie();
    TokenVocabulary vocab = index.vocabulary();
    // Enumerate every root-to-leaf path with the public API.
    List<List<String>> paths = new ArrayList<>();
    collect(trie, vocab, trie.root(), new ArrayList<>(), paths);
    Set<SemanticId> fromTrie = new HashSet<>();
    for (List<String> path : paths) {
      assertThat(path).hasSize(format.tokensPerId());
      SemanticId parsed = format.parseTokens(path);
      assertThat(index.poiOf(parsed)).as("trie path %s is an indexed ID", path).isPresent();
      fromTrie.add(parsed);
    }
    assertThat(paths).hasSize(index.size());
    assertThat(fromTrie).containsExactlyInAnyOrderElementsOf(c.ids());
    for (Entry e : index.entries()) {
      List<String> tokens = format.tokensOf(e.id());
      for (int k = 0; k < tokens.size(); k++) {
        assertThat(index.allowedNextTokens(tokens.subList(0, k))).contains(tokens.get(k));
      }
      assertThat(index.allowedNextTokens(tokens)).isEmpty();
      int leaf = trie.walk(vocab.encode(tokens));
      assertThat(index.entries().get(trie.entryAt(leaf))).isEqualTo(e);
      assertThat(trie.allowedNextTokenIds(vocab.encode(tokens))).isEmpty();
    }
  }

  private static void collect(
      SidTrie trie, TokenVocabulary vocab, int node, List<String> prefix, List<List<String>> out) {
    if (trie.allowedCount(node) == 0) {
      assertThat(trie.isComplete(node)).isTrue();
      out.add(List.copyOf(prefix));
      return;
    }
    assertThat(trie.isComplete(node)).isFalse();
    for (int t : trie.allowedTokenIds(node)) {
      prefix.add(vocab.token(t));
      collect(trie, vocab, trie.child(node, t), prefix, out);
      prefix.remove(prefix.size() - 1);
    }
  }

  /** The reference: every POI, sorted by (distance, ID). */
  private static List<Neighbor> bruteForce(
      SemanticIdIndex index, SemanticId q, String exclude, int k) {
    return index.entries().stream()
        .filter(e -> !e.poiId().equals(exclude))
        .map(e -> new Neighbor(e.poiId(), e.id(), index.space().distance(q, e.id())))
        .sorted(Comparator.comparingDouble(Neighbor::distance).thenComparing(Neighbor::id))
        .limit(k)
        .toList();
  }

  @Property(tries = 500)
  void nearestMatchesBruteForce(
      @ForAll("indexes") SpaceAndIds c,
      @ForAll @IntRange(min = 1, max = 45) int k,
      @ForAll @IntRange(min = 0, max = 1_000_000) int pick) {
    SemanticIdIndex index = SidArbitraries.index(c, null);
    Entry query = index.entries().get(pick % index.size());
    assertThat(index.nearest(query.poiId(), k))
        .isEqualTo(bruteForce(index, query.id(), query.poiId(), k));
    // A query ID that may or may not be indexed.
    int[] cells = query.id().cells();
    cells[cells.length - 1] =
        (cells[cells.length - 1] + pick) % c.space().level(cells.length - 1).size();
    SemanticId other = SemanticId.of(cells, pick % 4);
    assertThat(index.nearest(other, k)).isEqualTo(bruteForce(index, other, null, k));
  }

  @Property(tries = 300)
  void withAddedKeepsTheOldIndexAndStaysABijection(
      @ForAll("indexes") SpaceAndIds c, @ForAll @IntRange(min = 0, max = 1_000_000) int pick) {
    SemanticIdIndex index = SidArbitraries.index(c, null);
    List<Entry> before = List.copyOf(index.entries());
    int[] cells = index.entries().get(pick % index.size()).id().cells();
    SemanticIdIndex grown = index.withAdded("new", cells);
    assertThat(index.entries()).isEqualTo(before);
    assertThat(index.findId("new")).isEqualTo(Optional.empty());
    SemanticId assigned = grown.idOf("new");
    assertThat(assigned.cells()).isEqualTo(cells);
    // The smallest slot no old POI of that leaf used.
    Set<Integer> usedSlots = new HashSet<>();
    for (Entry e : before) {
      if (java.util.Arrays.equals(e.id().cells(), cells)) {
        usedSlots.add(e.id().collisionSlot());
      }
    }
    int expected = 0;
    while (usedSlots.contains(expected)) {
      expected++;
    }
    assertThat(assigned.collisionSlot()).isEqualTo(expected);
    assertThat(grown.entries()).containsAll(before).hasSize(before.size() + 1);
    assertThat(grown.entries()).isSortedAccordingTo(Comparator.comparing(Entry::id));
    assertThat(grown.poiOf(assigned)).contains("new");
    assertThat(grown.allowedNextTokens(grown.tokensOf("new").subList(0, 1)))
        .contains(grown.tokensOf("new").get(1));
  }

  @Property(tries = 300)
  void similarityIsInTheUnitIntervalAndOneOnlyForEqualIds(@ForAll("indexes") SpaceAndIds c) {
    SemanticIdIndex index = SidArbitraries.index(c, null);
    for (SemanticId a : c.ids()) {
      for (SemanticId b : c.ids()) {
        double s = index.similarity(a, b);
        assertThat(s).isBetween(-1e-12, 1.0);
        assertThat(s == 1).isEqualTo(a.equals(b));
      }
    }
  }
}
