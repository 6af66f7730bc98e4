package org.refinepoi.som.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.SomTestMatrices;
import org.refinepoi.som.backend.BmuResult;
import org.refinepoi.som.backend.JavaSomBackend;
import org.refinepoi.som.backend.SomSession;
import org.refinepoi.som.backend.UnitSums;
import org.refinepoi.som.train.Neighbourhood;
import org.refinepoi.som.train.NeighbourhoodMatrix;
import org.refinepoi.som.train.SomQuality;

/**
 * The CUDA backend against the pure-Java reference and an exact (double) oracle, on fresh random
 * data with sizes that are not multiples of the kernels' tiles. Skipped when no GPU answers (CI has
 * none); run on a GPU machine with {@code refine-poi-examples/bench/gpu-bench.sh}.
 *
 * <p>Tolerances: a BMU must equal the exact one whenever the exact gap between the best and the
 * second-best squared distance exceeds {@value #TIE_MARGIN} of the best squared distance (FP32 and
 * 3xTF32) or {@value #TIE_MARGIN_TF32} (TF32); sums are compared at 1e-9 relative (64-bit fixed
 * point), per-sample distances at 1e-5, codebooks after 5 epochs at 1e-4 (relative Frobenius; 3e-3
 * for TF32), QE/TE at 1e-5.
 */
class CudaBackendCorrectnessTest {

  static final double TIE_MARGIN = 1e-4;
  static final double TIE_MARGIN_TF32 = 1e-2;

  private static void assumeGpu(CudaPrecision precision) {
    var a = CudaSomBackend.probe(precision, 0);
    assumeTrue(a.available(), "no CUDA GPU here: " + a.reason());
  }

