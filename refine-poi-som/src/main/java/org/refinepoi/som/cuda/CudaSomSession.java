package org.refinepoi.som.cuda;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.backend.BmuResult;
import org.refinepoi.som.backend.FixedPoint;
import org.refinepoi.som.backend.SomSession;
import org.refinepoi.som.backend.UnitSums;
import org.refinepoi.som.train.Neighbourhood;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link CudaSomBackend} session: the samples on the device (resident, or streamed in
 * double-buffered chunks), codebook-sized buffers resized on demand, and one compute stream. Not
 * thread-safe, like every {@link SomSession}.
 */
public final class CudaSomSession implements SomSession {

  private static final Logger LOG = LoggerFactory.getLogger(CudaSomSession.class);

  /** Device memory kept free for codebook-sized buffers and the driver, besides the samples. */
  private static final long RESERVE_BYTES = 1L << 30;

  private final FloatMatrix data;
  private final int n;
  private final int d;
  private final CudaPrecision precision;
  private final CudaWorkspace ws;
  private final ChunkPlan plan;
  private final int scaleBits;
  private final int multiprocessors;
  private final LaunchConfig qeLaunch;

  // Samples: resident (x) or two chunk buffers with pinned staging and events. The TF32 mode also
  // keeps them rounded to TF32 (xt / xtChunk), made once per session (per chunk when streaming).
  private final DeviceBuffer x;
  private final DeviceBuffer xt;
  private final DeviceBuffer[] xChunk = new DeviceBuffer[2];
  private final DeviceBuffer[] xtChunk = new DeviceBuffer[2];
  private final PinnedHostBuffer[] pinned = new PinnedHostBuffer[2];
  private final CudaStream copyStream;
  private final CudaEvent[] copied = new CudaEvent[2];
  private final CudaEvent[] consumed = new CudaEvent[2];
  private final boolean[] slotUsed = new boolean[2];

  // Per-sample results.
  private final DeviceBuffer bmu;
  private final DeviceBuffer second;
  private final DeviceBuffer dist;
  private final DeviceBuffer partials;
  // The lowest row whose BMU came out of range (never, once checkSamples passed), else NONE.
  private final DeviceBuffer bad;

  // Codebook-sized buffers, (re)allocated when the unit count changes.
  private int units = -1;
  private DeviceBuffer w;
  private DeviceBuffer w2;
  private DeviceBuffer sums;
  private DeviceBuffer counts;
  private DeviceBuffer sc;
  private DeviceBuffer r;
  private DeviceBuffer h;
  private PinnedHostBuffer hStaging;
  // The immutable codebook whose values the device buffer w holds now (skips re-uploads).
  private FloatMatrix deviceCodebook;
  // Distance classes of the last lattice given to the lattice-aware epoch, and their device copy.
  private LatticeDistanceClasses classes;
  private DeviceBuffer classOfPair;
  private DeviceBuffer classWeights;
  private boolean closed;

