package org.refinepoi.som.backend.nd4j;

import static com.google.common.base.Preconditions.checkState;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.api.ops.impl.transforms.segment.UnsortedSegmentSum;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.backend.BmuResult;
import org.refinepoi.som.backend.DuplicatePrototypes;
import org.refinepoi.som.backend.SeparableGaussianSmoothing;
import org.refinepoi.som.backend.SomSession;
import org.refinepoi.som.backend.UnitSums;
import org.refinepoi.som.train.Neighbourhood;
import org.refinepoi.som.train.NeighbourhoodMatrix;

/**
 * A {@link Nd4jSomBackend} session: the whole batch-map epoch in ND4J ops on the backend's arrays
 * (host memory on {@code nd4j-native}, device memory on {@code nd4j-cuda}). Per chunk of rows:
 * scores {@code ||w||^2 - 2 X W^T} by {@code mmul}, the BMU by {@code argMin}, per-unit sums and
 * counts by {@code unsorted_segment_sum}, added into double accumulators; then the neighbourhood
 * update as matrix products (two small products for a Gaussian on a rectangular lattice, the M × M
 * weights gathered from the lattice's distance classes otherwise). Per-chunk temporaries live in a
 * workspace. Per epoch only the new M × D codebook is copied to the host (the {@link SomSession}
 * API returns it) and a few weights to the device (the per-axis Gaussians, or one weight per
 * distance class); a codebook that this session returned is not uploaded again.
 *
 * <p>One difference from the pure-Java backend's separable path: a unit whose nearest winner lies
 * so far away that every float32 weight to it underflows (beyond about 13 radii) keeps its
 * prototype there, while this path, smoothing in double, moves it to the weighted mean of those far
 * winners.
 */
final class Nd4jSomSession implements SomSession {

  /** Added to a score to take a unit out of an argmin (finite, so sums stay non-NaN). */
  private static final float EXCLUDED = 1e30f;

  private static final WorkspaceConfiguration CHUNK_WORKSPACE =
      WorkspaceConfiguration.builder()
          .initialSize(0)
          .policyLearning(LearningPolicy.FIRST_LOOP)
          .policyAllocation(AllocationPolicy.STRICT)
          .build();

  private final int n;
  private final int d;
  private final String workspaceId = "refinepoi-som-" + System.identityHashCode(this);
  private INDArray x;
  private INDArray xNorms;
  private INDArray onesChunk;

  // The codebook the arrays below were made from (FloatMatrix is immutable, so identity suffices).
  private FloatMatrix current;
  private INDArray w;
  private INDArray wt;
  private INDArray scoreNorms;
  private DuplicatePrototypes duplicates;

  // Distance classes of the last lattice given to the dense lattice-form epoch.
  private LatticeSpec classLattice;
  private INDArray classOfPair;

  Nd4jSomSession(FloatMatrix data) {
    this.n = data.rows();
    this.d = data.cols();
    this.x = Nd4j.create(data.unsafeData(), new long[] {n, d}, 'c');
    this.xNorms = x.mul(x).sum(1).reshape(n, 1);
    this.onesChunk = Nd4j.ones(DataType.FLOAT, Math.min(Nd4jSomBackend.MAX_CHUNK, n), 1);
  }

  @Override
  public long samples() {
    return n;
  }

  @Override
  public int dims() {
    return d;
  }

  private void check(FloatMatrix codebook, boolean withSecond) {
    checkState(x != null, "session is closed");
    SomSession.checkCodebook(codebook, d, withSecond);
  }

  /** Makes the device arrays of a codebook current (no copy when it is the current one). */
  private void use(FloatMatrix codebook) {
    if (codebook == current) {
      return;
    }
    int m = codebook.rows();
    setCodebook(codebook, Nd4j.create(codebook.unsafeData(), new long[] {m, d}, 'c'));
  }

  private void setCodebook(FloatMatrix codebook, INDArray array) {
    int m = codebook.rows();
    duplicates = DuplicatePrototypes.of(codebook);
    w = array;
    wt = w.transpose();
    scoreNorms = w.mul(w).sum(1).reshape(1, m);
    if (duplicates.any()) {
      // Exact ties: only the lowest index of a group of equal prototypes takes part in the argmin.
      float[] penalty = new float[m];
      for (int j = 0; j < m; j++) {
        penalty[j] = duplicates.isCanonical(j) ? 0f : EXCLUDED;
      }
      scoreNorms.addi(Nd4j.create(penalty, new long[] {1, m}, 'c'));
    }
    current = codebook;
  }

  /** The chunk's scores {@code ||w||^2 - 2 x.w}, chunk × M (in the active workspace). */
  private INDArray scores(INDArray xc) {
    return xc.mmul(wt).muli(-2f).addiRowVector(scoreNorms);
  }

  /** What a pass does with one chunk of rows (its arrays live in the chunk workspace). */
  @FunctionalInterface
  private interface ChunkStep {
    /**
     * @param from first row
     * @param to row after the last
     * @param xc the chunk's samples
     * @param scores its scores against the current codebook
     * @param best its BMUs (INT32)
     */
    void accept(int from, int to, INDArray xc, INDArray scores, INDArray best);
  }

