package org.refinepoi.core.sid;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.base.Supplier;
import com.google.common.base.Suppliers;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The bijection between POIs and their semantic IDs over one {@link IdSpace}, with what a
 * generative recommender needs around it: token rendering through an {@link IdFormat}, a prefix
 * trie for constrained decoding, ID distance and similarity, nearest POIs by ID distance, collision
 * statistics, and a checksummed file format.
 *
 * <p>Immutable and safe to share across threads: {@link #withAdded} returns a new index and leaves
 * this one unchanged. The derived structures (trie, vocabulary, statistics) are built on first use,
 * once, thread-safely.
 *
 * <p>Entries are kept ordered by ID ({@link SemanticId#compareTo}); that order is {@link
 * #entries()}, the tie-break of {@link #nearest}, and the leaf numbering of {@link #trie()}.
 */
public final class SemanticIdIndex {

  /**
   * One POI and its ID.
   *
   * @param poiId the POI's identifier
   * @param id its semantic ID
   */
  public record Entry(String poiId, SemanticId id) {

    /** Validates that both parts are present. */
    public Entry {
      checkNotNull(poiId, "poiId");
      checkNotNull(id, "id");
    }
  }

  /**
   * A POI found by {@link #nearest}.
   *
   * @param poiId the POI's identifier
   * @param id its semantic ID
   * @param distance its {@link IdSpace} distance to the query
   */
  public record Neighbor(String poiId, SemanticId id, double distance) {}

  /**
   * How often POIs share all their lattice cells and need the collision slot to tell them apart.
   *
   * @param poiCount number of POIs
   * @param leafCount number of distinct cell tuples (leaves) in use
   * @param collidingPoiCount POIs whose cells are shared with at least one other POI
   * @param maxSlot the largest collision slot in use
   */
  public record CollisionStats(int poiCount, int leafCount, int collidingPoiCount, int maxSlot) {

    /** The fraction of POIs whose cells are shared with another POI, in [0, 1]. */
    public double collisionRate() {
      return poiCount == 0 ? 0 : (double) collidingPoiCount / poiCount;
    }
  }

  /**
   * The most tokens the vocabulary of an index may hold, its lattice tokens and one per collision
   * slot together: 2<sup>20</sup>, far above any ID scheme's (a 256×256 then 16×16 lattice format
   * has under 70,000) and small enough that building the vocabulary cannot exhaust the heap.
   */
  public static final int MAX_VOCABULARY_TOKENS = 1 << 20;

  /**
   * The most lattice cells an index's ID space may have, all levels together: 2<sup>24</sup>, the
   * limit of one {@link LatticeSpec}.
   */
  public static final long MAX_SPACE_CELLS = 1L << 24;

  private final IdSpace space;
  private final IdFormat format;
  private final int levels;
  private final String[] poiIds;
  private final SemanticId[] ids;
  private final int[] cells;
  private final ImmutableMap<String, Integer> ordinalOfPoi;
  private final ImmutableMap<SemanticId, Integer> ordinalOfId;
  private final ImmutableList<Entry> entries;
  private final double maxDistance;
  private final Supplier<CollisionStats> collisionStats;
  private final Supplier<TokenVocabulary> vocabulary;
  private final Supplier<SidTrie> trie;

  /** Takes ownership of arrays already validated and sorted by ID. */
  private SemanticIdIndex(
      IdSpace space, IdFormat format, String[] poiIds, SemanticId[] ids, double maxDistance) {
    this.space = space;
    this.format = format;
    this.levels = space.levelCount();
    this.poiIds = poiIds;
    this.ids = ids;
    this.maxDistance = maxDistance;
    int n = ids.length;
    int maxSlot = 0;
    for (SemanticId id : ids) {
      maxSlot = Math.max(maxSlot, id.collisionSlot());
    }
    long tokens = format.latticeTokenCount() + maxSlot + 1L;
    checkArgument(
        tokens <= MAX_VOCABULARY_TOKENS,
        "the vocabulary of this index would hold %s tokens (%s lattice tokens and collision slots"
            + " up to %s), more than the %s an index may have",
        tokens,
        format.latticeTokenCount(),
        maxSlot,
        MAX_VOCABULARY_TOKENS);
    this.cells = new int[Math.multiplyExact(n, levels)];
    ImmutableMap.Builder<String, Integer> byPoi = ImmutableMap.builderWithExpectedSize(n);
    ImmutableMap.Builder<SemanticId, Integer> byId = ImmutableMap.builderWithExpectedSize(n);
    ImmutableList.Builder<Entry> entryList = ImmutableList.builderWithExpectedSize(n);
    for (int i = 0; i < n; i++) {
      for (int l = 0; l < levels; l++) {
        cells[i * levels + l] = ids[i].cell(l);
      }
      byPoi.put(poiIds[i], i);
      byId.put(ids[i], i);
      entryList.add(new Entry(poiIds[i], ids[i]));
    }
    this.ordinalOfPoi = byPoi.buildOrThrow();
    this.ordinalOfId = byId.buildOrThrow();
    this.entries = entryList.build();
    this.collisionStats = Suppliers.memoize(this::computeCollisionStats);
    this.vocabulary = Suppliers.memoize(() -> TokenVocabulary.of(format, slotCount()));
    this.trie = Suppliers.memoize(this::buildTrie);
  }

  /**
   * A builder for an index over an ID space (token format {@link LatticeTokenFormat}).
   *
   * @throws IllegalArgumentException when the space has more than {@link #MAX_SPACE_CELLS} cells
   */
  public static Builder builder(IdSpace space) {
    return new Builder(space);
  }

  /** The ID space. */
  public IdSpace space() {
    return space;
  }

  /** The token format. */
  public IdFormat format() {
    return format;
  }

  /** Number of POIs. */
  public int size() {
    return ids.length;
  }

  /** The POIs and their IDs, ordered by ID. */
  public ImmutableList<Entry> entries() {
    return entries;
  }

  /** Whether a POI is in the index. */
  public boolean contains(String poiId) {
    return ordinalOfPoi.containsKey(checkNotNull(poiId, "poiId"));
  }

  /**
   * The ID of a POI.
   *
   * @throws IllegalArgumentException naming the POI when it is not in the index
   */
  public SemanticId idOf(String poiId) {
    return ids[ordinalOf(poiId)];
  }

  /** The ID of a POI, or empty when it is not in the index. */
  public Optional<SemanticId> findId(String poiId) {
    Integer ord = ordinalOfPoi.get(checkNotNull(poiId, "poiId"));
    return ord == null ? Optional.empty() : Optional.of(ids[ord]);
  }

  /** The POI with an ID, or empty when no POI has it. */
  public Optional<String> poiOf(SemanticId id) {
    Integer ord = ordinalOfId.get(checkNotNull(id, "id"));
    return ord == null ? Optional.empty() : Optional.of(poiIds[ord]);
  }

  /**
   * The POI whose ID renders to these tokens (for example a decoded model output), or empty when
   * they parse to an ID no POI has.
   *
   * @throws IdParseException when the tokens are not a well-formed ID of this index's format
   */
  public Optional<String> poiOfTokens(List<String> tokens) {
    return poiOf(format.parseTokens(tokens));
  }

  /** The tokens of a POI's ID in this index's format. */
  public List<String> tokensOf(String poiId) {
    return format.tokensOf(idOf(poiId));
  }

  /** The collision statistics (computed once). */
  public CollisionStats collisionStats() {
    return collisionStats.get();
  }

  /** The number of collision slots the vocabulary covers: the largest slot in use plus one. */
  public int slotCount() {
    return collisionStats().maxSlot() + 1;
  }

  /**
   * Every token of this index's format for its lattices and slots {@code 0 .. slotCount()-1}, with
   * dense ids: the rows of a model's ID-token embedding table. Slot tokens come last, so an index
   * grown with {@link #withAdded} keeps every existing token id.
   */
  public TokenVocabulary vocabulary() {
    return vocabulary.get();
  }

  /** The prefix trie of the indexed IDs in this index's format (built once, on first use). */
  public SidTrie trie() {
    return trie.get();
  }

  /**
   * The tokens that may come next after a prefix of ID tokens so that the sequence can still end as
   * an indexed ID: empty after a complete ID or a prefix no ID starts with. See {@link SidTrie} for
   * the token-id variants.
   *
   * @throws IllegalArgumentException naming a prefix token that is not in {@link #vocabulary()}
   */
  public ImmutableSet<String> allowedNextTokens(List<String> prefixTokens) {
    return trie().allowedNextTokens(prefixTokens);
  }

  /**
   * The {@link IdSpace} distance between two IDs of this space (not necessarily indexed).
   *
   * @throws IllegalArgumentException when an ID is not a member of the space
   */
  public double distance(SemanticId a, SemanticId b) {
    space.checkMember(a);
    space.checkMember(b);
    return space.distance(a, b);
  }

  /** The {@link IdSpace} distance between the IDs of two indexed POIs. */
  public double distance(String poiA, String poiB) {
    return space.distance(idOf(poiA), idOf(poiB));
  }

  /**
   * Similarity of two IDs in [0, 1]: {@code 1 - distance / maxDistance}, where {@code maxDistance}
   * is the largest distance two IDs of the space can have ({@link #maxDistance()}). It is 1 for
   * equal IDs, decreases linearly with the distance and reaches 0 for the farthest pair. Because a
   * difference at a coarse level outweighs any finer one, IDs sharing the level-1 cell all score
   * above {@code 1 - levelOffset(0) / maxDistance}.
   */
  public double similarity(SemanticId a, SemanticId b) {
    return 1 - distance(a, b) / maxDistance;
  }

  /**
   * The similarity of the IDs of two indexed POIs (see {@link #similarity(SemanticId,
   * SemanticId)}).
   */
  public double similarity(String poiA, String poiB) {
    return 1 - distance(poiA, poiB) / maxDistance;
  }

  /**
   * The largest distance between two IDs of the space: {@code levelOffset(l) + diameter(l)} for the
   * first level {@code l} with more than one cell, or 1 (a slot difference) when every lattice has
   * a single cell.
   */
  public double maxDistance() {
    return maxDistance;
  }

  /**
   * The {@code k} POIs nearest to an indexed POI by ID distance, the POI itself excluded, nearest
   * first, ties broken by ID order. Fewer when the index holds at most {@code k} other POIs.
   *
   * @throws IllegalArgumentException when {@code k < 1} or the POI is not indexed
   */
  public List<Neighbor> nearest(String poiId, int k) {
    int ord = ordinalOf(poiId);
    return nearest(ids[ord], k, ord);
  }

  /**
   * The {@code k} POIs nearest to an ID of the space (indexed or not) by ID distance, nearest
   * first, ties broken by ID order; a POI holding exactly this ID comes first, at distance 0.
   *
   * @throws IllegalArgumentException when {@code k < 1} or the ID is not a member of the space
   */
  public List<Neighbor> nearest(SemanticId query, int k) {
    space.checkMember(query);
    return nearest(query, k, -1);
  }

  /**
   * Walks out from the query's own leaf: POIs sharing a longer cell prefix with the query are
   * always nearer than those sharing a shorter one (the level offsets of {@link IdSpace}), and
   * entries sharing a prefix are a contiguous run of the ID-sorted arrays. So the groups "first
   * differ at level p" are visited from the deepest p up, and only the last group needed is ranked
   * by lattice distance, with a bounded heap.
   */
  private List<Neighbor> nearest(SemanticId query, int k, int exclude) {
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    int[] q = query.cells();
    List<Neighbor> out = new ArrayList<>(Math.min(k, size()));
    int lo = lowerBound(q, levels);
    int hi = upperBound(q, levels);
    for (int pass = 0; pass < 2; pass++) {
      // pass 0: the exact ID (distance 0); pass 1: the same leaf, another slot (distance 1).
      for (int i = lo; i < hi && out.size() < k; i++) {
        boolean sameSlot = ids[i].collisionSlot() == query.collisionSlot();
        if (i != exclude && sameSlot == (pass == 0)) {
          out.add(new Neighbor(poiIds[i], ids[i], pass));
        }
      }
    }
    for (int p = levels - 1; p >= 0 && out.size() < k; p--) {
      int outerLo = lowerBound(q, p);
      int outerHi = upperBound(q, p);
      addGroup(q, p, outerLo, lo, hi, outerHi, k - out.size(), out);
      lo = outerLo;
      hi = outerHi;
    }
    return List.copyOf(out);
  }

  /** Adds the {@code need} nearest of the entries in [a, b) and [c, d), which differ at level p. */
  private void addGroup(int[] q, int p, int a, int b, int c, int d, int need, List<Neighbor> out) {
    int count = (b - a) + (d - c);
    if (count == 0) {
      return;
    }
    LatticeSpec lattice = space.level(p);
    double offset = space.levelOffset(p);
    int keep = Math.min(need, count);
    // Max-heap on (distance, ordinal) of the best `keep` seen so far.
    double[] heapD = new double[keep];
    int[] heapO = new int[keep];
    int size = 0;
    for (int run = 0; run < 2; run++) {
      int from = run == 0 ? a : c;
      int to = run == 0 ? b : d;
      for (int i = from; i < to; i++) {
        double dist = offset + lattice.distance(q[p], cells[i * levels + p]);
        if (size < keep) {
          heapD[size] = dist;
          heapO[size] = i;
          siftUp(heapD, heapO, size++);
        } else if (before(dist, i, heapD[0], heapO[0])) {
          heapD[0] = dist;
          heapO[0] = i;
          siftDown(heapD, heapO, size);
        }
      }
    }
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order,
        (x, y) -> {
          int cmp = Double.compare(heapD[x], heapD[y]);
          return cmp != 0 ? cmp : Integer.compare(heapO[x], heapO[y]);
        });
    for (int i : order) {
      out.add(new Neighbor(poiIds[heapO[i]], ids[heapO[i]], heapD[i]));
    }
  }

  private static boolean before(double d1, int o1, double d2, int o2) {
    return d1 < d2 || (d1 == d2 && o1 < o2);
  }

  private static void siftUp(double[] d, int[] o, int i) {
    while (i > 0) {
      int parent = (i - 1) / 2;
      if (!before(d[parent], o[parent], d[i], o[i])) {
        return;
      }
      swap(d, o, i, parent);
      i = parent;
    }
  }

  private static void siftDown(double[] d, int[] o, int size) {
    int i = 0;
    while (true) {
      int left = 2 * i + 1;
      if (left >= size) {
        return;
      }
      int right = left + 1;
      int largest = right < size && before(d[left], o[left], d[right], o[right]) ? right : left;
      if (!before(d[i], o[i], d[largest], o[largest])) {
        return;
      }
      swap(d, o, i, largest);
      i = largest;
    }
  }

  private static void swap(double[] d, int[] o, int i, int j) {
    double td = d[i];
    d[i] = d[j];
    d[j] = td;
    int to = o[i];
    o[i] = o[j];
    o[j] = to;
  }

  /** First entry whose first {@code p} cells are >= the query's. */
  private int lowerBound(int[] q, int p) {
    int lo = 0;
    int hi = ids.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (comparePrefix(mid, q, p) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** First entry whose first {@code p} cells are > the query's. */
  private int upperBound(int[] q, int p) {
    int lo = 0;
    int hi = ids.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (comparePrefix(mid, q, p) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private int comparePrefix(int ord, int[] q, int p) {
    int base = ord * levels;
    for (int l = 0; l < p; l++) {
      int c = cells[base + l];
      if (c != q[l]) {
        return Integer.compare(c, q[l]);
      }
    }
    return 0;
  }

  /**
   * A new index with one more POI, placed in the given lattice cells and given the smallest
   * collision slot not yet used in that leaf (the next slot when the leaf's slots are 0..n-1). This
   * index is left unchanged. Costs O(size), like building.
   *
   * @param poiId the new POI, not yet indexed
   * @param leafCells its cell at every level (for example from a trained model's quantizer)
   * @throws IllegalArgumentException when the POI is already indexed or the cells are outside the
   *     lattices
   */
  public SemanticIdIndex withAdded(String poiId, int[] leafCells) {
    checkPoiId(poiId);
    Integer existing = ordinalOfPoi.get(poiId);
    checkArgument(
        existing == null,
        "POI '%s' is already in the index with ID %s",
        poiId,
        existing == null ? null : ids[existing]);
    checkNotNull(leafCells, "leafCells");
    space.checkMember(SemanticId.of(leafCells, 0));
    int lo = lowerBound(leafCells, levels);
    int hi = upperBound(leafCells, levels);
    int slot = 0;
    for (int i = lo; i < hi && ids[i].collisionSlot() == slot; i++) {
      slot++;
    }
    SemanticId id = SemanticId.of(leafCells, slot);
    int at = -Arrays.binarySearch(ids, id) - 1;
    int n = ids.length;
    String[] newPois = new String[n + 1];
    SemanticId[] newIds = new SemanticId[n + 1];
    System.arraycopy(poiIds, 0, newPois, 0, at);
    System.arraycopy(ids, 0, newIds, 0, at);
    newPois[at] = poiId;
    newIds[at] = id;
    System.arraycopy(poiIds, at, newPois, at + 1, n - at);
    System.arraycopy(ids, at, newIds, at + 1, n - at);
    return new SemanticIdIndex(space, format, newPois, newIds, maxDistance);
  }

  /**
   * Writes the index atomically (a temporary file in the same directory, then an atomic move):
   * magic, format version, then a payload holding the format name, the ID space and the entries,
   * then the payload's CRC32. See {@link #load(Path)}.
   *
   * @throws IOException when the file or its temporary sibling cannot be written or moved
   */
  public void save(Path file) throws IOException {
    SemanticIdIndexFiles.write(this, file);
  }

  /**
   * Reads an index written by {@link #save}, with a built-in token format ({@link
   * LatticeTokenFormat} or {@link RowColumnTokenFormat}).
   *
   * @throws SemanticIdIndexFileException when the file is not an index, is of a newer version, is
   *     truncated or corrupt (a count larger than the file holds, an ID space or vocabulary over
   *     the limits included), or names an unknown format
   * @throws org.refinepoi.core.io.NotEnoughMemoryException when the heap cannot hold the file
   * @throws IOException when it cannot be read
   */
  public static SemanticIdIndex load(Path file) throws IOException {
    return SemanticIdIndexFiles.read(file, null);
  }

  /**
   * Reads an index written by {@link #save} with a custom token format: the factory builds the
   * format for the stored ID space, and its name must be the one stored.
   *
   * @throws SemanticIdIndexFileException when the file is not an index, is of a newer version, is
   *     truncated or corrupt, or its format name differs from the factory's
   * @throws IOException when it cannot be read
   */
  public static SemanticIdIndex load(Path file, Function<IdSpace, IdFormat> formatFactory)
      throws IOException {
    return SemanticIdIndexFiles.read(file, checkNotNull(formatFactory, "formatFactory"));
  }

  private int ordinalOf(String poiId) {
    Integer ord = ordinalOfPoi.get(checkNotNull(poiId, "poiId"));
    checkArgument(ord != null, "POI '%s' is not in this index of %s POIs", poiId, size());
    return ord;
  }

  private CollisionStats computeCollisionStats() {
    int leaves = 0;
    int colliding = 0;
    int maxSlot = 0;
    int i = 0;
    while (i < ids.length) {
      int j = i + 1;
      while (j < ids.length
          && Arrays.equals(
              cells, i * levels, (i + 1) * levels, cells, j * levels, (j + 1) * levels)) {
        j++;
      }
      leaves++;
      if (j - i > 1) {
        colliding += j - i;
      }
      for (int t = i; t < j; t++) {
        maxSlot = Math.max(maxSlot, ids[t].collisionSlot());
      }
      i = j;
    }
    return new CollisionStats(ids.length, leaves, colliding, maxSlot);
  }

  private SidTrie buildTrie() {
    TokenVocabulary vocab = vocabulary();
    int[][] sequences = new int[ids.length][];
    for (int i = 0; i < ids.length; i++) {
      sequences[i] = vocab.encode(format.tokensOf(ids[i]));
    }
    return SidTrie.build(vocab, format.tokensPerId(), sequences);
  }

  private static void checkPoiId(String poiId) {
    checkNotNull(poiId, "poiId");
    checkArgument(!poiId.isBlank(), "POI id must not be empty or blank, got '%s'", poiId);
  }

  /**
   * Checks that lattices fit in {@link #MAX_SPACE_CELLS} cells, all levels together.
   *
   * @throws IllegalArgumentException when they do not
   */
  public static void checkSpaceSize(List<LatticeSpec> lattices) {
    checkNotNull(lattices, "lattices");
    long cells = 0;
    for (LatticeSpec lattice : lattices) {
      cells += lattice.size();
    }
    checkArgument(
        cells <= MAX_SPACE_CELLS,
        "the ID space has %s lattice cells, more than the %s an index may have",
        cells,
        MAX_SPACE_CELLS);
  }

  static double maxDistanceOf(IdSpace space) {
    for (int l = 0; l < space.levelCount(); l++) {
      if (space.level(l).size() > 1) {
        return space.levelOffset(l) + space.level(l).diameter();
      }
    }
    return 1;
  }

  /** Equal when the ID space, the format name and the entries are equal. */
  @Override
  public boolean equals(Object o) {
    return o instanceof SemanticIdIndex other
        && space.equals(other.space)
        && format.name().equals(other.format.name())
        && entries.equals(other.entries);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * space.hashCode() + format.name().hashCode()) + entries.hashCode();
  }

  @Override
  public String toString() {
    return "SemanticIdIndex[" + size() + " POIs, " + space + ", format " + format.name() + "]";
  }

  /**
   * Collects (POI, ID) pairs and builds a {@link SemanticIdIndex}. Rejects, at {@link #add}, a null
   * or blank POI id, an ID outside the space's lattices, and a POI or an ID given twice (the map
   * must be a bijection). The format defaults to {@link LatticeTokenFormat} of the space.
   */
  public static final class Builder {

    private final IdSpace space;
    private IdFormat format;
    private final Map<String, SemanticId> idOfPoi = new HashMap<>();
    private final Map<SemanticId, String> poiOfId = new HashMap<>();

    private Builder(IdSpace space) {
      this.space = checkNotNull(space, "space");
      checkSpaceSize(space.levels());
      this.format = LatticeTokenFormat.of(space);
    }

    /**
     * The token format; it must be bound to this builder's ID space.
     *
     * @throws IllegalArgumentException when the format's space differs
     */
    public Builder format(IdFormat idFormat) {
      checkNotNull(idFormat, "idFormat");
      checkArgument(
          idFormat.space().equals(space),
          "format %s is for %s, the index is over %s",
          idFormat.name(),
          idFormat.space(),
          space);
      this.format = idFormat;
      return this;
    }

    /**
     * Adds a POI with its ID.
     *
     * @throws IllegalArgumentException on a blank POI id, an ID outside the space, a POI already
     *     added, or an ID already given to another POI
     */
    public Builder add(String poiId, SemanticId id) {
      checkPoiId(poiId);
      space.checkMember(id);
      SemanticId previous = idOfPoi.get(poiId);
      checkArgument(previous == null, "POI '%s' added twice (IDs %s and %s)", poiId, previous, id);
      String holder = poiOfId.get(id);
      checkArgument(holder == null, "ID %s given to two POIs, '%s' and '%s'", id, holder, poiId);
      idOfPoi.put(poiId, id);
      poiOfId.put(id, poiId);
      return this;
    }

    /** Adds every (POI, ID) pair of a map (see {@link #add}). */
    public Builder addAll(Map<String, SemanticId> idsByPoi) {
      checkNotNull(idsByPoi, "idsByPoi");
      idsByPoi.forEach(this::add);
      return this;
    }

    /**
     * The index.
     *
     * @throws IllegalArgumentException when no POI was added, or the vocabulary would hold more
     *     than {@link #MAX_VOCABULARY_TOKENS} tokens (an enormous collision slot, say)
     */
    public SemanticIdIndex build() {
      checkArgument(!idOfPoi.isEmpty(), "an index needs at least one POI");
      SemanticId[] ids = poiOfId.keySet().toArray(new SemanticId[0]);
      Arrays.sort(ids);
      String[] pois = new String[ids.length];
      for (int i = 0; i < ids.length; i++) {
        pois[i] = poiOfId.get(ids[i]);
      }
      return new SemanticIdIndex(space, format, pois, ids, maxDistanceOf(space));
    }
  }
}