  CudaSomSession(FloatMatrix data, CudaPrecision precision, int device, long maxDataBytes) {
    this.data = data;
    this.n = data.rows();
    this.d = data.cols();
    this.precision = precision;
    // Refused before any device work: a sample whose distances overflow float32 would leave its
    // BMU at -1 for the accumulation and QE kernels.
    checkRows(data, "sample");
    this.scaleBits = FixedPoint.bits(n, FixedPoint.maxAbs(data.unsafeData()));
    this.ws = new CudaWorkspace(device, true);
    try {
      DeviceInfo info = ws.context.info();
      refuseSpillingKernel(precision, info);
      this.multiprocessors = info.multiprocessors();
      this.qeLaunch = LaunchPlanner.qeTe(n, multiprocessors);
      if (precision.tensorCores()) {
        int shared = LaunchPlanner.mmaSharedBytes(d);
        checkArgument(
            shared <= info.maxSharedPerBlockOptIn(),
            "%s features need %s bytes of shared memory in the %s kernel; %s allows %s: use fp32",
            d,
            shared,
            precision.label(),
            info.name(),
            info.maxSharedPerBlockOptIn());
        ws.kernels.function(precision.kernel(false)).allowDynamicShared(shared);
        ws.kernels.function(precision.kernel(true)).allowDynamicShared(shared);
      }
      this.bmu = ws.allocate(4L * n);
      this.second = ws.allocate(4L * n);
      this.dist = ws.allocate(4L * n);
      this.partials = ws.allocate(3L * Double.BYTES * qeLaunch.gridX());
      this.bad = ws.allocate(4L);
      long budget = Math.min(maxDataBytes, Math.max(0, ws.context.freeMemory() - RESERVE_BYTES));
      // The TF32 copy of the samples takes as much room again.
      this.plan = ChunkPlan.plan(n, d, precision.roundedSamples() ? budget / 2 : budget);
      if (plan.resident()) {
        this.x = ws.allocate(4L * n * d);
        ws.uploadFloats(data.unsafeData(), 0, (long) n * d, x, 0);
        this.xt = precision.roundedSamples() ? ws.allocate(4L * n * d) : null;
        if (xt != null) {
          roundToTf32(x.pointer(), (long) n * d, xt.pointer());
        }
        this.copyStream = null;
      } else {
        this.x = null;
        this.xt = null;
        this.copyStream = ws.own(ws.context.createStream());
        long chunkBytes = 4L * plan.chunkRows() * d;
        for (int i = 0; i < 2; i++) {
          xChunk[i] = ws.allocate(chunkBytes);
          xtChunk[i] = precision.roundedSamples() ? ws.allocate(chunkBytes) : null;
          pinned[i] = ws.own(ws.context.allocatePinned(chunkBytes));
          copied[i] = ws.own(ws.context.createEvent());
          consumed[i] = ws.own(ws.context.createEvent());
        }
      }
      LOG.debug(
          "CUDA SOM session: {} x {} samples on {}, {} ({} chunk rows), {} fixed-point bits",
          n,
          d,
          info,
          plan.resident() ? "resident" : plan.chunks() + " chunks",
          plan.chunkRows(),
          scaleBits);
    } catch (RuntimeException e) {
      ws.close();
      throw e;
    }
  }

  /** Bound on a row's squared norm: scores {@code |w|^2 - 2 x.w} then stay finite in float32. */
  static final double MAX_SQUARED_NORM = 1e37;

  /**
   * Refuses rows (samples or prototypes) whose squared norm exceeds {@link #MAX_SQUARED_NORM}
   * (values around 3e18 and above): their float32 distances could overflow, and a sample whose
   * every score is infinite or NaN has no BMU.
   *
   * @throws IllegalArgumentException naming the first such row
   */
  static void checkRows(FloatMatrix m, String what) {
    int cols = m.cols();
    float[] v = m.unsafeData();
    for (int i = 0; i < m.rows(); i++) {
      double s = 0;
      for (int c = 0; c < cols; c++) {
        double e = v[i * cols + c];
        s += e * e;
      }
      if (!(s <= MAX_SQUARED_NORM)) {
        throw new IllegalArgumentException(
            what
                + " "
                + i
                + ": its squared norm "
                + s
                + " is too large for float32 distances on the GPU (limit "
                + MAX_SQUARED_NORM
                + "); scale the data");
      }
    }
  }

  /**
   * A 3xTF32 epoch kernel that spills (local memory per thread) is refused: it would be slower than
   * the modes it exists to beat. Spills in other modes are logged.
   */
  private void refuseSpillingKernel(CudaPrecision p, DeviceInfo info) {
    CudaFunction f = ws.kernels.function(p.kernel(false));
    int local = f.localBytes();
    if (local == 0) {
      return;
    }
    String what =
        f.name()
            + " uses "
            + local
            + " bytes of local memory per thread ("
            + f.registers()
            + " registers) on "
            + info;
    if (p == CudaPrecision.TF32X3) {
      throw new IllegalStateException(
          "cuda-3xtf32 refused: "
              + what
              + " (register spills); use cuda (TF32 with FP32 re-rank) or cuda-fp32");
    }
    LOG.warn("CUDA SOM kernel spills: {}", what);
  }

  /** Writes {@code count} floats at {@code src} rounded to TF32 to {@code dst} (compute stream). */
  private void roundToTf32(long src, long count, long dst) {
    ws.launch(
        "som_round_tf32",
        LaunchPlanner.gridStride(count, multiprocessors),
        new KernelArgs().pointer(src).i64(count).pointer(dst));
  }