  /** One pass over the samples in chunks for M units, each chunk's temporaries in a workspace. */
  @SuppressWarnings("try") // the workspace scope is the resource; its body never names it
  private void forEachChunk(int m, ChunkStep step) {
    int chunk = Nd4jSomBackend.chunkRows(m);
    for (int from = 0; from < n; from += chunk) {
      int to = Math.min(n, from + chunk);
      try (MemoryWorkspace ignored =
          Nd4j.getWorkspaceManager().getAndActivateWorkspace(CHUNK_WORKSPACE, workspaceId)) {
        INDArray xc = x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
        INDArray scores = scores(xc);
        step.accept(from, to, xc, scores, Nd4j.argMin(scores, 1).castTo(DataType.INT32));
      }
    }
  }

  @Override
  public BmuResult bmu(FloatMatrix codebook, boolean withSecond) {
    check(codebook, withSecond);
    use(codebook);
    int m = codebook.rows();
    INDArray best = Nd4j.create(DataType.INT32, n);
    INDArray second = withSecond ? Nd4j.create(DataType.INT32, n) : null;
    INDArray dist = Nd4j.create(DataType.FLOAT, n);
    INDArray columns = Nd4j.arange(0, m).castTo(DataType.FLOAT).reshape(1, m);
    forEachChunk(
        m,
        (from, to, xc, scores, b) -> {
          best.get(NDArrayIndex.interval(from, to)).assign(b);
          // Euclidean distance to the BMU as sqrt(sum (x - w_b)^2) in double (no cancellation).
          INDArray diff =
              xc.castTo(DataType.DOUBLE)
                  .subi(Nd4j.exec(new Gather(w, b, 0))[0].castTo(DataType.DOUBLE));
          dist.get(NDArrayIndex.interval(from, to))
              .assign(Transforms.sqrt(diff.muli(diff).sum(1), false).castTo(DataType.FLOAT));
          if (withSecond) {
            // Take the BMU's column out and search again: argMin keeps the lowest index on ties.
            INDArray isBest =
                Nd4j.zeros(DataType.FLOAT, to - from, m)
                    .addiRowVector(columns)
                    .subiColumnVector(b.castTo(DataType.FLOAT).reshape(to - from, 1))
                    .eq(0.0)
                    .castTo(DataType.FLOAT);
            INDArray s2 = Nd4j.argMin(scores.addi(isBest.muli(EXCLUDED)), 1);
            second.get(NDArrayIndex.interval(from, to)).assign(s2.castTo(DataType.INT32));
          }
        });
    int[] bestHost = best.toIntVector();
    int[] secondHost = withSecond ? second.toIntVector() : null;
    if (withSecond) {
      duplicates.fixSeconds(bestHost, secondHost);
    }
    return new BmuResult(bestHost, dist.toFloatVector(), secondHost);
  }

  /** Per-unit sums (M × D) and counts (M × 1) in double, and the summed squared error (0-d). */
  private record Reduction(INDArray sums, INDArray counts, INDArray squaredError) {}

  private Reduction reduce(int m) {
    INDArray sums = Nd4j.zeros(DataType.DOUBLE, m, d);
    INDArray counts = Nd4j.zeros(DataType.DOUBLE, m, 1);
    INDArray sq = Nd4j.zeros(DataType.DOUBLE, 1, 1);
    forEachChunk(
        m,
        (from, to, xc, scores, b) -> {
          INDArray ones =
              to - from == onesChunk.rows()
                  ? onesChunk
                  : onesChunk.get(NDArrayIndex.interval(0, to - from), NDArrayIndex.all());
          // Sample order within a chunk (the CPU op is sequential), chunks in order: deterministic.
          sums.addi(Nd4j.exec(new UnsortedSegmentSum(xc, b, m))[0].castTo(DataType.DOUBLE));
          counts.addi(Nd4j.exec(new UnsortedSegmentSum(ones, b, m))[0].castTo(DataType.DOUBLE));
          INDArray err =
              scores
                  .min(1)
                  .reshape(to - from, 1)
                  .addi(xNorms.get(NDArrayIndex.interval(from, to), NDArrayIndex.all()));
          sq.addi(Transforms.max(err, 0.0, false).castTo(DataType.DOUBLE).sum().reshape(1, 1));
        });
    return new Reduction(sums, counts, sq);
  }

  @Override
  public UnitSums accumulate(FloatMatrix codebook) {
    check(codebook, false);
    use(codebook);
    int m = codebook.rows();
    Reduction r = reduce(m);
    double[] counts = r.counts().toDoubleVector();
    long[] c = new long[m];
    for (int j = 0; j < m; j++) {
      c[j] = Math.round(counts[j]);
    }
    return new UnitSums(
        m, d, r.sums().dup('c').data().asDouble(), c, r.squaredError().getDouble(0));
  }

