package org.refinepoi.som.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.backend.JavaSomBackend;
import org.refinepoi.som.backend.SomSession;

class TrainingTest {

  static FloatMatrix uniform(int rows, int cols, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[rows * cols];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return FloatMatrix.wrap(rows, cols, v);
  }

  static double squaredDistance(FloatMatrix x, int i, FloatMatrix w, int j) {
    double s = 0;
    for (int c = 0; c < x.cols(); c++) {
      double diff = (double) x.get(i, c) - w.get(j, c);
      s += diff * diff;
    }
    return s;
  }

  /**
   * One Lloyd step in double precision for a given assignment: each unit moves to the mean of the
   * samples assigned to it, and a unit without samples stays where it is.
   */
  static double[] lloydStep(FloatMatrix x, FloatMatrix w, int[] assignment) {
    int d = x.cols();
    int m = w.rows();
    double[] sums = new double[m * d];
    int[] counts = new int[m];
    for (int i = 0; i < x.rows(); i++) {
      counts[assignment[i]]++;
      for (int c = 0; c < d; c++) {
        sums[assignment[i] * d + c] += x.get(i, c);
      }
    }
    double[] out = new double[m * d];
    for (int j = 0; j < m; j++) {
      for (int c = 0; c < d; c++) {
        out[j * d + c] = counts[j] == 0 ? w.get(j, c) : sums[j * d + c] / counts[j];
      }
    }
    return out;
  }

  /**
   * The kernel scores units in float32 as {@code |w|^2 - 2 x.w}, so a sample almost equidistant
   * from two units may go to either (a CI run found one at d = 1). The property therefore takes the
   * kernel's own assignment, checks in double that every sample went to a unit within {@code
   * NEAR_TIE} of its nearest, and then checks the update against the exact mean of that assignment.
   * A wrong BMU is off by far more than NEAR_TIE for these data (squared distances of order
   * 0.01-10).
   */
  private static final double NEAR_TIE = 1e-4;

  @Property(tries = 25)
  void zeroRadiusBatchStepIsOneLloydStep(
      @ForAll @IntRange(min = 5, max = 300) int n,
      @ForAll @IntRange(min = 1, max = 6) int side,
      @ForAll @IntRange(min = 1, max = 20) int d,
      @ForAll long seed) {
    FloatMatrix x = uniform(n, d, seed);
    LatticeSpec lattice = LatticeSpec.rectangular(side, side + 1);
    FloatMatrix w = Initialization.RANDOM_SAMPLES.initialize(x, lattice, seed);
    NeighbourhoodMatrix nm = new NeighbourhoodMatrix(lattice);
    try (SomSession s = new JavaSomBackend(2).open(x)) {
      int[] assignment = s.bmu(w, false).best();
      for (int i = 0; i < n; i++) {
        double nearest = Double.MAX_VALUE;
        for (int j = 0; j < w.rows(); j++) {
          nearest = Math.min(nearest, squaredDistance(x, i, w, j));
        }
        assertThat(squaredDistance(x, i, w, assignment[i]))
            .as("sample %d goes to a nearest unit", i)
            .isLessThanOrEqualTo(nearest + NEAR_TIE);
      }
      double[] expected = lloydStep(x, w, assignment);
      for (Object[] nb :
          new Object[][] {{Neighbourhood.GAUSSIAN, 0.0}, {Neighbourhood.BUBBLE, 0.5}}) {
        float[] h = nm.weights((Neighbourhood) nb[0], (Double) nb[1]);
        float[] got = s.batchEpoch(w, h).unsafeData();
        for (int i = 0; i < got.length; i++) {
          // float32 result of a double mean: within 1e-6 absolute for values in [-1, 1].
          assertThat((double) got[i]).isCloseTo(expected[i], within(1e-6));
        }
      }
    }
  }

  @Test
  void zeroRadiusStepAcceptsANearTieTheFloatKernelResolvesTheOtherWay() {
    // The case that failed against an argmin in double (d = 1, two units almost equidistant).
    zeroRadiusBatchStepIsOneLloydStep(89, 6, 1, -8050);
  }