  /** Sentinel of {@link #bad}: every byte 0x7F. */
  private static final int NONE = 0x7F7F7F7F;

  /** After a synchronized pass: fails if a kernel met a BMU out of range. */
  private void checkBad() {
    int[] row = new int[1];
    bad.download(row);
    if (row[0] != NONE) {
      throw new IllegalStateException(
          "sample "
              + row[0]
              + ": no best-matching unit (every distance infinite or NaN in float32); the session"
              + " refused no such sample at open, so the codebook must hold huge or non-finite"
              + " values");
    }
  }

  @Override
  public long samples() {
    return n;
  }

  @Override
  public int dims() {
    return d;
  }

  /** Whether all samples stay on the device (else they stream through in chunks each pass). */
  public boolean resident() {
    return plan.resident();
  }

  /** The device this session runs on. */
  public DeviceInfo device() {
    return ws.context.info();
  }

  private void checkCodebook(FloatMatrix codebook, boolean withSecond) {
    checkState(!closed, "session is closed");
    SomSession.checkCodebook(codebook, d, withSecond);
  }

  private void ensureUnits(int m) {
    if (m == units) {
      return;
    }
    for (AutoCloseable b :
        new AutoCloseable[] {w, w2, sums, counts, sc, r, h, hStaging, classOfPair, classWeights}) {
      ws.release(b);
    }
    h = null;
    hStaging = null;
    classOfPair = null;
    classWeights = null;
    classes = null;
    deviceCodebook = null;
    w = ws.allocate(4L * m * d);
    w2 = ws.allocate(4L * m);
    sums = ws.allocate(8L * m * d);
    counts = ws.allocate(4L * m);
    sc = ws.allocate(4L * m * (d + 1));
    r = ws.allocate(4L * m * (d + 1));
    units = m;
  }

  private void uploadCodebook(FloatMatrix codebook) {
    int m = codebook.rows();
    if (codebook == deviceCodebook && m == units) {
      return; // FloatMatrix is immutable: the device already holds exactly these values
    }
    checkRows(codebook, "prototype");
    ensureUnits(m);
    ws.uploadFloats(codebook.unsafeData(), 0, (long) m * d, w, 0);
    ws.launch(
        "som_row_norms",
        LaunchPlanner.threadPerItem(m),
        new KernelArgs().buffer(w).i32(m).i32(d).buffer(w2));
    deviceCodebook = codebook;
  }

  /** What one pass over the samples computes besides the BMUs. */
  private record Pass(boolean withSecond, boolean accumulate, boolean qe, boolean perSampleDist) {}