  @Override
  public FloatMatrix batchEpoch(FloatMatrix codebook, float[] neighbourhood) {
    check(codebook, false);
    int m = codebook.rows();
    SomSession.checkNeighbourhood(neighbourhood, m);
    use(codebook);
    INDArray h = Nd4j.create(neighbourhood, new long[] {m, m}, 'c');
    return finish(codebook, denseSmooth(reduce(m), h));
  }

  /**
   * Gaussian neighbourhoods on rectangular lattices are smoothed separably (a product along the
   * lattice rows, then one along the columns, double precision); every other neighbourhood and
   * lattice by the M × M weights, gathered on the device from the lattice's distance classes and
   * the epoch's per-class weights (the same floats {@link NeighbourhoodMatrix#weights} gives).
   */
  @Override
  public FloatMatrix batchEpoch(
      FloatMatrix codebook, LatticeSpec lattice, Neighbourhood neighbourhood, double radius) {
    check(codebook, false);
    SomSession.checkLatticeEpoch(codebook, lattice, neighbourhood, radius);
    int m = codebook.rows();
    use(codebook);
    Reduction r = reduce(m);
    INDArray smoothed;
    if (SeparableGaussianSmoothing.applies(lattice, neighbourhood)) {
      smoothed = separableSmooth(r, lattice, radius);
    } else {
      NeighbourhoodMatrix matrix = NeighbourhoodMatrix.cached(lattice);
      if (!lattice.equals(classLattice)) {
        classOfPair = Nd4j.create(matrix.classOfPair(), new long[] {(long) m * m}, DataType.INT32);
        classLattice = lattice;
      }
      INDArray perClass = Nd4j.create(matrix.classWeights(neighbourhood, radius));
      INDArray h = Nd4j.exec(new Gather(perClass, classOfPair, 0))[0].reshape('c', m, m);
      smoothed = denseSmooth(r, h);
    }
    return finish(codebook, smoothed);
  }

  /** {@code [H S | H c]} for dense weights (negative weights count as 0), M × (D + 1). */
  private static INDArray denseSmooth(Reduction r, INDArray h) {
    INDArray a = Nd4j.hstack(r.sums(), r.counts());
    return Transforms.max(h, 0.0, true).castTo(DataType.DOUBLE).mmul(a);
  }

  /** {@code [H S | H c]} for a separable Gaussian: {@code H = G_rows (x) G_cols}, M × (D + 1). */
  private INDArray separableSmooth(Reduction r, LatticeSpec lattice, double radius) {
    int rows = lattice.rows();
    int cols = lattice.cols();
    long width = d + 1L;
    INDArray gx = axis(cols, lattice.toroidal(), radius);
    INDArray gy = axis(rows, lattice.toroidal(), radius);
    INDArray a = Nd4j.hstack(r.sums(), r.counts());
    // Along each lattice row: t[r, c, :] = sum_c' gx[c, c'] a[r, c', :].
    INDArray byCol =
        a.reshape('c', rows, cols, width)
            .permute(1, 0, 2)
            .dup('c')
            .reshape('c', cols, rows * width);
    INDArray along = gx.mmul(byCol);
    // Along each lattice column: u[r, c, :] = sum_r' gy[r, r'] t[r', c, :].
    INDArray byRow =
        along
            .reshape('c', cols, rows, width)
            .permute(1, 0, 2)
            .dup('c')
            .reshape('c', rows, cols * width);
    return gy.mmul(byRow).reshape('c', (long) rows * cols, width);
  }

  private static INDArray axis(int length, boolean torus, double radius) {
    return Nd4j.create(
        SeparableGaussianSmoothing.axisMatrix(length, torus, radius), new long[] {length, length});
  }

  /**
   * {@code w'_j = (H S)_j / (H c)_j}, keeping {@code w_j} where the weight is 0; downloads the
   * result and keeps its arrays as the current codebook.
   */
  private FloatMatrix finish(FloatMatrix codebook, INDArray smoothed) {
    int m = codebook.rows();
    INDArray num = smoothed.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d));
    INDArray den = smoothed.get(NDArrayIndex.all(), NDArrayIndex.interval(d, d + 1)).dup('c');
    INDArray pulled = den.gt(0.0).castTo(DataType.DOUBLE);
    INDArray kept = pulled.rsub(1.0);
    INDArray safe = den.add(kept);
    INDArray next =
        num.divColumnVector(safe)
            .muliColumnVector(pulled)
            .addi(w.castTo(DataType.DOUBLE).muliColumnVector(kept))
            .castTo(DataType.FLOAT)
            .dup('c');
    FloatMatrix out = FloatMatrix.wrap(m, d, next.data().asFloat());
    setCodebook(out, next);
    return out;
  }

  @Override
  public void close() {
    if (x != null) {
      x.close();
      xNorms.close();
      onesChunk.close();
      x = null;
      current = null;
      w = null;
      wt = null;
      scoreNorms = null;
      classOfPair = null;
      var manager = Nd4j.getWorkspaceManager();
      if (manager.checkIfWorkspaceExists(workspaceId)) {
        manager.destroyWorkspace(manager.getWorkspaceForCurrentThread(workspaceId));
      }
    }
  }
}