  @Test
  void schedulesHitTheirEndPoints() {
    for (Decay decay : Decay.values()) {
      Schedule s = new Schedule(decay, 8, 0.5);
      assertThat(s.value(0, 10)).isCloseTo(8, within(1e-12));
      assertThat(s.value(9, 10)).isCloseTo(0.5, within(1e-12));
      for (int t = 1; t < 10; t++) {
        assertThat(s.value(t, 10)).isLessThan(s.value(t - 1, 10));
      }
      assertThat(s.value(0, 1)).isEqualTo(8);
    }
    // Hand values at the midpoint of 3 steps: linear 4.25, exponential 2, asymptotic 8/(1+7.5).
    assertThat(Schedule.linear(8, 0.5).value(1, 3)).isCloseTo(4.25, within(1e-12));
    assertThat(Schedule.exponential(8, 0.5).value(1, 3)).isCloseTo(2, within(1e-12));
    assertThat(Schedule.asymptotic(8, 0.5).value(1, 3)).isCloseTo(8 / 8.5, within(1e-12));
    assertThatThrownBy(() -> Schedule.exponential(1, 0)).hasMessageContaining("> 0");
    assertThatThrownBy(() -> Schedule.linear(1, 0).value(2, 2)).hasMessageContaining("outside");
  }

  @Test
  void neighbourhoodShapes() {
    assertThat(Neighbourhood.GAUSSIAN.weight(4, 2)).isCloseTo(Math.exp(-0.5), within(1e-12));
    assertThat(Neighbourhood.BUBBLE.weight(4, 2)).isEqualTo(1);
    assertThat(Neighbourhood.BUBBLE.weight(4.5, 2)).isEqualTo(0);
    assertThat(Neighbourhood.TRIANGLE.weight(1, 4)).isCloseTo(0.75, within(1e-12));
    assertThat(Neighbourhood.MEXICAN_HAT.weight(0, 1)).isEqualTo(1);
    assertThat(Neighbourhood.MEXICAN_HAT.weight(0.25, 1))
        .isCloseTo(0.75 * Math.exp(-0.125), within(1e-12));
    assertThat(Neighbourhood.MEXICAN_HAT.weight(4, 1)).isEqualTo(0);
    for (Neighbourhood nb : Neighbourhood.values()) {
      assertThat(nb.weight(0, 0)).isEqualTo(1);
      assertThat(nb.weight(1, 0)).isEqualTo(0);
    }
  }

  @Test
  void pcaInitialisationSpansTheLeadingPlane() {
    // Data on a plane: 3*a along e0, 1*b along e1, mean (5, 5, 5, 5).
    SplittableRandom r = new SplittableRandom(3);
    float[] v = new float[2000 * 4];
    for (int i = 0; i < 2000; i++) {
      double a = r.nextDouble() * 2 - 1;
      double b = r.nextDouble() * 2 - 1;
      v[i * 4] = (float) (5 + 3 * a);
      v[i * 4 + 1] = (float) (5 + b);
      v[i * 4 + 2] = 5;
      v[i * 4 + 3] = 5;
    }
    FloatMatrix x = FloatMatrix.wrap(2000, 4, v);
    LatticeSpec lattice = LatticeSpec.rectangular(3, 5);
    FloatMatrix w = Initialization.PCA.initialize(x, lattice, 1);
    // Centre unit (row 1, col 2) at the mean; the 5 columns run along the first component (e0).
    float[] centre = w.row(lattice.cell(1, 2));
    for (float c : centre) {
      assertThat((double) c).isCloseTo(5, within(0.05));
    }
    float[] left = w.row(lattice.cell(1, 0));
    float[] right = w.row(lattice.cell(1, 4));
    double std0 = 3 / Math.sqrt(3);
    assertThat((double) Math.abs(right[0] - left[0])).isCloseTo(2 * std0, within(0.1));
    assertThat(Math.abs(right[1] - left[1])).isLessThan(0.05f);
    float[] top = w.row(lattice.cell(0, 2));
    float[] bottom = w.row(lattice.cell(2, 2));
    assertThat((double) Math.abs(bottom[1] - top[1])).isCloseTo(2 / Math.sqrt(3), within(0.05));
    assertThat(Initialization.PCA.initialize(x, lattice, 1)).isEqualTo(w);
  }