  /**
   * One pass over all samples: BMU (and second) per chunk, then optionally the fixed-point
   * accumulation and the QE/TE sums, all on the compute stream. Streams the chunks through the two
   * buffers when the data is not resident.
   */
  private void pass(Pass p, LatticeSpec lattice) {
    int m = units;
    if (p.accumulate()) {
      sums.fillAsync(0, 0, sums.bytes(), ws.stream);
      counts.fillAsync(0, 0, counts.bytes(), ws.stream);
    }
    if (p.qe()) {
      partials.fillAsync(0, 0, partials.bytes(), ws.stream);
    }
    bad.fillAsync(0x7F, 0, bad.bytes(), ws.stream);
    float scale = Math.scalb(1.0f, scaleBits);
    for (int c = 0; c < plan.chunks(); c++) {
      int start = plan.start(c);
      int rows = plan.rows(c, n);
      long xPtr = plan.resident() ? x.pointer(4L * start * d) : stageChunk(c);
      String kernel = precision.kernel(p.withSecond());
      KernelArgs bmuArgs = new KernelArgs();
      if (precision.roundedSamples()) {
        long xtPtr;
        if (plan.resident()) {
          xtPtr = xt.pointer(4L * start * d);
        } else {
          xtPtr = xtChunk[c & 1].pointer();
          roundToTf32(xPtr, (long) rows * d, xtPtr);
        }
        bmuArgs.pointer(xtPtr);
      }
      bmuArgs
          .pointer(xPtr)
          .buffer(w)
          .buffer(w2)
          .i32(rows)
          .i32(m)
          .i32(d)
          .pointer(bmu.pointer(4L * start))
          .nullPointer();
      if (p.withSecond()) {
        bmuArgs.pointer(second.pointer(4L * start));
      }
      ws.launch(kernel, LaunchPlanner.bmu(rows, precision, d), bmuArgs);
      if (p.accumulate()) {
        ws.launch(
            "som_accumulate",
            LaunchPlanner.gridStride((long) rows * d, multiprocessors),
            new KernelArgs()
                .pointer(xPtr)
                .pointer(bmu.pointer(4L * start))
                .i64(rows)
                .i32(d)
                .i32(m)
                .f32(scale)
                .buffer(sums)
                .buffer(counts)
                .i64(start)
                .buffer(bad));
      }
      if (p.qe()) {
        KernelArgs qe =
            new KernelArgs()
                .pointer(xPtr)
                .buffer(w)
                .pointer(bmu.pointer(4L * start))
                .pointer(p.withSecond() ? second.pointer(4L * start) : 0L)
                .i64(rows)
                .i32(d)
                .i32(m);
        if (lattice != null) {
          qe.i32(lattice.rows())
              .i32(lattice.cols())
              .i32(lattice.topology() == LatticeSpec.Topology.HEXAGONAL ? 1 : 0)
              .i32(lattice.toroidal() ? 1 : 0);
        } else {
          qe.i32(0).i32(1).i32(0).i32(0);
        }
        qe.pointer(p.perSampleDist() ? dist.pointer(4L * start) : 0L)
            .buffer(partials)
            .i64(start)
            .buffer(bad);
        ws.launch("som_qe_te", qeLaunch, qe);
      }
      if (!plan.resident()) {
        consumed[c & 1].record(ws.stream);
      }
    }
  }

  /**
   * Copies chunk {@code c} into its device buffer on the copy stream, overlapping the compute
   * stream's work on the other buffer, and makes the compute stream wait for it.
   */
  private long stageChunk(int c) {
    int slot = c & 1;
    int start = plan.start(c);
    int rows = plan.rows(c, n);
    long bytes = 4L * rows * d;
    // The pinned slot was last read by an earlier copy (chunk c-2, or a chunk of the previous
    // pass): wait for that copy before refilling it.
    boolean used = slotUsed[slot];
    if (used) {
      copied[slot].synchronize();
    }
    MemorySegment.copy(
        data.unsafeData(), start * d, pinned[slot].segment(), ValueLayout.JAVA_FLOAT, 0, rows * d);
    // The device slot was last read by the kernels of an earlier chunk (consumed[slot]).
    if (used) {
      copyStream.waitFor(consumed[slot]);
    }
    slotUsed[slot] = true;
    xChunk[slot].uploadAsync(pinned[slot].segment(), bytes, 0, copyStream);
    copied[slot].record(copyStream);
    ws.stream.waitFor(copied[slot]);
    return xChunk[slot].pointer();
  }

  @Override
  public BmuResult bmu(FloatMatrix codebook, boolean withSecond) {
    checkCodebook(codebook, withSecond);
    uploadCodebook(codebook);
    // Poison the outputs (-1 / NaN) so an unwritten entry can never pass for a result.
    bmu.fillAsync(0xFF, 0, bmu.bytes(), ws.stream);
    dist.fillAsync(0xFF, 0, dist.bytes(), ws.stream);
    if (withSecond) {
      second.fillAsync(0xFF, 0, second.bytes(), ws.stream);
    }
    pass(new Pass(withSecond, false, true, true), null);
    int[] best = new int[n];
    float[] distances = new float[n];
    int[] sec = withSecond ? new int[n] : null;
    ws.stream.synchronize();
    checkBad();
    bmu.download(best);
    dist.download(distances);
    if (sec != null) {
      second.download(sec);
    }
    return new BmuResult(best, distances, sec);
  }

  @Override
  public UnitSums accumulate(FloatMatrix codebook) {
    checkCodebook(codebook, false);
    int m = codebook.rows();
    uploadCodebook(codebook);
    pass(new Pass(false, true, true, false), null);
    ws.stream.synchronize();
    checkBad();
    double[] raw = new double[m * d];
    downloadFixedPoint(raw);
    int[] c = new int[m];
    counts.download(c);
    long[] cl = new long[m];
    for (int i = 0; i < m; i++) {
      cl[i] = Integer.toUnsignedLong(c[i]);
    }
    return new UnitSums(m, d, raw, cl, sumPartials()[1]);
  }

