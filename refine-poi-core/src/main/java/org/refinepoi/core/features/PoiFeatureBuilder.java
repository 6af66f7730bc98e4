package org.refinepoi.core.features;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.math.FloatMatrix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits POI feature vectors (docs/method.md section 2) on training check-ins only. Settings are
 * validated when set; {@link #fit} can be called any number of times and is deterministic in the
 * settings and the input. Each block is L2-normalized per POI, then scaled by its weight, so a POI
 * row's block has norm exactly {@code weight} when the POI has data for it; a weight of 0 drops the
 * block. The blocks, in column order:
 *
 * <ul>
 *   <li><b>category</b> (weight 1): the POI's category name through a {@link CategoryEncoder},
 *       one-hot over the data set's category names (sorted) by default.
 *   <li><b>location</b> (weight 1): the standardized latitude and longitude, clamped to +-4
 *       standard deviations and mapped to angles in [-pi/2, pi/2] as (cos, sin) pairs (monotone
 *       over the whole city and of constant norm), plus a multi-scale code: (cos, sin) of 2 pi x /
 *       lambda and 2 pi y / lambda for east/north kilometres x, y from the catalogue's mean
 *       position, at wavelengths lambda of 16, 4 and 1 km by default. The i-th scale, coarsest
 *       first, has amplitude 2^-i: a periodic code aliases beyond its wavelength (points 1 km apart
 *       look alike at the 1 km scale), and the decay keeps the coarser, monotone parts dominant so
 *       that feature distance grows with geographic distance. Every row has the same norm before
 *       normalization, so normalization is a constant scale that keeps the geometry. Width 4 + 4 x
 *       scales.
 *   <li><b>time</b> (weight 1): the visit-time profile: a histogram of training check-ins over 24
 *       local hours x {weekday, weekend} (48 bins, weekend = Saturday and Sunday), with add-one
 *       smoothing.
 *   <li><b>popularity</b> (weight 1): v = log(1 + training visits) as the angle (pi / 2) v / v_max
 *       written as (cos, sin): a 1-D quantity would normalize to a constant, the angle keeps it
 *       (unpopular POIs near (1, 0), the most popular at (0, 1)).
 *   <li><b>collaborative</b> (weight 1): co-visits of POIs by the same user within one session
 *       (consecutive check-ins at most 24 hours apart) and at most 5 check-ins apart, as a sparse
 *       symmetric count matrix; positive PMI with context-distribution smoothing (exponent 0.75,
 *       Levy et al. 2015); a rank-24 truncated SVD by randomized subspace iteration (oversampling
 *       10, 4 power iterations; each POI's sketch row seeded by its id and the seed 42); the POI's
 *       vector is its row of U sqrt(Sigma). A user's check-ins are ordered by time, then POI id, so
 *       neither the order of the check-ins nor that of the catalogue changes a POI's vector. The
 *       counts can also come from elsewhere (a Spark job): {@link #collaborativeRows}.
 * </ul>
 *
 * POIs with no training check-ins get zero time, popularity and collaborative blocks (nothing to
 * fit them on), and POIs that never co-occur with another POI a zero collaborative block; their
 * category and location blocks are always filled. Only the training check-ins passed to {@link
 * #fit} are read: the data set contributes the catalogue (categories, coordinates), never its other
 * check-ins.
 *
 * <p>A builder is not thread-safe while it is being configured; {@link #fit} does not modify it.
 */
public final class PoiFeatureBuilder {

  private static final Logger log = LoggerFactory.getLogger(PoiFeatureBuilder.class);

  /** Name of the category block. */
  public static final String CATEGORY = "category";

  /** Name of the location block. */
  public static final String LOCATION = "location";

  /** Name of the visit-time block. */
  public static final String TIME = "time";

  /** Name of the popularity block. */
  public static final String POPULARITY = "popularity";

  /** Name of the co-visit (collaborative) block. */
  public static final String COLLABORATIVE = "collaborative";

  private static final int TIME_BINS = FeatureRows.TIME_BINS;

  private CategoryEncoder categoryEncoder = new OneHotCategoryEncoder();
  private double categoryWeight = 1;
  private double locationWeight = 1;
  private double timeWeight = 1;
  private double popularityWeight = 1;
  private double collaborativeWeight = 1;
  private double[] locationScalesKm = {16, 4, 1};
  private int coVisitWindow = 5;
  private double sessionGapHours = 24;
  private double ppmiContextSmoothing = 0.75;
  private int svdDimensions = 24;
  private int svdOversampling = 10;
  private int svdPowerIterations = 4;
  private long seed = 42;

  private PoiFeatureBuilder() {}

  /** A builder with the documented defaults. */
  public static PoiFeatureBuilder create() {
    return new PoiFeatureBuilder();
  }

  /** The category encoder (default {@link OneHotCategoryEncoder}). */
  public PoiFeatureBuilder categoryEncoder(CategoryEncoder encoder) {
    this.categoryEncoder = checkNotNull(encoder, "encoder");
    return this;
  }

  /** Weight of the category block, >= 0 (default 1; 0 drops it). */
  public PoiFeatureBuilder categoryWeight(double weight) {
    this.categoryWeight = checkWeight(weight, CATEGORY);
    return this;
  }

  /** Weight of the location block, >= 0 (default 1; 0 drops it). */
  public PoiFeatureBuilder locationWeight(double weight) {
    this.locationWeight = checkWeight(weight, LOCATION);
    return this;
  }

  /** Weight of the visit-time block, >= 0 (default 1; 0 drops it). */
  public PoiFeatureBuilder timeWeight(double weight) {
    this.timeWeight = checkWeight(weight, TIME);
    return this;
  }

  /** Weight of the popularity block, >= 0 (default 1; 0 drops it). */
  public PoiFeatureBuilder popularityWeight(double weight) {
    this.popularityWeight = checkWeight(weight, POPULARITY);
    return this;
  }

  /** Weight of the collaborative (co-visit) block, >= 0 (default 1; 0 drops it). */
  public PoiFeatureBuilder collaborativeWeight(double weight) {
    this.collaborativeWeight = checkWeight(weight, COLLABORATIVE);
    return this;
  }

  private static double checkWeight(double weight, String block) {
    return FeatureRows.checkWeight(weight, block);
  }

  /**
   * Wavelengths in km of the multi-scale location code (default 16, 4, 1); each positive, in any
   * order (they are used coarsest first, with halving amplitudes); an empty array keeps only the
   * standardized coordinates.
   */
  public PoiFeatureBuilder locationScalesKm(double... scalesKm) {
    this.locationScalesKm = FeatureRows.checkScalesKm(scalesKm);
    return this;
  }

  /** How many following check-ins of a session count as co-visits, 1 to 100 (default 5). */
  public PoiFeatureBuilder coVisitWindow(int window) {
    checkArgument(
        window >= 1 && window <= 100, "coVisitWindow must be in [1, 100], got %s", window);
    this.coVisitWindow = window;
    return this;
  }

  /** The gap in hours that ends a session for co-visits, > 0 (default 24, as the protocol). */
  public PoiFeatureBuilder sessionGapHours(double hours) {
    checkArgument(
        hours > 0 && Double.isFinite(hours), "sessionGapHours must be > 0, got %s", hours);
    this.sessionGapHours = hours;
    return this;
  }

  /** Exponent smoothing the context distribution of the PMI, in (0, 1] (default 0.75). */
  public PoiFeatureBuilder ppmiContextSmoothing(double exponent) {
    checkArgument(
        exponent > 0 && exponent <= 1, "ppmiContextSmoothing must be in (0, 1], got %s", exponent);
    this.ppmiContextSmoothing = exponent;
    return this;
  }

  /** Width of the collaborative block (SVD rank), 1 to 512 (default 24). */
  public PoiFeatureBuilder svdDimensions(int dimensions) {
    checkArgument(
        dimensions >= 1 && dimensions <= 512,
        "svdDimensions must be in [1, 512], got %s",
        dimensions);
    this.svdDimensions = dimensions;
    return this;
  }

  /** Extra sketch columns of the randomized SVD, 0 to 512 (default 10). */
  public PoiFeatureBuilder svdOversampling(int oversampling) {
    checkArgument(
        oversampling >= 0 && oversampling <= 512,
        "svdOversampling must be in [0, 512], got %s",
        oversampling);
    this.svdOversampling = oversampling;
    return this;
  }

  /** Power (subspace) iterations of the randomized SVD, 0 to 50 (default 4). */
  public PoiFeatureBuilder svdPowerIterations(int iterations) {
    checkArgument(
        iterations >= 0 && iterations <= 50,
        "svdPowerIterations must be in [0, 50], got %s",
        iterations);
    this.svdPowerIterations = iterations;
    return this;
  }

  /** Seed of the randomized SVD (default 42). */
  public PoiFeatureBuilder seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** The collaborative block's weight (0: the block is left out). */
  public double collaborativeWeight() {
    return collaborativeWeight;
  }

  /** How many following check-ins of a session count as co-visits. */
  public int coVisitWindow() {
    return coVisitWindow;
  }

  /** The gap in hours that ends a session for co-visits. */
  public double sessionGapHours() {
    return sessionGapHours;
  }

  /** Width of the collaborative block (the SVD rank). */
  public int svdDimensions() {
    return svdDimensions;
  }

  /**
   * Fits the features.
   *
   * @param dataset the data set whose POI catalogue gives the rows (in index order)
   * @param training the training check-ins (indices into {@code dataset}); any order
   * @return one row per POI of {@code dataset}
   * @throws IllegalArgumentException when every weight is 0, the training list is empty, or a
   *     check-in refers to a user or POI outside the data set
   */
  public PoiFeatures fit(CheckInDataset dataset, List<CheckIn> training) {
    checkNotNull(dataset, "dataset");
    checkNotNull(training, "training");
    checkArgument(!training.isEmpty(), "no training check-ins to fit features on");
    checkArgument(
        categoryWeight + locationWeight + timeWeight + popularityWeight + collaborativeWeight > 0,
        "every block weight is 0: nothing to build");
    int n = dataset.poiCount();
    for (int i = 0; i < training.size(); i++) {
      CheckIn c = training.get(i);
      checkNotNull(c, "training check-in %s is null", i);
      checkArgument(
          c.poi() < n && c.user() < dataset.userCount(),
          "training check-in %s (user %s, POI %s) is outside %s",
          i,
          c.user(),
          c.poi(),
          dataset);
    }
    long start = System.nanoTime();
    List<Block> blocks = new ArrayList<>();
    if (categoryWeight > 0) {
      blocks.add(categoryBlock(dataset));
    }
    if (locationWeight > 0) {
      blocks.add(locationBlock(dataset));
    }
    int[] visits = null;
    if (timeWeight > 0 || popularityWeight > 0) {
      visits = new int[n];
      for (CheckIn c : training) {
        visits[c.poi()]++;
      }
    }
    if (timeWeight > 0) {
      blocks.add(timeBlock(n, training, visits));
    }
    if (popularityWeight > 0) {
      blocks.add(popularityBlock(visits));
    }
    if (collaborativeWeight > 0) {
      blocks.add(collaborativeBlock(dataset, training));
    }

    int width = 0;
    for (Block b : blocks) {
      width += b.width;
    }
    float[] data = new float[Math.multiplyExact(n, width)];
    List<FeatureBlock> layout = new ArrayList<>();
    int offset = 0;
    for (Block b : blocks) {
      for (int p = 0; p < n; p++) {
        // No data for this POI in this block (an all-zero row): zeros.
        FeatureRows.writeNormalized(b.rows[p], b.weight, data, p * width + offset);
      }
      layout.add(new FeatureBlock(b.name, offset, b.width, b.weight, b.detail));
      offset += b.width;
    }
    PoiFeatures features =
        new PoiFeatures(FloatMatrix.wrap(n, width, data), layout, training.size());
    log.debug(
        "fitted {}x{} POI features on {} training check-ins in {} ms",
        n,
        width,
        training.size(),
        (System.nanoTime() - start) / 1_000_000);
    return features;
  }

  /** A block before normalization: raw rows (all-zero rows stay zero). */
  private record Block(String name, double weight, int width, double[][] rows, String detail) {}

  private Block categoryBlock(CheckInDataset dataset) {
    TreeSet<String> distinct = new TreeSet<>();
    for (Poi p : dataset.pois()) {
      distinct.add(p.categoryName());
    }
    List<String> names = List.copyOf(distinct);
    FloatMatrix encoded = categoryEncoder.encode(names);
    checkArgument(
        encoded.rows() == names.size(),
        "category encoder %s returned %s rows for %s names",
        categoryEncoder.description(),
        encoded.rows(),
        names.size());
    int width = encoded.cols();
    double[][] byName = new double[names.size()][width];
    for (int c = 0; c < names.size(); c++) {
      double norm = 0;
      for (int j = 0; j < width; j++) {
        byName[c][j] = encoded.get(c, j);
        norm += byName[c][j] * byName[c][j];
      }
      checkArgument(
          norm > 0,
          "category encoder %s gave a zero vector for category '%s'",
          categoryEncoder.description(),
          names.get(c));
    }
    Map<String, Integer> indexOfName = new HashMap<>();
    for (int c = 0; c < names.size(); c++) {
      indexOfName.put(names.get(c), c);
    }
    double[][] rows = new double[dataset.poiCount()][];
    for (int p = 0; p < rows.length; p++) {
      rows[p] = byName[indexOfName.get(dataset.poi(p).categoryName())];
    }
    return new Block(
        CATEGORY,
        categoryWeight,
        width,
        rows,
        "%s over %d categories".formatted(categoryEncoder.description(), names.size()));
  }

  private Block locationBlock(CheckInDataset dataset) {
    int n = dataset.poiCount();
    double meanLat = 0;
    double meanLon = 0;
    for (Poi p : dataset.pois()) {
      meanLat += p.latitude();
      meanLon += p.longitude();
    }
    meanLat /= n;
    meanLon /= n;
    double varLat = 0;
    double varLon = 0;
    for (Poi p : dataset.pois()) {
      varLat += (p.latitude() - meanLat) * (p.latitude() - meanLat);
      varLon += (p.longitude() - meanLon) * (p.longitude() - meanLon);
    }
    double sdLat = Math.sqrt(varLat / n);
    double sdLon = Math.sqrt(varLon / n);
    FeatureRows.LocationFrame frame =
        FeatureRows.LocationFrame.of(meanLat, meanLon, sdLat, sdLon, locationScalesKm);
    double[] scales = frame.scalesKm();
    int width = frame.width();
    double[][] rows = new double[n][];
    for (int p = 0; p < n; p++) {
      Poi poi = dataset.poi(p);
      rows[p] = frame.row(poi.latitude(), poi.longitude());
    }
    return new Block(
        LOCATION,
        locationWeight,
        width,
        rows,
        "standardized lat/lon as angles + sin/cos codes at %s km (amplitudes halving)"
            .formatted(Arrays.toString(scales)));
  }

  private Block timeBlock(int n, List<CheckIn> training, int[] visits) {
    double[][] rows = new double[n][];
    int[][] counts = new int[n][];
    for (CheckIn c : training) {
      int bin = FeatureRows.timeBin(c.localDayOfWeek(), c.localHour());
      if (counts[c.poi()] == null) {
        counts[c.poi()] = new int[TIME_BINS];
      }
      counts[c.poi()][bin]++;
    }
    for (int p = 0; p < n; p++) {
      rows[p] = FeatureRows.timeRow(counts[p], visits[p]);
    }
    return new Block(
        TIME,
        timeWeight,
        TIME_BINS,
        rows,
        "local hour x {weekday, weekend} histogram, add-one smoothing");
  }

  private Block popularityBlock(int[] visits) {
    int max = 0;
    for (int v : visits) {
      max = Math.max(max, v);
    }
    double[][] rows = new double[visits.length][];
    for (int p = 0; p < visits.length; p++) {
      rows[p] = FeatureRows.popularityRow(visits[p], max);
    }
    return new Block(
        POPULARITY,
        popularityWeight,
        2,
        rows,
        "log(1 + visits) as an angle in [0, pi/2], max %d visits".formatted(max));
  }

  private Block collaborativeBlock(CheckInDataset dataset, List<CheckIn> training) {
    long start = System.nanoTime();
    int n = dataset.poiCount();
    int[] order = byUserThenTime(dataset, training);
    PairCounter pairs = new PairCounter(n);
    long maxGapSeconds = Math.round(sessionGapHours * 3600);
    int sessionStart = 0;
    for (int a = 0; a < order.length; a++) {
      CheckIn c = training.get(order[a]);
      if (a > 0) {
        CheckIn previous = training.get(order[a - 1]);
        if (previous.user() != c.user()
            || c.utcEpochSecond() - previous.utcEpochSecond() > maxGapSeconds) {
          sessionStart = a;
        }
      }
      for (int b = Math.max(sessionStart, a - coVisitWindow); b < a; b++) {
        pairs.add(training.get(order[b]).poi(), c.poi());
      }
    }
    CsrMatrix counts = pairs.toSymmetricCsr();
    log.debug("co-visit counting: {} ms", (System.nanoTime() - start) / 1_000_000);
    List<String> ids = new ArrayList<>(n);
    for (Poi p : dataset.pois()) {
      ids.add(p.id());
    }
    CollaborativeRows rows = collaborative(ids, counts);
    return new Block(COLLABORATIVE, collaborativeWeight, svdDimensions, rows.rows(), rows.detail());
  }

  /**
   * The collaborative block's rows before the per-block normalization (row {@code p} is POI {@code
   * p}'s row of U sqrt(Sigma), all zeros for a POI without co-visits) from co-visit counts counted
   * elsewhere, for example on Spark, with this builder's PPMI and SVD settings: exactly what {@link
   * #fit} computes from the counts it makes itself. The sketch row of each POI is seeded by its id
   * and {@link #seed}, so a POI's row does not depend on the order of the catalogue.
   *
   * @param poiIds the catalogue's POI ids, in the index order of {@code counts}
   * @param counts the co-visit counts, over {@code poiIds.size()} POIs
   * @throws IllegalArgumentException when the sizes differ or an id is null
   */
  public CollaborativeRows collaborativeRows(List<String> poiIds, CoVisitCounts counts) {
    checkNotNull(poiIds, "poiIds");
    checkNotNull(counts, "counts");
    checkArgument(
        poiIds.size() == counts.pois(),
        "%s POI ids for counts over %s POIs",
        poiIds.size(),
        counts.pois());
    return collaborative(poiIds, counts.symmetric());
  }

  /**
   * The raw rows of the collaborative block and its description (for {@link FeatureBlock}).
   *
   * @param rows one row per POI, each {@link #svdDimensions} wide; a fresh array the caller owns
   * @param detail the settings and the PPMI entry count ({@link FeatureBlock#detail})
   */
  public record CollaborativeRows(double[][] rows, String detail) {}

  private CollaborativeRows collaborative(List<String> poiIds, CsrMatrix counts) {
    long start = System.nanoTime();
    int n = counts.size;
    CsrMatrix ppmi = ppmi(counts);
    double[][] rows = new double[n][svdDimensions];
    String detail;
    if (ppmi.nonZeros() == 0) {
      log.warn("no co-visits in the training check-ins: the collaborative block is all zeros");
      detail = "no co-visits in training: zeros";
    } else {
      RandomizedSvd.Result svd =
          RandomizedSvd.compute(
              ppmi, svdDimensions, svdOversampling, svdPowerIterations, rowSeeds(poiIds));
      double[] sigma = svd.singularValues();
      for (int r = 0; r < sigma.length; r++) {
        double s = Math.sqrt(sigma[r]);
        double[] u = svd.leftVectors()[r];
        for (int p = 0; p < n; p++) {
          rows[p][r] = u[p] * s;
        }
      }
      detail =
          "co-visits within %d check-ins and %.0f h sessions, PPMI (alpha %.2f, %d entries),"
                  .formatted(coVisitWindow, sessionGapHours, ppmiContextSmoothing, ppmi.nonZeros())
              + " randomized SVD rank %d (seed %d), sigma[0] %.3f"
                  .formatted(svdDimensions, seed, sigma[0]);
    }
    log.debug(
        "collaborative block: {} PPMI entries, PPMI + SVD {} ms",
        ppmi.nonZeros(),
        (System.nanoTime() - start) / 1_000_000);
    return new CollaborativeRows(rows, detail);
  }

  /** One sketch seed per POI from its id and the builder's seed. */
  private long[] rowSeeds(List<String> poiIds) {
    long[] seeds = new long[poiIds.size()];
    for (int p = 0; p < seeds.length; p++) {
      String id = checkNotNull(poiIds.get(p), "POI id %s is null", p);
      seeds[p] =
          Hashing.farmHashFingerprint64().hashString(id, StandardCharsets.UTF_8).asLong()
              + seed * 0x9E3779B97F4A7C15L;
    }
    return seeds;
  }

  /**
   * Indices of the training list ordered by user, then time, then POI id: the order (and so the
   * co-visit counts) does not depend on the order of the list, nor on how a distributed counter
   * breaks ties.
   */
  private static int[] byUserThenTime(CheckInDataset dataset, List<CheckIn> training) {
    int users = 0;
    for (CheckIn c : training) {
      users = Math.max(users, c.user() + 1);
    }
    int[] start = new int[users + 1];
    for (CheckIn c : training) {
      start[c.user() + 1]++;
    }
    for (int u = 0; u < users; u++) {
      start[u + 1] += start[u];
    }
    int[] fill = Arrays.copyOf(start, users);
    int[] order = new int[training.size()];
    for (int i = 0; i < training.size(); i++) {
      order[fill[training.get(i).user()]++] = i;
    }
    Comparator<Integer> byTimeThenId =
        Comparator.<Integer>comparingLong(i -> training.get(i).utcEpochSecond())
            .thenComparing(i -> dataset.poi(training.get(i).poi()).id());
    for (int u = 0; u < users; u++) {
      sortSegment(order, start[u], start[u + 1], byTimeThenId);
    }
    return order;
  }

  private static void sortSegment(int[] order, int from, int to, Comparator<Integer> comparator) {
    boolean sorted = true;
    for (int i = from + 1; i < to && sorted; i++) {
      sorted = comparator.compare(order[i - 1], order[i]) <= 0;
    }
    if (sorted) {
      return;
    }
    Integer[] segment = new Integer[to - from];
    for (int i = from; i < to; i++) {
      segment[i - from] = order[i];
    }
    Arrays.sort(segment, comparator);
    for (int i = from; i < to; i++) {
      order[i] = segment[i - from];
    }
  }

  /** Positive PMI with a smoothed context distribution; entries <= 0 are dropped. */
  private CsrMatrix ppmi(CsrMatrix counts) {
    int n = counts.size;
    double[] rowSum = new double[n];
    double[] contextPower = new double[n];
    double contextTotal = 0;
    for (int i = 0; i < n; i++) {
      for (int e = counts.rowStart[i]; e < counts.rowStart[i + 1]; e++) {
        rowSum[i] += counts.values[e];
      }
    }
    for (int j = 0; j < n; j++) {
      // The matrix is symmetric: column sums equal row sums.
      contextPower[j] = Math.pow(rowSum[j], ppmiContextSmoothing);
      contextTotal += contextPower[j];
    }
    int[] rowStart = new int[n + 1];
    int[] columns = new int[counts.nonZeros()];
    double[] values = new double[counts.nonZeros()];
    int m = 0;
    for (int i = 0; i < n; i++) {
      rowStart[i] = m;
      for (int e = counts.rowStart[i]; e < counts.rowStart[i + 1]; e++) {
        int j = counts.columns[e];
        double pmi = Math.log(counts.values[e] * contextTotal / (rowSum[i] * contextPower[j]));
        if (pmi > 0) {
          columns[m] = j;
          values[m++] = pmi;
        }
      }
    }
    rowStart[n] = m;
    return new CsrMatrix(n, rowStart, Arrays.copyOf(columns, m), Arrays.copyOf(values, m));
  }
}