  @Test
  void pcaThroughTheGramMatrixEqualsPcaThroughTheCovariance() {
    // Anisotropic data so the two leading components are well separated.
    SplittableRandom r = new SplittableRandom(4);
    int n = 40;
    int d = 12;
    float[] v = new float[n * d];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextGaussian() * (1 + 3.0 / (1 + i % d)));
    }
    FloatMatrix x = FloatMatrix.wrap(n, d, v);
    LatticeSpec lattice = LatticeSpec.hexagonal(4, 5);
    float[] cov = Initialization.pca(x, lattice, 1, false).unsafeData();
    float[] gram = Initialization.pca(x, lattice, 1, true).unsafeData();
    for (int i = 0; i < cov.length; i++) {
      assertThat((double) gram[i]).isCloseTo(cov[i], within(1e-3));
    }
  }

  @Test
  void randomSampleInitialisationPicksDistinctRows() {
    FloatMatrix x = uniform(50, 3, 1);
    FloatMatrix w = Initialization.RANDOM_SAMPLES.initialize(x, LatticeSpec.rectangular(5, 10), 9);
    java.util.Set<java.util.List<Float>> rows = new java.util.HashSet<>();
    for (int j = 0; j < 50; j++) {
      float[] row = w.row(j);
      rows.add(java.util.List.of(row[0], row[1], row[2]));
    }
    assertThat(rows).hasSize(50);
  }

  @Test
  void batchTrainingIsIndependentOfThreadCount() {
    FloatMatrix x = uniform(7000, 12, 4);
    SomConfig config = SomConfig.builder(LatticeSpec.hexagonal(6, 8)).epochs(6).seed(3).build();
    SomMap one = new SomTrainer(config).train(x, new JavaSomBackend(1));
    SomMap three = new SomTrainer(config).train(x, new JavaSomBackend(3));
    assertThat(three.codebook()).isEqualTo(one.codebook());
  }

  @Test
  void trainingLowersQuantizationErrorForEveryAlgorithmAndNeighbourhood() {
    FloatMatrix x = uniform(800, 5, 8);
    LatticeSpec lattice = new LatticeSpec(6, 6, LatticeSpec.Topology.RECTANGULAR, true);
    for (TrainingAlgorithm algorithm : TrainingAlgorithm.values()) {
      for (Neighbourhood nb : Neighbourhood.values()) {
        SomConfig config =
            SomConfig.builder(lattice)
                .algorithm(algorithm)
                .neighbourhood(nb)
                .epochs(8)
                // Ending below one lattice step, the last epochs refine like k-means, so the
                // map must end below the error of its initial samples.
                .radius(Schedule.linear(3, 0.3))
                .initialization(Initialization.RANDOM_SAMPLES)
                .build();
        SomMap map = new SomTrainer(config).train(x, new JavaSomBackend(2));
        SomMap again = new SomTrainer(config).train(x, new JavaSomBackend(1));
        assertThat(again.codebook())
            .as("%s %s deterministic", algorithm, nb)
            .isEqualTo(map.codebook());
        double before;
        double after;
        try (SomSession s = new JavaSomBackend(1).open(x)) {
          before =
              s.bmu(Initialization.RANDOM_SAMPLES.initialize(x, lattice, 42), false)
                  .quantizationError();
          after = s.bmu(map.codebook(), false).quantizationError();
        }
        assertThat(after).as("%s %s", algorithm, nb).isLessThan(before);
      }
    }
  }

  @Test
  void configValidation() {
    LatticeSpec l = LatticeSpec.rectangular(2, 2);
    assertThatThrownBy(() -> SomConfig.builder(l).epochs(0).build()).hasMessageContaining("epochs");
    assertThatThrownBy(() -> SomConfig.builder(l).learningRate(Schedule.linear(2, 1)).build())
        .hasMessageContaining("learning rate");
    assertThat(SomConfig.builder(LatticeSpec.rectangular(16, 8)).build().radius())
        .isEqualTo(Schedule.linear(8, 1));
  }
}