  /** Reads the fixed-point sums as doubles. */
  private void downloadFixedPoint(double[] out) {
    long[] fixed = new long[out.length];
    sums.download(fixed);
    double inv = Math.scalb(1.0, -scaleBits);
    for (int i = 0; i < out.length; i++) {
      out[i] = fixed[i] * inv;
    }
  }

  private double[] sumPartials() {
    double[] p = new double[3 * qeLaunch.gridX()];
    partials.download(p);
    double[] total = new double[3];
    for (int b = 0; b < qeLaunch.gridX(); b++) {
      for (int k = 0; k < 3; k++) {
        total[k] += p[3 * b + k];
      }
    }
    return total;
  }

  @Override
  public FloatMatrix batchEpoch(FloatMatrix codebook, float[] neighbourhood) {
    checkCodebook(codebook, false);
    int m = codebook.rows();
    SomSession.checkNeighbourhood(neighbourhood, m);
    uploadCodebook(codebook);
    uploadNeighbourhood(neighbourhood, m);
    return epochOnDevice(m);
  }

  /** Accumulate, smooth with the neighbourhood in {@code h}, and read the new codebook back. */
  private FloatMatrix epochOnDevice(int m) {
    pass(new Pass(false, true, false, false), null);
    smoothOnDevice(m);
    float[] out = new float[m * d];
    ws.stream.synchronize();
    checkBad();
    w.download(out);
    FloatMatrix result = FloatMatrix.wrap(m, d, out);
    deviceCodebook = result;
    return result;
  }

  /**
   * One batch-map epoch whose neighbourhood matrix is built on the device: the same weights as
   * {@code batchEpoch(codebook, new NeighbourhoodMatrix(lattice).weights(neighbourhood, radius))}
   * (one evaluation per distinct lattice distance on the host, expanded to M × M on the device),
   * without building and uploading the M × M floats every epoch. With the codebook the previous
   * epoch returned, nothing but the few per-distance weights crosses the bus before the result.
   */
  public FloatMatrix batchEpoch(
      FloatMatrix codebook, LatticeSpec lattice, Neighbourhood neighbourhood, double radius) {
    checkCodebook(codebook, false);
    SomSession.checkLatticeEpoch(codebook, lattice, neighbourhood, radius);
    int m = codebook.rows();
    uploadCodebook(codebook);
    deviceNeighbourhood(lattice, neighbourhood, radius);
    return epochOnDevice(m);
  }

  private void deviceNeighbourhood(
      LatticeSpec lattice, Neighbourhood neighbourhood, double radius) {
    int m = lattice.size();
    if (classes == null || !classes.lattice().equals(lattice)) {
      ws.release(classOfPair);
      ws.release(classWeights);
      classes = new LatticeDistanceClasses(lattice);
      classOfPair = ws.allocate(4L * m * m);
      classOfPair.upload(classes.classOfPair());
      classWeights = ws.allocate(4L * classes.classes());
    }
    if (h == null) {
      h = ws.allocate(4L * m * m);
      hStaging = ws.own(ws.context.allocatePinned(4L * m * m));
    }
    classWeights.upload(classes.weights(neighbourhood, radius));
    ws.launch(
        "som_gather_weights",
        LaunchPlanner.gridStride((long) m * m, multiprocessors),
        new KernelArgs().buffer(classOfPair).buffer(classWeights).i64((long) m * m).buffer(h));
  }

  private void uploadNeighbourhood(float[] weights, int m) {
    long bytes = 4L * m * m;
    if (h == null) {
      h = ws.allocate(bytes);
      hStaging = ws.own(ws.context.allocatePinned(bytes));
    }
    // The previous epoch's copy out of the staging buffer finished at its synchronize().
    MemorySegment.copy(weights, 0, hStaging.segment(), ValueLayout.JAVA_FLOAT, 0, weights.length);
    h.uploadAsync(hStaging.segment(), bytes, 0, ws.stream);
  }

