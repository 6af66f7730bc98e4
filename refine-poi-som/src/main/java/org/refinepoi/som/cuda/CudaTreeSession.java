package org.refinepoi.som.cuda;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import java.util.List;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;

/**
 * Batched training of the child maps of a hierarchical SOM on the GPU: the samples are uploaded
 * once, grouped by parent cell, and one kernel launch trains every child for all epochs (one thread
 * block per child; blocks are independent, so epochs need no grid-wide barrier). Every child map
 * has the same lattice and the same neighbourhood schedule, as in the TREE mode of the hierarchical
 * quantizer.
 *
 * <p>Child codebooks are passed and returned stacked: child {@code p}'s unit {@code j} is row
 * {@code p * childUnits + j}.
 */
final class CudaTreeSession implements AutoCloseable {

  private final int n;
  private final int d;
  private final int parents;
  private final int childUnits;
  private final int[] segStart;
  private final CudaWorkspace ws;
  private final DeviceBuffer x;
  private final DeviceBuffer seg;
  private final DeviceBuffer scratch;
  private final int sharedBytes;
  private boolean closed;

  CudaTreeSession(
      FloatMatrix data, int[] parentOf, int parents, LatticeSpec childLattice, int device) {
    checkNotNull(data, "data");
    checkNotNull(parentOf, "parentOf");
    checkNotNull(childLattice, "childLattice");
    this.n = data.rows();
    this.d = data.cols();
    checkArgument(
        parentOf.length == n, "parentOf has %s entries for %s samples", parentOf.length, n);
    checkArgument(parents >= 1, "parents must be >= 1, got %s", parents);
    this.parents = parents;
    CudaSomSession.checkRows(data, "sample");
    this.childUnits = childLattice.size();
    this.segStart = segmentStarts(parentOf, parents);
    this.sharedBytes = LaunchPlanner.treeSharedBytes(childUnits, d);
    float[] grouped = groupByParent(data, parentOf, segStart);
    this.ws = new CudaWorkspace(device, false);
    try {
      DeviceInfo info = ws.context.info();
      checkArgument(
          sharedBytes <= info.maxSharedPerBlockOptIn(),
          "child maps of %s units with %s features need %s bytes of shared memory; %s allows %s",
          childUnits,
          d,
          sharedBytes,
          info.name(),
          info.maxSharedPerBlockOptIn());
      ws.kernels.function("som_tree_train").allowDynamicShared(sharedBytes);
      this.x = ws.allocate(4L * n * d);
      ws.uploadFloats(grouped, 0, (long) n * d, x, 0);
      this.seg = ws.allocate(4L * (parents + 1));
      seg.upload(segStart);
      this.scratch = ws.allocate(4L * n);
    } catch (RuntimeException e) {
      ws.close();
      throw e;
    }
  }

  /**
   * Start offsets of each parent's samples after a stable counting sort by parent ({@code parents +
   * 1} entries; the last is N).
   */
  static int[] segmentStarts(int[] parentOf, int parents) {
    int[] start = new int[parents + 1];
    for (int i = 0; i < parentOf.length; i++) {
      checkElementIndex(parentOf[i], parents, "parent of sample " + i);
      start[parentOf[i] + 1]++;
    }
    for (int p = 0; p < parents; p++) {
      start[p + 1] += start[p];
    }
    return start;
  }

  /** The samples' rows grouped by parent, in sample order within a parent (stable). */
  static float[] groupByParent(FloatMatrix data, int[] parentOf, int[] segStart) {
    int d = data.cols();
    float[] src = data.unsafeData();
    float[] out = new float[src.length];
    int[] next = java.util.Arrays.copyOf(segStart, segStart.length - 1);
    for (int i = 0; i < parentOf.length; i++) {
      System.arraycopy(src, i * d, out, next[parentOf[i]]++ * d, d);
    }
    return out;
  }

  /** Number of samples of each child (its parent cell's share of the data). */
  public int[] childSizes() {
    int[] sizes = new int[parents];
    for (int p = 0; p < parents; p++) {
      sizes[p] = segStart[p + 1] - segStart[p];
    }
    return sizes;
  }

  /**
   * Trains every child map for {@code neighbourhoods.size()} batch-map epochs in one launch.
   *
   * @param initial stacked child codebooks, {@code parents * childUnits} rows × D
   * @param neighbourhoods per epoch, the child lattice's {@code childUnits × childUnits} weights
   *     (row-major, as {@link org.refinepoi.som.train.NeighbourhoodMatrix#weights} gives them)
   * @return the trained stacked codebooks (children without samples keep their initial codebook)
   */
  public FloatMatrix train(FloatMatrix initial, List<float[]> neighbourhoods) {
    checkState(!closed, "tree session is closed");
    checkNotNull(initial, "initial");
    checkNotNull(neighbourhoods, "neighbourhoods");
    checkArgument(
        initial.rows() == parents * childUnits && initial.cols() == d,
        "initial codebooks are %sx%s, expected %sx%s (%s children of %s units)",
        initial.rows(),
        initial.cols(),
        parents * childUnits,
        d,
        parents,
        childUnits);
    int epochs = neighbourhoods.size();
    checkArgument(epochs >= 1, "at least one epoch");
    int mm = childUnits * childUnits;
    float[] h = new float[epochs * mm];
    for (int e = 0; e < epochs; e++) {
      float[] he = checkNotNull(neighbourhoods.get(e), "neighbourhood of epoch %s", e);
      checkArgument(
          he.length == mm, "epoch %s: neighbourhood has %s weights, expected %s", e, he.length, mm);
      for (int i = 0; i < mm; i++) {
        checkArgument(
            Float.isFinite(he[i]), "epoch %s: neighbourhood weight %s is %s", e, i, he[i]);
      }
      System.arraycopy(he, 0, h, e * mm, mm);
    }
    float[] out = new float[parents * childUnits * d];
    try (DeviceBuffer dh = ws.context.allocate(4L * h.length);
        DeviceBuffer dw = ws.context.allocate(4L * out.length)) {
      dh.upload(h);
      dw.upload(initial.unsafeData());
      ws.launch(
          "som_tree_train",
          new LaunchConfig(parents, 1, LaunchPlanner.TREE_THREADS, sharedBytes),
          new KernelArgs()
              .buffer(x)
              .buffer(seg)
              .i32(childUnits)
              .i32(d)
              .i32(epochs)
              .buffer(dh)
              .buffer(dw)
              .buffer(scratch));
      ws.stream.synchronize();
      dw.download(out);
    }
    return FloatMatrix.wrap(parents * childUnits, d, out);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      ws.close();
    }
  }
}
