package org.refinepoi.som;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.backend.BatchedMapTraining;
import org.refinepoi.som.backend.JavaSomBackend;
import org.refinepoi.som.backend.SomBackend;
import org.refinepoi.som.backend.SomBackends;
import org.refinepoi.som.backend.SomSession;
import org.refinepoi.som.train.Initialization;
import org.refinepoi.som.train.Neighbourhood;
import org.refinepoi.som.train.NeighbourhoodMatrix;
import org.refinepoi.som.train.Schedule;
import org.refinepoi.som.train.SomConfig;
import org.refinepoi.som.train.SomMap;
import org.refinepoi.som.train.SomTrainer;
import org.refinepoi.som.train.TrainingAlgorithm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hierarchical SOM quantizer: turns POI vectors into topology-aware semantic IDs (one lattice
 * cell per level, then a collision slot). Build one with {@link #builder()}, {@link #fit} it to a
 * matrix, and use the returned {@link HierarchicalSomModel} to assign IDs to known and new POIs.
 *
 * <p>Defaults (chosen for a city of 1k-20k POIs; no tuning needed): two rectangular planar levels,
 * 16×16 then 4×4; {@link HierarchyMode#TREE}; batch map; Gaussian neighbourhood with a radius
 * linear from half the longer lattice side to 1; 30 epochs at the first level and 20 below; PCA
 * initialization; seed 42; the pure-Java backend with all processors. With 20k POIs a 16×16 map
 * holds ~80 per cell and each 4×4 child ~5 per leaf, so the collision slot stays small; with 1k
 * POIs most leaves hold one POI.
 *
 * <p><b>Determinism.</b> The same data, configuration and seed give the same model and the same IDs
 * on any number of threads: the Java backend is thread-count independent, child maps are trained
 * independently with seeds derived from the seed and their parent path, and results are collected
 * in cell order. Child maps of TREE mode with fewer than {@link Builder#smallMapSamples(int)}
 * samples (the typical 4×4 child) always run on a single-threaded Java backend, in parallel with
 * each other, whatever backend the first level uses: launching a device per tiny map costs more
 * than it saves. The larger child maps of a level run on the configured backend; when it offers
 * {@link BatchedMapTraining} (the CUDA backend does), they are trained together in one batch (one
 * launch for all of them), each from its own initialization and seed, with the level's schedule.
 */
public final class HierarchicalSom implements java.io.Serializable {

  @java.io.Serial private static final long serialVersionUID = 1L;

  private static final Logger LOG = LoggerFactory.getLogger(HierarchicalSom.class);

  // Never serialized as fields: writeReplace sends the settings (not the backend).
  private final transient ImmutableList<LatticeSpec> levels;
  private final transient HierarchyMode mode;
  private final transient int[] epochs;
  private final transient Neighbourhood neighbourhood;
  private final transient List<Schedule> radii;
  private final transient Initialization initialization;
  private final transient TrainingAlgorithm algorithm;
  private final transient long seed;
  private final transient SomBackend backend;
  private final transient int smallMapSamples;

  private HierarchicalSom(Builder b) {
    this.levels = ImmutableList.copyOf(b.levels);
    this.mode = b.mode;
    this.epochs = b.epochs;
    this.neighbourhood = b.neighbourhood;
    this.radii = b.radii;
    this.initialization = b.initialization;
    this.algorithm = b.algorithm;
    this.seed = b.seed;
    this.backend = b.backend;
    this.smallMapSamples = b.smallMapSamples;
  }

  /** A builder with the documented defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The lattices, coarsest first. */
  public ImmutableList<LatticeSpec> levels() {
    return levels;
  }

  /** The hierarchy mode. */
  public HierarchyMode mode() {
    return mode;
  }

  /** Batch map or online rule. */
  public TrainingAlgorithm algorithm() {
    return algorithm;
  }

  /** The seed. */
  public long seed() {
    return seed;
  }

  /** The compute backend of {@link #fit}. */
  public SomBackend backend() {
    return backend;
  }

  /**
   * The same configuration with another compute backend (for example a single-threaded Java backend
   * inside each task of a distributed job).
   */
  public HierarchicalSom withBackend(SomBackend value) {
    checkNotNull(value, "backend");
    Builder b = toBuilder();
    b.backend = value;
    return b.build();
  }

  private Builder toBuilder() {
    Builder b = new Builder();
    b.levels = levels;
    b.mode = mode;
    b.epochs = epochs.clone();
    b.neighbourhood = neighbourhood;
    b.radii = radii;
    b.initialization = initialization;
    b.algorithm = algorithm;
    b.seed = seed;
    b.backend = backend;
    b.smallMapSamples = smallMapSamples;
    return b;
  }

  /**
   * The training configuration {@link #fit} uses for the map at a level under a parent path (the
   * cells above it in TREE mode; empty at level 0 and in RESIDUAL mode), with the seed derived for
   * that map. A distributed trainer runs the first-level map with this configuration and gets the
   * map {@code fit} trains.
   *
   * @throws IndexOutOfBoundsException when the level does not exist
   * @throws IllegalArgumentException when the path's length differs from the level
   */
  public SomConfig levelConfig(int level, int... path) {
    com.google.common.base.Preconditions.checkElementIndex(level, levels.size(), "level");
    checkNotNull(path, "path");
    checkArgument(
        path.length == (mode == HierarchyMode.TREE ? level : 0),
        "a %s map at level %s takes %s parent cells, got %s",
        mode,
        level,
        mode == HierarchyMode.TREE ? level : 0,
        path.length);
    return config(level, mapSeed(seed, level, path));
  }

  /**
   * Trains the TREE sub-hierarchy under one first-level cell exactly as {@link #fit} does: the
   * child map of that cell and, recursively, the maps below it. This is the part of a TREE fit that
   * touches only the cell's POIs, so a distributed trainer can run it for every cell in parallel on
   * the machines that hold them and assemble the result with {@link HierarchicalSomModel#ofTree}.
   *
   * @param cell the first-level cell
   * @param members the POIs whose first-level BMU is {@code cell}, in the order {@code fit} would
   *     see them (the order of the full matrix)
   * @return the TREE model over levels {@code 1..} of these POIs
   * @throws IllegalStateException when the mode is not TREE or there is only one level
   * @throws IndexOutOfBoundsException when the cell is not on the first lattice
   */
  public HierarchicalSomModel fitSubtree(int cell, FloatMatrix members) {
    checkNotNull(members, "members");
    com.google.common.base.Preconditions.checkState(
        mode == HierarchyMode.TREE && levels.size() >= 2,
        "subtrees exist in TREE mode with at least two levels, this is %s with %s",
        mode,
        levels.size());
    com.google.common.base.Preconditions.checkElementIndex(cell, levels.get(0).size(), "cell");
    int[] path = {cell};
    SomMap child = trainChild(members, 1, path, null);
    HierarchicalSomModel.Node node = treeNode(child, members, 1, path);
    return HierarchicalSomModel.tree(levels.subList(1, levels.size()), node);
  }

  /** Serialized as its settings; the backend is not serialized (the copy uses the Java backend). */
  @java.io.Serial
  private Object writeReplace() {
    return new Settings(
        levels,
        mode,
        epochs.clone(),
        neighbourhood,
        radii,
        initialization,
        algorithm,
        seed,
        smallMapSamples);
  }

  @java.io.Serial
  private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
    throw new java.io.InvalidObjectException("a HierarchicalSom is read from its settings");
  }

  private record Settings(
      List<LatticeSpec> levels,
      HierarchyMode mode,
      int[] epochs,
      Neighbourhood neighbourhood,
      List<Schedule> radii,
      Initialization initialization,
      TrainingAlgorithm algorithm,
      long seed,
      int smallMapSamples)
      implements java.io.Serializable {
    @java.io.Serial
    private Object readResolve() {
      Builder b = new Builder();
      b.levels = List.copyOf(levels);
      b.mode = mode;
      b.epochs = epochs.clone();
      b.neighbourhood = neighbourhood;
      b.radii = List.copyOf(radii);
      b.initialization = initialization;
      b.algorithm = algorithm;
      b.seed = seed;
      b.smallMapSamples = smallMapSamples;
      return b.build();
    }
  }

  /** The training configuration of one map at a level (seed already derived for that map). */
  SomConfig config(int level, long mapSeed) {
    return SomConfig.builder(levels.get(level))
        .algorithm(algorithm)
        .epochs(epochs[level])
        .neighbourhood(neighbourhood)
        .radius(radii.get(level))
        .initialization(initialization)
        .seed(mapSeed)
        .build();
  }

  /**
   * Trains the hierarchy on POI vectors (one row per POI).
   *
   * @throws IllegalArgumentException on an empty matrix (FloatMatrix already refuses non-finite
   *     values)
   */
  public HierarchicalSomModel fit(FloatMatrix data) {
    checkNotNull(data, "data");
    long t0 = System.nanoTime();
    HierarchicalSomModel model = mode == HierarchyMode.TREE ? fitTree(data) : fitResidual(data);
    LOG.debug(
        "fitted {} HSOM {} on {}x{} in {} ms",
        mode,
        levels,
        data.rows(),
        data.cols(),
        (System.nanoTime() - t0) / 1_000_000);
    return model;
  }

  private HierarchicalSomModel fitResidual(FloatMatrix data) {
    List<SomMap> maps = new ArrayList<>();
    FloatMatrix residual = data;
    for (int l = 0; l < levels.size(); l++) {
      SomMap map = new SomTrainer(config(l, mapSeed(seed, l, new int[0]))).train(residual, backend);
      maps.add(map);
      if (l + 1 < levels.size()) {
        residual = HierarchicalSomModel.subtractPrototypes(residual, map);
      }
    }
    return HierarchicalSomModel.residual(levels, maps);
  }

  private HierarchicalSomModel fitTree(FloatMatrix data) {
    SomMap root = new SomTrainer(config(0, mapSeed(seed, 0, new int[0]))).train(data, backend);
    HierarchicalSomModel.Node node = treeNode(root, data, 0, new int[0]);
    return HierarchicalSomModel.tree(levels, node);
  }

  /** Builds the subtree under a trained map whose training samples were {@code data}. */
  private HierarchicalSomModel.Node treeNode(SomMap map, FloatMatrix data, int level, int[] path) {
    if (level + 1 == levels.size()) {
      return new HierarchicalSomModel.Node(map, null);
    }
    int units = map.lattice().size();
    // The Java kernels use BmuSearch's arithmetic, so membership matches model.cells() exactly.
    int[] bmu;
    try (SomSession s =
        (data.rows() >= smallMapSamples ? new JavaSomBackend() : SINGLE_THREAD).open(data)) {
      bmu = s.bmu(map.codebook(), false).best();
    }
    int[] counts = new int[units];
    for (int b : bmu) {
      counts[b]++;
    }
    int[][] members = new int[units][];
    for (int u = 0; u < units; u++) {
      members[u] = new int[counts[u]];
    }
    int[] fill = new int[units];
    for (int i = 0; i < data.rows(); i++) {
      members[bmu[i]][fill[bmu[i]]++] = i;
    }
    HierarchicalSomModel.Node[] children = new HierarchicalSomModel.Node[units];
    SomMap[] childMaps = trainBatched(data, members, level + 1, path);
    // Children are independent: parallel, each deterministic, collected by cell.
    IntStream.range(0, units)
        .parallel()
        .forEach(
            u -> {
              if (members[u].length == 0) {
                return;
              }
              int[] childPath = childPath(path, u);
              FloatMatrix subset = data.selectRows(members[u]);
              SomMap child =
                  childMaps[u] != null
                      ? childMaps[u]
                      : trainChild(subset, level + 1, childPath, map.prototype(u));
              children[u] = treeNode(child, subset, level + 1, childPath);
            });
    return new HierarchicalSomModel.Node(map, children);
  }

  private static int[] childPath(int[] path, int cell) {
    int[] childPath = Arrays.copyOf(path, path.length + 1);
    childPath[path.length] = cell;
    return childPath;
  }

  /**
   * The child maps that would run on the configured backend (at least {@link
   * Builder#smallMapSamples(int)} samples), trained together when that backend offers {@link
   * BatchedMapTraining} for the child lattice (the CUDA backend: one launch for all of them instead
   * of a context per child), with each child's own initialization, seed and the level's schedule.
   *
   * @return per parent cell the trained child, or null where the child is trained on its own
   */
  private SomMap[] trainBatched(FloatMatrix data, int[][] members, int level, int[] path) {
    SomMap[] out = new SomMap[members.length];
    LatticeSpec lattice = levels.get(level);
    if (!(backend instanceof BatchedMapTraining batched)
        || algorithm != TrainingAlgorithm.BATCH
        || !batched.canTrainMaps(lattice, data.cols())) {
      return out;
    }
    List<Integer> cells = new ArrayList<>();
    for (int u = 0; u < members.length; u++) {
      if (members[u].length >= Math.max(2, smallMapSamples)) {
        cells.add(u);
      }
    }
    if (cells.isEmpty()) {
      return out;
    }
    int m = lattice.size();
    int d = data.cols();
    int rows = 0;
    for (int u : cells) {
      rows += members[u].length;
    }
    int[] order = new int[rows];
    int[] groupOf = new int[rows];
    float[] initial = new float[cells.size() * m * d];
    SomConfig config = null;
    int at = 0;
    for (int g = 0; g < cells.size(); g++) {
      int u = cells.get(g);
      config = config(level, mapSeed(seed, level, childPath(path, u)));
      FloatMatrix subset = data.selectRows(members[u]);
      FloatMatrix init = config.initialization().initialize(subset, lattice, config.seed());
      System.arraycopy(init.unsafeData(), 0, initial, g * m * d, m * d);
      for (int i : members[u]) {
        order[at] = i;
        groupOf[at++] = g;
      }
    }
    List<float[]> weights = new ArrayList<>();
    NeighbourhoodMatrix matrix = NeighbourhoodMatrix.cached(lattice);
    for (int e = 0; e < config.epochs(); e++) {
      weights.add(
          matrix.weights(config.neighbourhood(), config.radius().value(e, config.epochs())));
    }
    FloatMatrix trained =
        batched.trainMaps(
            data.selectRows(order),
            groupOf,
            cells.size(),
            lattice,
            FloatMatrix.wrap(cells.size() * m, d, initial),
            weights);
    float[] t = trained.unsafeData();
    for (int g = 0; g < cells.size(); g++) {
      out[cells.get(g)] =
          new SomMap(
              lattice, FloatMatrix.wrap(m, d, Arrays.copyOfRange(t, g * m * d, (g + 1) * m * d)));
    }
    LOG.debug("trained {} child maps of level {} together on {}", cells.size(), level, backend);
    return out;
  }

  private SomMap trainChild(FloatMatrix subset, int level, int[] path, float[] parentPrototype) {
    LatticeSpec lattice = levels.get(level);
    if (subset.rows() == 1) {
      // One POI: every unit is that POI (it maps to unit 0, the lowest index); nothing to train.
      float[] w = new float[lattice.size() * subset.cols()];
      for (int j = 0; j < lattice.size(); j++) {
        System.arraycopy(subset.unsafeData(), 0, w, j * subset.cols(), subset.cols());
      }
      return new SomMap(lattice, FloatMatrix.wrap(lattice.size(), subset.cols(), w));
    }
    SomBackend be =
        subset.rows() < smallMapSamples
                && !(backend instanceof JavaSomBackend j && j.threads() == 1)
            ? SINGLE_THREAD
            : backend;
    return new SomTrainer(config(level, mapSeed(seed, level, path))).train(subset, be);
  }

  private static final SomBackend SINGLE_THREAD = new JavaSomBackend(1);

  /** A map's seed from the model seed, its level and its parent path (SplitMix64 mixing). */
  static long mapSeed(long seed, int level, int[] path) {
    long h = seed ^ (0x9E3779B97F4A7C15L * (level + 1));
    for (int c : path) {
      h = mix(h + 0x632BE59BD9B4E019L * (c + 1));
    }
    return mix(h);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Builds a {@link HierarchicalSom}; see the class comment for the defaults. */
  public static final class Builder {
    private List<LatticeSpec> levels =
        List.of(LatticeSpec.rectangular(16, 16), LatticeSpec.rectangular(4, 4));
    private HierarchyMode mode = HierarchyMode.TREE;
    private int[] epochs;
    private Neighbourhood neighbourhood = Neighbourhood.GAUSSIAN;
    private List<Schedule> radii;
    private Initialization initialization = Initialization.PCA;
    private TrainingAlgorithm algorithm = TrainingAlgorithm.BATCH;
    private long seed = 42;
    private SomBackend backend;
    private int smallMapSamples = 4096;

    private Builder() {}

    /** The lattice of each level, coarsest first (default 16×16 then 4×4 rectangular). */
    public Builder levels(LatticeSpec... value) {
      checkNotNull(value, "levels");
      checkArgument(value.length >= 1, "a hierarchical SOM needs at least one level");
      for (int i = 0; i < value.length; i++) {
        checkNotNull(value[i], "level %s of %s is null", i + 1, value.length);
      }
      this.levels = List.of(value);
      return this;
    }

    /** The hierarchy mode (default TREE). */
    public Builder mode(HierarchyMode value) {
      this.mode = checkNotNull(value, "mode");
      return this;
    }

    /** Epochs per level, one value per level (default 30 at the first level, 20 below). */
    public Builder epochs(int... value) {
      this.epochs = checkNotNull(value, "epochs").clone();
      return this;
    }

    /** The neighbourhood function of every level (default Gaussian). */
    public Builder neighbourhood(Neighbourhood value) {
      this.neighbourhood = checkNotNull(value, "neighbourhood");
      return this;
    }

    /**
     * Radius schedules, one per level (default linear from half the longer side of each level's
     * lattice to 1).
     */
    public Builder radii(Schedule... value) {
      this.radii = List.of(checkNotNull(value, "radii"));
      return this;
    }

    /** Initialization of every map (default PCA). */
    public Builder initialization(Initialization value) {
      this.initialization = checkNotNull(value, "initialization");
      return this;
    }

    /** Batch map (default) or the online rule, for every map. */
    public Builder algorithm(TrainingAlgorithm value) {
      this.algorithm = checkNotNull(value, "algorithm");
      return this;
    }

    /** The seed (default 42). */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /** The compute backend (default: the pure-Java backend on all processors). */
    public Builder backend(SomBackend value) {
      this.backend = checkNotNull(value, "backend");
      return this;
    }

    /** The compute backend by name: {@code java}, {@code nd4j}, {@code cuda} or {@code auto}. */
    public Builder backend(String name) {
      this.backend = SomBackends.byName(name);
      return this;
    }

    /**
     * Maps trained on fewer samples than this run on a single-threaded Java backend, in parallel
     * with each other (default 4096).
     */
    public Builder smallMapSamples(int value) {
      this.smallMapSamples = value;
      return this;
    }

    /**
     * The validated configuration.
     *
     * @throws IllegalArgumentException when the per-level lists do not match the number of levels
     *     or a value is out of range
     */
    public HierarchicalSom build() {
      checkArgument(!levels.isEmpty(), "a hierarchical SOM needs at least one level");
      for (LatticeSpec l : levels) {
        checkNotNull(l, "level lattice");
      }
      if (epochs == null) {
        epochs = new int[levels.size()];
        Arrays.fill(epochs, 20);
        epochs[0] = 30;
      }
      checkArgument(
          epochs.length == levels.size(),
          "epochs has %s values for %s levels",
          epochs.length,
          levels.size());
      for (int e : epochs) {
        checkArgument(e >= 1, "epochs must be >= 1, got %s", Arrays.toString(epochs));
      }
      if (radii == null) {
        List<Schedule> r = new ArrayList<>();
        for (LatticeSpec l : levels) {
          r.add(SomConfig.defaultRadius(l));
        }
        radii = r;
      }
      checkArgument(
          radii.size() == levels.size(),
          "radii has %s schedules for %s levels",
          radii.size(),
          levels.size());
      checkArgument(smallMapSamples >= 0, "smallMapSamples must be >= 0");
      if (backend == null) {
        backend = new JavaSomBackend();
      }
      return new HierarchicalSom(this);
    }
  }
}