  /** [S | c] in float, R = H [S | c] by SGEMM, W = R[:, :d] / R[:, d] (kept where 0). */
  private void smoothOnDevice(int m) {
    ws.launch(
        "som_sums_to_float",
        LaunchPlanner.gridStride((long) m * (d + 1), multiprocessors),
        new KernelArgs()
            .buffer(sums)
            .buffer(counts)
            .i32(m)
            .i32(d)
            .f64(Math.scalb(1.0, -scaleBits))
            .buffer(sc));
    // Row-major R (m x (d+1)) = H (m x m) * SC (m x (d+1)) is column-major R^T = SC^T * H^T,
    // and the row-major arrays are exactly those column-major transposes.
    ws.blas.sgemm(
        false, false, d + 1, m, m, 1f, sc.pointer(), d + 1, h.pointer(), m, 0f, r.pointer(), d + 1);
    ws.launch(
        "som_divide_update",
        LaunchPlanner.warpPerItem(m),
        new KernelArgs().buffer(r).i32(m).i32(d).buffer(w).buffer(w2));
  }

  /**
   * Quantization and topographic error of a codebook over all samples, computed on the device: QE
   * is the mean Euclidean distance to the BMU (recomputed exactly as a sum of squared differences),
   * TE the fraction of samples whose two best units are not lattice neighbours.
   *
   * @return {@code {qe, te}}
   */
  public double[] quality(FloatMatrix codebook, LatticeSpec lattice) {
    checkNotNull(lattice, "lattice");
    checkCodebook(codebook, true);
    checkArgument(
        lattice.size() == codebook.rows(),
        "lattice has %s cells, the codebook %s rows",
        lattice.size(),
        codebook.rows());
    uploadCodebook(codebook);
    pass(new Pass(true, false, true, false), lattice);
    ws.stream.synchronize();
    checkBad();
    double[] t = sumPartials();
    return new double[] {t[0] / n, t[2] / n};
  }

  /**
   * Device time of {@code epochs} batch-map epochs (lattice-aware neighbourhood, built on the
   * device), from events around the device work only, in milliseconds per epoch, after one untimed
   * warm-up epoch. Each timed epoch is the whole device side of {@link #batchEpoch(FloatMatrix,
   * LatticeSpec, Neighbourhood, double)}: neighbourhood expansion, BMU search, accumulation, SGEMM
   * and divide. For benchmarks; the codebook keeps evolving across the timed epochs.
   */
  public float deviceMillisPerEpoch(
      FloatMatrix codebook,
      LatticeSpec lattice,
      Neighbourhood neighbourhood,
      double radius,
      int epochs) {
    checkArgument(epochs >= 1, "epochs must be >= 1, got %s", epochs);
    FloatMatrix warm = batchEpoch(codebook, lattice, neighbourhood, radius);
    int m = warm.rows();
    try (CudaEvent start = ws.context.createEvent();
        CudaEvent end = ws.context.createEvent()) {
      start.record(ws.stream);
      for (int e = 0; e < epochs; e++) {
        ws.launch(
            "som_gather_weights",
            LaunchPlanner.gridStride((long) m * m, multiprocessors),
            new KernelArgs().buffer(classOfPair).buffer(classWeights).i64((long) m * m).buffer(h));
        pass(new Pass(false, true, false, false), null);
        smoothOnDevice(m);
      }
      end.record(ws.stream);
      end.synchronize();
      checkBad();
      deviceCodebook = null; // w moved on without a host copy
      return end.millisSince(start) / epochs;
    }
  }

  /**
   * What one kernel of the loaded module uses per thread, as compiled for this device.
   *
   * @param kernel the entry point
   * @param registers registers per thread
   * @param localBytes local memory per thread in bytes (register spills and stack); 0 is the goal
   */
  public record KernelResources(String kernel, int registers, int localBytes) {}

  /** Registers and local memory of every SOM kernel as NVRTC compiled them for this device. */
  public java.util.List<KernelResources> kernelResources() {
    checkState(!closed, "session is closed");
    java.util.List<KernelResources> out = new java.util.ArrayList<>();
    for (String k : KernelSource.SOM_ENTRY_POINTS) {
      CudaFunction f = ws.kernels.function(k);
      out.add(new KernelResources(k, f.registers(), f.localBytes()));
    }
    return java.util.List.copyOf(out);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      ws.close();
    }
  }
}
