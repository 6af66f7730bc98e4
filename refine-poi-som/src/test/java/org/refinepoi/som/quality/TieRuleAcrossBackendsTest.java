package org.refinepoi.som.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.backend.BmuResult;
import org.refinepoi.som.backend.DuplicatePrototypes;
import org.refinepoi.som.backend.SomBackends;
import org.refinepoi.som.backend.SomSession;
import org.refinepoi.som.train.SomQuality;

/**
 * One tie rule for best and second-best units on every backend (see {@code SomBackend}): with equal
 * prototypes spread over the lattice, the topographic error depends on which duplicate is the
 * second-best unit, so every backend and the exact oracle must give the same number.
 */
class TieRuleAcrossBackendsTest {

  /** An 8 × 8 codebook in which far-apart units repeat unit 2's and unit 40's prototypes. */
  static FloatMatrix codebookWithDuplicates(SplittableRandom rnd) {
    int d = 6;
    float[] w = new float[64 * d];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (rnd.nextGaussian() * 3);
    }
    for (int dup : new int[] {5, 27, 60}) {
      System.arraycopy(w, 2 * d, w, dup * d, d);
    }
    for (int dup : new int[] {45, 63}) {
      System.arraycopy(w, 40 * d, w, dup * d, d);
    }
    return FloatMatrix.wrap(64, d, w);
  }

  @Test
  void everyBackendAndTheExactOracleGiveTheSameTopographicError() {
    SplittableRandom rnd = new SplittableRandom(12);
    FloatMatrix w = codebookWithDuplicates(rnd);
    LatticeSpec lattice = LatticeSpec.rectangular(8, 8);
    int n = 3000;
    int d = w.cols();
    float[] x = new float[n * d];
    for (int i = 0; i < n; i++) {
      // A third of the samples sit next to a duplicated prototype (exact ties at the best unit).
      int near = i % 3 == 0 ? 2 : i % 3 == 1 ? 40 : rnd.nextInt(64);
      for (int c = 0; c < d; c++) {
        x[i * d + c] = w.get(near, c) + (float) (rnd.nextGaussian() * 0.05);
      }
    }
    FloatMatrix data = FloatMatrix.wrap(n, d, x);
    double exact = TopographicError.of(data, w, lattice);
    int expectedTies = 0;
    for (String backend : new String[] {"java", "nd4j"}) {
      try (SomSession s = SomBackends.byName(backend).open(data)) {
        BmuResult r = s.bmu(w, true);
        expectedTies = 0;
        for (int i = 0; i < n; i++) {
          assertThat(r.best()[i]).as("%s sample %s", backend, i).isNotIn(5, 27, 60, 45, 63);
          if (r.best()[i] == 2) {
            assertThat(r.second()[i]).as("%s second of %s", backend, i).isEqualTo(5);
            expectedTies++;
          } else if (r.best()[i] == 40) {
            assertThat(r.second()[i]).as("%s second of %s", backend, i).isEqualTo(45);
            expectedTies++;
          }
        }
        assertThat(SomQuality.topographicError(r, lattice)).as(backend).isEqualTo(exact);
      }
    }
    assertThat(expectedTies).isGreaterThan(n / 2);
  }

  @Property(tries = 50)
  void duplicateGroupsAreChainedInIndexOrder(
      @ForAll @IntRange(min = 1, max = 40) int units,
      @ForAll @IntRange(min = 0, max = 5) int seed) {
    SplittableRandom rnd = new SplittableRandom(seed * 1000L + units);
    int d = 3;
    float[] w = new float[units * d];
    for (int j = 0; j < units; j++) {
      // Few distinct rows, so groups form; -0.0 and 0.0 count as equal.
      int kind = rnd.nextInt(4);
      for (int c = 0; c < d; c++) {
        w[j * d + c] = kind == 0 ? (rnd.nextBoolean() ? -0f : 0f) : kind + c;
      }
    }
    FloatMatrix cb = FloatMatrix.wrap(units, d, w);
    DuplicatePrototypes dup = DuplicatePrototypes.of(cb);
    boolean any = false;
    for (int j = 0; j < units; j++) {
      int c = dup.canonical(j);
      assertThat(c).isLessThanOrEqualTo(j);
      for (int k = 0; k < d; k++) {
        assertThat(cb.get(c, k) == cb.get(j, k))
            .as("unit %s equals its canonical %s", j, c)
            .isTrue();
      }
      assertThat(dup.isCanonical(j)).isEqualTo(c == j);
      int next = dup.next(j);
      if (next >= 0) {
        any = true;
        assertThat(next).isGreaterThan(j);
        assertThat(dup.canonical(next)).isEqualTo(c);
        for (int k = j + 1; k < next; k++) {
          assertThat(dup.canonical(k)).isNotEqualTo(c);
        }
      } else {
        for (int k = j + 1; k < units; k++) {
          assertThat(dup.canonical(k)).isNotEqualTo(c);
        }
      }
    }
    assertThat(dup.any()).isEqualTo(any);
  }
}