  static FloatMatrix randomMatrix(SplittableRandom rnd, int rows, int cols) {
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (rnd.nextGaussian() * 2 + (i % cols == 0 ? 3 : 0));
    }
    return FloatMatrix.wrap(rows, cols, v);
  }

  /** Exact squared distances of one sample to every unit, in double. */
  static double[] exact(FloatMatrix x, int i, FloatMatrix w) {
    double[] out = new double[w.rows()];
    float[] xs = x.unsafeData();
    float[] ws = w.unsafeData();
    int d = x.cols();
    for (int u = 0; u < w.rows(); u++) {
      double s = 0;
      for (int k = 0; k < d; k++) {
        double diff = (double) xs[i * d + k] - ws[u * d + k];
        s += diff * diff;
      }
      out[u] = s;
    }
    return out;
  }

  static Arguments[] shapes() {
    return new Arguments[] {
      Arguments.of(1000, 64, 130, CudaPrecision.FP32),
      Arguments.of(3001, 37, 100, CudaPrecision.FP32),
      Arguments.of(777, 5, 2, CudaPrecision.FP32),
      Arguments.of(5000, 64, 256, CudaPrecision.TF32X3),
      Arguments.of(1500, 33, 129, CudaPrecision.TF32X3),
      Arguments.of(2000, 64, 200, CudaPrecision.TF32),
    };
  }

  @ParameterizedTest
  @MethodSource("shapes")
  void bmuMatchesTheExactOracleAwayFromNearTies(int n, int d, int m, CudaPrecision precision) {
    assumeGpu(precision);
    SplittableRandom rnd = new SplittableRandom(n * 31L + d * 7L + m);
    FloatMatrix x = randomMatrix(rnd, n, d);
    FloatMatrix w = randomMatrix(rnd, m, d);
    double margin = precision == CudaPrecision.TF32 ? TIE_MARGIN_TF32 : TIE_MARGIN;
    try (CudaSomSession s = new CudaSomBackend(precision).open(x)) {
      BmuResult r = s.bmu(w, true);
      int checked = 0;
      for (int i = 0; i < n; i++) {
        double[] e = exact(x, i, w);
        int b1 = 0;
        for (int u = 1; u < m; u++) {
          if (e[u] < e[b1]) {
            b1 = u;
          }
        }
        int b2 = -1;
        for (int u = 0; u < m; u++) {
          if (u != b1 && (b2 < 0 || e[u] < e[b2])) {
            b2 = u;
          }
        }
        assertThat(r.best()[i]).isBetween(0, m - 1);
        assertThat(r.second()[i]).isBetween(0, m - 1).isNotEqualTo(r.best()[i]);
        assertThat((double) r.bestDistance()[i])
            .isCloseTo(Math.sqrt(e[r.best()[i]]), within(1e-5 * (1 + Math.sqrt(e[b1]))));
        double scale = Math.max(e[b1], 1e-3 * d);
        if (e[b2] - e[b1] > margin * scale) {
          assertThat(r.best()[i]).as("sample %s", i).isEqualTo(b1);
          checked++;
          int b3 = -1;
          for (int u = 0; u < m; u++) {
            if (u != b1 && u != b2 && (b3 < 0 || e[u] < e[b3])) {
              b3 = u;
            }
          }
          if (b3 < 0 || e[b3] - e[b2] > margin * Math.max(e[b2], 1e-3 * d)) {
            assertThat(r.second()[i]).as("second of sample %s", i).isEqualTo(b2);
          }
        }
      }
      assertThat(checked).as("samples away from near-ties").isGreaterThan(n / 2);
    }
  }

  @Test
  void fp32ScoresAreTheJavaBackendsSoBmusAreEqualAndTf32ReRanksToThem() {
    assumeGpu(CudaPrecision.FP32);
    SplittableRandom rnd = new SplittableRandom(31);
    FloatMatrix x = randomMatrix(rnd, 6000, 64);
    FloatMatrix w = randomMatrix(rnd, 1000, 64);
    BmuResult fp32;
    try (CudaSomSession s = new CudaSomBackend(CudaPrecision.FP32).open(x);
        SomSession j = new JavaSomBackend(2).open(x)) {
      fp32 = s.bmu(w, true);
      BmuResult java = j.bmu(w, true);
      // Same fma chains and the same |w|^2: the same scores, so the same units, ties included.
      assertThat(fp32.best()).containsExactly(java.best());
      assertThat(fp32.second()).containsExactly(java.second());
    }
    assumeGpu(CudaPrecision.TF32);
    try (CudaSomSession s = new CudaSomBackend(CudaPrecision.TF32).open(x)) {
      BmuResult tf32 = s.bmu(w, true);
      for (int i = 0; i < x.rows(); i++) {
        if (tf32.best()[i] == fp32.best()[i]) {
          continue;
        }
        // Only where a third unit is within TF32 error of the best may the re-rank miss.
        double[] e = exact(x, i, w);
        double[] sorted = e.clone();
        java.util.Arrays.sort(sorted);
        assertThat(sorted[2] - sorted[0])
            .as("sample %s differs from FP32 away from a 3-unit near-tie", i)
            .isLessThan(TIE_MARGIN_TF32 * Math.max(sorted[0], 1e-3 * x.cols()));
      }
    }
  }

  @Test
  void samplesWhoseDistancesOverflowAreRefusedBeforeAnyKernel() {
    assumeGpu(CudaPrecision.DEFAULT);
    float[] v = new float[40];
    v[17] = 1e19f;
    FloatMatrix x = FloatMatrix.wrap(10, 4, v);
    assertThatThrownBy(() -> new CudaSomBackend(CudaPrecision.DEFAULT).open(x))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sample 4");
  }

  @Test
  void exactTiesGoToTheLowestIndex() {
    assumeGpu(CudaPrecision.FP32);
    SplittableRandom rnd = new SplittableRandom(11);
    FloatMatrix x = randomMatrix(rnd, 700, 20);
    float[] w = randomMatrix(rnd, 300, 20).toArray();
    // Units 150, 260 and 299 are exact copies of unit 5: whenever the group wins, unit 5 must be
    // the BMU and unit 150 (the next lowest index at the same distance) the second.
    for (int dup : new int[] {150, 260, 299}) {
      System.arraycopy(w, 5 * 20, w, dup * 20, 20);
    }
    FloatMatrix cb = FloatMatrix.wrap(300, 20, w);
    int groupWins = 0;
    for (CudaPrecision p : CudaPrecision.values()) {
      if (!CudaSomBackend.probe(p, 0).available()) {
        continue;
      }
      try (CudaSomSession s = new CudaSomBackend(p).open(x)) {
        BmuResult r = s.bmu(cb, true);
        for (int i = 0; i < x.rows(); i++) {
          assertThat(r.best()[i]).as("%s sample %s", p, i).isNotIn(150, 260, 299);
          if (r.best()[i] == 5) {
            groupWins++;
            assertThat(r.second()[i]).as("%s second of %s", p, i).isEqualTo(150);
          }
        }
      }
    }
    assertThat(groupWins).as("samples won by the duplicated unit").isPositive();
  }

  @ParameterizedTest
  @EnumSource(CudaPrecision.class)
  void sumsCountsAndQuantizationErrorMatchTheirOwnBmus(CudaPrecision precision) {
    assumeGpu(precision);
    SplittableRandom rnd = new SplittableRandom(5);
    int n = 4099;
    int d = 48;
    int m = 140;
    FloatMatrix x = randomMatrix(rnd, n, d);
    FloatMatrix w = randomMatrix(rnd, m, d);
    try (CudaSomSession s = new CudaSomBackend(precision).open(x)) {
      BmuResult r = s.bmu(w, false);
      UnitSums sums = s.accumulate(w);
      double[] refSums = new double[m * d];
      long[] refCounts = new long[m];
      double sq = 0;
      for (int i = 0; i < n; i++) {
        int b = r.best()[i];
        refCounts[b]++;
        for (int k = 0; k < d; k++) {
          refSums[b * d + k] += x.get(i, k);
        }
        sq += exact(x, i, w)[b];
      }
      assertThat(sums.counts()).containsExactly(refCounts);
      for (int i = 0; i < refSums.length; i++) {
        assertThat(sums.sums()[i]).isCloseTo(refSums[i], within(1e-9 * (1 + Math.abs(refSums[i]))));
      }
      assertThat(sums.squaredError()).isCloseTo(sq, within(1e-5 * sq));
    }
  }

  @ParameterizedTest
  @EnumSource(CudaPrecision.class)
  void batchEpochsTrackTheJavaBackend(CudaPrecision precision) {
    assumeGpu(precision);
    SplittableRandom rnd = new SplittableRandom(21);
    LatticeSpec lattice = LatticeSpec.rectangular(9, 11);
    FloatMatrix x = randomMatrix(rnd, 6000, 24);
    FloatMatrix w0 = x.selectRows(rnd.ints(lattice.size(), 0, x.rows()).toArray());
    NeighbourhoodMatrix nm = new NeighbourhoodMatrix(lattice);
    FloatMatrix gpu = w0;
    FloatMatrix cpu = w0;
    try (CudaSomSession s = new CudaSomBackend(precision).open(x);
        SomSession j = new JavaSomBackend(2).open(x)) {
      for (int e = 0; e < 5; e++) {
        float[] h = nm.weights(Neighbourhood.GAUSSIAN, 3.0 - 0.5 * e);
        gpu = s.batchEpoch(gpu, h);
        cpu = j.batchEpoch(cpu, h);
      }
      double tol = precision == CudaPrecision.TF32 ? 3e-3 : 1e-4;
      assertThat(SomTestMatrices.relativeError(gpu, cpu)).isLessThan(tol);
      // QE and TE on the device equal the host's from the same BMUs.
      double[] qt = s.quality(gpu, lattice);
      BmuResult r = s.bmu(gpu, true);
      assertThat(qt[0]).isCloseTo(SomQuality.quantizationError(r), within(1e-5 * qt[0]));
      assertThat(qt[1]).isCloseTo(SomQuality.topographicError(r, lattice), within(1e-9));
      BmuResult rc = j.bmu(cpu, true);
      assertThat(qt[0]).isCloseTo(SomQuality.quantizationError(rc), within(tol * qt[0] * 10));
      // Deterministic: the same epoch twice gives the same bits.
      float[] h = nm.weights(Neighbourhood.GAUSSIAN, 1.0);
      assertThat(s.batchEpoch(gpu, h)).isEqualTo(s.batchEpoch(gpu, h));
    }
  }

  @Test
  void streamingInChunksGivesTheResidentResultBitForBit() {
    assumeGpu(CudaPrecision.FP32);
    SplittableRandom rnd = new SplittableRandom(8);
    LatticeSpec lattice = LatticeSpec.hexagonal(8, 8);
    FloatMatrix x = randomMatrix(rnd, 20_000 + 77, 32);
    FloatMatrix w0 = x.selectRows(rnd.ints(lattice.size(), 0, x.rows()).toArray());
    float[] h = new NeighbourhoodMatrix(lattice).weights(Neighbourhood.GAUSSIAN, 2.0);
    CudaSomBackend backend = new CudaSomBackend(CudaPrecision.FP32);
    try (CudaSomSession resident = backend.open(x);
        // 2 buffers of 2048 rows of 32 floats: 10 chunks, the last one short.
        CudaSomSession streamed = backend.open(x, 2L * 2048 * 32 * 4)) {
      assertThat(resident.resident()).isTrue();
      assertThat(streamed.resident()).isFalse();
      FloatMatrix a = w0;
      FloatMatrix b = w0;
      for (int e = 0; e < 3; e++) {
        a = resident.batchEpoch(a, h);
        b = streamed.batchEpoch(b, h);
      }
      assertThat(b).isEqualTo(a);
      BmuResult ra = resident.bmu(a, true);
      BmuResult rb = streamed.bmu(a, true);
      assertThat(rb.best()).containsExactly(ra.best());
      assertThat(rb.second()).containsExactly(ra.second());
      // QE's double partial sums are grouped per chunk, so only the last bits may differ.
      double[] qa = resident.quality(a, lattice);
      double[] qb = streamed.quality(a, lattice);
      assertThat(qb[0]).isCloseTo(qa[0], within(1e-12 * qa[0]));
      assertThat(qb[1]).isEqualTo(qa[1]);
      assertThat(streamed.accumulate(a).sums()).containsExactly(resident.accumulate(a).sums());
    }
  }

  @Test
  void batchedTreeTrainingMatchesPerChildJavaTraining() {
    assumeGpu(CudaPrecision.FP32);
    SplittableRandom rnd = new SplittableRandom(3);
    int n = 5000;
    int d = 16;
    int parents = 37;
    LatticeSpec child = LatticeSpec.rectangular(4, 4);
    FloatMatrix x = randomMatrix(rnd, n, d);
    int[] parentOf = new int[n];
    for (int i = 0; i < n; i++) {
      // Parent 7 gets no samples: its child must keep the initial codebook.
      int p = rnd.nextInt(parents - 1);
      parentOf[i] = p >= 7 ? p + 1 : p;
    }
    FloatMatrix init = randomMatrix(rnd, parents * child.size(), d);
    NeighbourhoodMatrix nm = new NeighbourhoodMatrix(child);
    List<float[]> hs = new ArrayList<>();
    for (int e = 0; e < 4; e++) {
      hs.add(nm.weights(Neighbourhood.GAUSSIAN, 2.0 - 0.4 * e));
    }
    FloatMatrix gpu;
    try (CudaTreeSession t =
        new CudaSomBackend(CudaPrecision.FP32).openTree(x, parentOf, parents, child)) {
      assertThat(t.childSizes()[7]).isZero();
      gpu = t.train(init, hs);
    }
    int mc = child.size();
    for (int p = 0; p < parents; p++) {
      int[] rows = childRows(parentOf, p);
      int[] unitRows = new int[mc];
      for (int j = 0; j < mc; j++) {
        unitRows[j] = p * mc + j;
      }
      FloatMatrix expected = init.selectRows(unitRows);
      if (rows.length > 0) {
        try (SomSession s = new JavaSomBackend(1).open(x.selectRows(rows))) {
          for (float[] h : hs) {
            expected = s.batchEpoch(expected, h);
          }
        }
      }
      assertThat(SomTestMatrices.relativeError(gpu.selectRows(unitRows), expected))
          .as("child %s", p)
          .isLessThan(1e-4);
    }
  }

  private static int[] childRows(int[] parentOf, int p) {
    return java.util.stream.IntStream.range(0, parentOf.length)
        .filter(i -> parentOf[i] == p)
        .toArray();
  }

  @Test
  void latticeAwareEpochEqualsTheHostMatrixEpochBitForBit() {
    assumeGpu(CudaPrecision.FP32);
    SplittableRandom rnd = new SplittableRandom(13);
    LatticeSpec lattice = new LatticeSpec(6, 10, LatticeSpec.Topology.HEXAGONAL, true);
    FloatMatrix x = randomMatrix(rnd, 3000, 12);
    FloatMatrix w0 = x.selectRows(rnd.ints(lattice.size(), 0, x.rows()).toArray());
    NeighbourhoodMatrix nm = new NeighbourhoodMatrix(lattice);
    try (CudaSomSession s = new CudaSomBackend(CudaPrecision.FP32).open(x)) {
      FloatMatrix a = w0;
      FloatMatrix b = w0;
      for (Neighbourhood kind : Neighbourhood.values()) {
        a = s.batchEpoch(a, nm.weights(kind, 1.7));
        b = s.batchEpoch(b, lattice, kind, 1.7);
        assertThat(b).as("%s", kind).isEqualTo(a);
      }
      assertThat(s.deviceMillisPerEpoch(b, lattice, Neighbourhood.GAUSSIAN, 1.0, 3)).isPositive();
    }
  }
}
