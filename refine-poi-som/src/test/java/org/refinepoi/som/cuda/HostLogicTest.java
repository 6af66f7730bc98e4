package org.refinepoi.som.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.backend.FixedPoint;
import org.refinepoi.som.train.Neighbourhood;
import org.refinepoi.som.train.NeighbourhoodMatrix;

/** Host-side logic of the CUDA backend that needs no GPU: planning, packing, naming, errors. */
class HostLogicTest {

  @Test
  @SuppressWarnings("restricted")
  void kernelArgumentsArePackedAsPointersToNaturallySizedSlots() {
    KernelArgs args =
        new KernelArgs().pointer(0x7f00_1234_5678L).i32(-3).f32(1.5f).i64(1L << 40).nullPointer();
    assertThat(args.size()).isEqualTo(5);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment params = args.pack(arena).reinterpret(5 * ValueLayout.ADDRESS.byteSize());
      assertThat(slot(params, 0, 8).get(ValueLayout.JAVA_LONG, 0)).isEqualTo(0x7f00_1234_5678L);
      assertThat(slot(params, 1, 4).get(ValueLayout.JAVA_INT, 0)).isEqualTo(-3);
      assertThat(slot(params, 2, 4).get(ValueLayout.JAVA_FLOAT, 0)).isEqualTo(1.5f);
      assertThat(slot(params, 3, 8).get(ValueLayout.JAVA_LONG, 0)).isEqualTo(1L << 40);
      assertThat(slot(params, 4, 8).get(ValueLayout.JAVA_LONG, 0)).isZero();
    }
  }

  @SuppressWarnings("restricted")
  private static MemorySegment slot(MemorySegment params, int i, int bytes) {
    MemorySegment p = params.getAtIndex(ValueLayout.ADDRESS, i);
    assertThat(p.address() % bytes).as("slot %s alignment", i).isZero();
    return p.reinterpret(bytes);
  }

  @Test
  void errorMessagesNameTheCallStatusAndDescription() {
    CudaException e =
        new CudaException("cuMemAlloc_v2", 2, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory");
    assertThat(e).hasMessage("cuMemAlloc_v2 failed: 2 CUDA_ERROR_OUT_OF_MEMORY (out of memory)");
    assertThat(e.call()).isEqualTo("cuMemAlloc_v2");
    assertThat(e.status()).isEqualTo(2);
    assertThat(e.statusName()).isEqualTo("CUDA_ERROR_OUT_OF_MEMORY");
    assertThat(new CudaException("cublasSgemm_v2", 7, "CUBLAS_STATUS_INVALID_VALUE", ""))
        .hasMessage("cublasSgemm_v2 failed: 7 CUBLAS_STATUS_INVALID_VALUE");
    assertThat(Cublas.staticStatusName(13)).isEqualTo("CUBLAS_STATUS_EXECUTION_FAILED");
    assertThat(Cublas.staticStatusName(2)).isEqualTo("CUBLAS_STATUS_2");
    assertThat(Cublas.staticStatusName(99)).isEqualTo("CUBLAS_STATUS_99");
  }

  @Test
  void libraryCandidatesTrySonamesThenDirectoriesNewestFirst(@TempDir Path dir) throws IOException {
    for (String f :
        List.of(
            "libnvrtc.so.13",
            "libnvrtc.so.13.0.88",
            "libnvrtc.so.13.1.2",
            "libnvrtc.so.12.4.1",
            "libnvrtc-builtins.so.13.0",
            "libnvrtc.so.130")) {
      Files.createFile(dir.resolve(f));
    }
    List<String> c =
        NativeLibraries.candidates("libnvrtc", List.of("13", "12"), List.of(dir, dir.resolve("x")));
    String d = dir.toAbsolutePath() + "/";
    assertThat(c)
        .containsExactly(
            "libnvrtc.so.13",
            "libnvrtc.so.12",
            d + "libnvrtc.so.13",
            d + "libnvrtc.so.13.1.2",
            d + "libnvrtc.so.13.0.88",
            d + "libnvrtc.so.12.4.1");
  }

  @Test
  void missingLibraryListsEveryAttempt() {
    assertThatThrownBy(
            () -> NativeLibraries.open("libdefinitely-not-here", List.of("7", ""), Arena.global()))
        .isInstanceOf(NativeLibraries.LibraryNotFoundException.class)
        .hasMessageContaining("libdefinitely-not-here.so.7")
        .hasMessageContaining("libdefinitely-not-here.so (");
  }

  @Test
  void searchDirectoriesHonourEnvironment() {
    List<Path> dirs =
        NativeLibraries.searchDirectories(
            java.util.Map.of("REFINEPOI_CUDA_LIBDIR", "/a:/b", "CUDA_HOME", "/opt/cuda"));
    assertThat(dirs)
        .startsWith(Path.of("/a"), Path.of("/b"), Path.of("/opt/cuda/lib64"))
        .contains(Path.of("/usr/local/cuda/lib64"));
  }

  @Test
  void rowsWhoseDistancesWouldOverflowAreRefusedWithTheirIndex() {
    float[] v = {1, 2, 3, 4, 3e18f, 3e18f, 5, 6};
    FloatMatrix m = FloatMatrix.wrap(4, 2, v);
    assertThatThrownBy(() -> CudaSomSession.checkRows(m, "sample"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sample 2")
        .hasMessageContaining("too large for float32 distances");
    // Up to the bound every score |w|^2 - 2 x.w stays finite in float32.
    float big = (float) Math.sqrt(CudaSomSession.MAX_SQUARED_NORM / 2) * 0.999f;
    CudaSomSession.checkRows(FloatMatrix.wrap(1, 2, new float[] {big, big}), "sample");
    double dot = 2.0 * big * big;
    assertThat(Float.isFinite((float) (dot + 2 * dot))).isTrue();
  }

  @Test
  void threeXTf32IsCompiledForOneBlockPerSmOffHopper() {
    assertThat(KernelSource.nvrtcOptions(9, 0)).doesNotContain("-DBMU_MIN_BLOCKS_3XTF32=1");
    assertThat(KernelSource.nvrtcOptions(8, 0)).contains("-DBMU_MIN_BLOCKS_3XTF32=1");
    assertThat(KernelSource.nvrtcOptions(10, 0)).contains("-DBMU_MIN_BLOCKS_3XTF32=1");
    assertThat(KernelSource.SOM_ENTRY_POINTS).contains("som_round_tf32");
  }

  @Test
  void precisionNamesParseAndMapToKernels() {
    assertThat(CudaPrecision.parse("FP32")).isEqualTo(CudaPrecision.FP32);
    assertThat(CudaPrecision.parse(" 3xTF32 ")).isEqualTo(CudaPrecision.TF32X3);
    assertThat(CudaPrecision.TF32.kernel(true)).isEqualTo("som_bmu2_tf32");
    assertThat(CudaPrecision.FP32.kernel(false)).isEqualTo("som_bmu_fp32");
    for (CudaPrecision p : CudaPrecision.values()) {
      assertThat(KernelSource.SOM_ENTRY_POINTS).contains(p.kernel(false), p.kernel(true));
    }
    assertThatThrownBy(() -> CudaPrecision.parse("fp16"))
        .hasMessageContaining("fp32, tf32 or 3xtf32");
    DeviceInfo volta = new DeviceInfo(0, "V100", 7, 0, 80, 16L << 30, 98304, 6 << 20);
    DeviceInfo hopper = new DeviceInfo(0, "H100", 9, 0, 132, 80L << 30, 232448, 50 << 20);
    assertThat(CudaPrecision.TF32.supportedOn(volta)).isFalse();
    assertThat(CudaPrecision.TF32X3.supportedOn(hopper)).isTrue();
    assertThat(hopper.nvrtcArchitectureOption()).isEqualTo("--gpu-architecture=sm_90");
  }

  @Test
  void launchShapesMatchTheKernelSource() {
    LaunchConfig c = LaunchPlanner.bmu(1_000_000, CudaPrecision.FP32, 64);
    assertThat(c.gridX()).isEqualTo(7813);
    assertThat(c.blockX()).isEqualTo(256);
    assertThat(c.sharedBytes()).isZero();
    // d = 64: 128 x 68 sample tile + 128 x 36 prototype chunk + 128 norms + 2 x 2 x 128 x 4 merge
    // words (the TF32 re-rank's four candidates per sample).
    assertThat(LaunchPlanner.mmaSharedBytes(64)).isEqualTo((128 * 68 + 128 * 36 + 128 + 2048) * 4);
    assertThat(LaunchPlanner.mmaSharedBytes(33)).isEqualTo(LaunchPlanner.mmaSharedBytes(64));
    assertThat(LaunchPlanner.bmu(5, CudaPrecision.TF32X3, 64).sharedBytes())
        .isEqualTo(LaunchPlanner.mmaSharedBytes(64));
    assertThat(LaunchPlanner.gridStride(10, 132).gridX()).isEqualTo(1);
    assertThat(LaunchPlanner.gridStride(64_000_000, 132).gridX()).isEqualTo(32 * 132);
    assertThat(LaunchPlanner.warpPerItem(4096).gridX()).isEqualTo(4096 * 32 / 256);
    assertThat(LaunchPlanner.threadPerItem(4096).gridX()).isEqualTo(4096 / 256);
    // 16 x 64 children: 1024 W + 16 norms + 256 H + 4 x (1024 sums + 16 counts) words.
    assertThat(LaunchPlanner.treeSharedBytes(16, 64))
        .isEqualTo((1024 + 16 + 256 + 4 * 1024 + 4 * 16) * 4);
    assertThatThrownBy(() -> new LaunchConfig(1, 70000, 32, 0)).hasMessageContaining("gridY");
  }

  @Property(tries = 300)
  void fixedPointSumsCannotOverflow(
      @ForAll @LongRange(min = 1, max = 4_000_000_000L) long n,
      @ForAll @DoubleRange(min = 0, max = 1e6) double maxAbs) {
    int bits = FixedPoint.bits(n, maxAbs);
    assertThat(bits).isBetween(0, FixedPoint.MAX_BITS);
    // Worst case: every sample has the largest magnitude and lands on one unit.
    assertThat(Math.log(n) / Math.log(2) + Math.log(Math.max(maxAbs, 1e-300)) / Math.log(2) + bits)
        .isLessThan(62.0);
  }

  @Test
  void fixedPointKeepsFloatResolutionForTypicalData() {
    // 10M standard-normal-ish samples (|x| < 8): 62 - 24 - 3 = 35 fractional bits.
    assertThat(FixedPoint.bits(10_000_000, 7.9)).isEqualTo(35);
    assertThat(FixedPoint.bits(1, 0)).isEqualTo(FixedPoint.MAX_BITS);
    assertThatThrownBy(() -> FixedPoint.bits(1L << 40, 3e38)).hasMessageContaining("overflow");
    assertThat(FixedPoint.maxAbs(new float[] {1f, -7.5f, 3f})).isEqualTo(7.5f);
  }

  @Property(tries = 300)
  void chunkPlansCoverEveryRowWithinBudget(
      @ForAll @IntRange(min = 1, max = 20_000_000) int n,
      @ForAll @IntRange(min = 1, max = 1024) int d,
      @ForAll @LongRange(min = 1L << 20, max = 1L << 36) long budget) {
    long rowBytes = 4L * d;
    if (2L * ChunkPlan.ROW_QUANTUM * rowBytes > budget && (long) n * rowBytes > budget) {
      assertThatThrownBy(() -> ChunkPlan.plan(n, d, budget))
          .isInstanceOf(IllegalArgumentException.class);
      return;
    }
    ChunkPlan p = ChunkPlan.plan(n, d, budget);
    if (p.resident()) {
      assertThat((long) n * rowBytes).isLessThanOrEqualTo(budget);
      assertThat(p.chunks()).isEqualTo(1);
      assertThat(p.rows(0, n)).isEqualTo(n);
      return;
    }
    assertThat(2L * p.chunkRows() * rowBytes).isLessThanOrEqualTo(budget);
    assertThat(p.chunkRows() * rowBytes).isLessThanOrEqualTo(ChunkPlan.MAX_CHUNK_BYTES);
    assertThat(p.chunkRows() % ChunkPlan.ROW_QUANTUM).isZero();
    long covered = 0;
    for (int c = 0; c < p.chunks(); c++) {
      assertThat(p.start(c)).isEqualTo(covered);
      assertThat(p.rows(c, n)).isBetween(1, p.chunkRows());
      covered += p.rows(c, n);
    }
    assertThat(covered).isEqualTo(n);
  }

  @Property(tries = 40)
  void deviceNeighbourhoodClassesReproduceTheHostMatrixExactly(
      @ForAll @IntRange(min = 1, max = 9) int halfRows,
      @ForAll @IntRange(min = 1, max = 12) int cols,
      @ForAll boolean hex,
      @ForAll boolean torus,
      @ForAll Neighbourhood kind,
      @ForAll @DoubleRange(min = 0, max = 6) double radius) {
    LatticeSpec lattice =
        new LatticeSpec(
            2 * halfRows,
            cols,
            hex ? LatticeSpec.Topology.HEXAGONAL : LatticeSpec.Topology.RECTANGULAR,
            torus);
    LatticeDistanceClasses classes = new LatticeDistanceClasses(lattice);
    assertThat(classes.expand(classes.weights(kind, radius)))
        .containsExactly(new NeighbourhoodMatrix(lattice).weights(kind, radius));
    assertThat(classes.classes()).isLessThanOrEqualTo(lattice.size() * lattice.size());
  }

  @Test
  void treeSamplesAreGroupedByParentStably() {
    int[] parentOf = {2, 0, 2, 1, 0, 2};
    int[] start = CudaTreeSession.segmentStarts(parentOf, 4);
    assertThat(start).containsExactly(0, 2, 3, 6, 6);
    FloatMatrix x = FloatMatrix.of(6, 2, new float[] {0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5});
    assertThat(CudaTreeSession.groupByParent(x, parentOf, start))
        .containsExactly(1, 1, 4, 4, 3, 3, 0, 0, 2, 2, 5, 5);
    assertThatThrownBy(() -> CudaTreeSession.segmentStarts(new int[] {0, 4}, 4))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("parent of sample 1");
  }
}
