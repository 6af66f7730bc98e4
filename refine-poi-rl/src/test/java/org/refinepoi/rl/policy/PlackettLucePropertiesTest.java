package org.refinepoi.rl.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The Plackett-Luce sampler draws each ranking with the probability {@link PlackettLuce#logProb}
 * states, checked against exact enumeration on small candidate sets.
 */
class PlackettLucePropertiesTest {

  @Provide
  Arbitrary<double[]> scores() {
    return Arbitraries.doubles().between(-3, 3).array(double[].class).ofMinSize(2).ofMaxSize(5);
  }

  /** The textbook product formula, written independently of the class under test. */
  static double directProbability(double[] s, int[] ranking, double t) {
    double p = 1;
    boolean[] taken = new boolean[s.length];
    for (int r : ranking) {
      double z = 0;
      for (int j = 0; j < s.length; j++) {
        if (!taken[j]) {
          z += Math.exp(s[j] / t);
        }
      }
      p *= Math.exp(s[r] / t) / z;
      taken[r] = true;
    }
    return p;
  }

  @Property(tries = 200)
  void logProbMatchesTheProductFormulaAndSumsToOne(
      @ForAll("scores") double[] s, @ForAll @IntRange(min = 1, max = 3) int k) {
    int len = Math.min(k, s.length);
    for (double t : new double[] {0.5, 1.0, 2.0}) {
      double total = 0;
      for (int[] r : Rankings.all(s.length, len)) {
        double p = Math.exp(PlackettLuce.logProb(s, r, t));
        assertThat(p).isCloseTo(directProbability(s, r, t), within(1e-12));
        total += p;
      }
      assertThat(total).isCloseTo(1.0, within(1e-9));
    }
  }

  @Property(tries = 20)
  void sampledFrequenciesMatchTheStatedProbabilities(
      @ForAll("scores") double[] s, @ForAll @IntRange(min = 1, max = 2) int k, @ForAll long seed) {
    int len = Math.min(k, s.length);
    int draws = 20_000;
    SplittableRandom random = new SplittableRandom(seed);
    Map<List<Integer>, Integer> counts = new HashMap<>();
    for (int i = 0; i < draws; i++) {
      int[] r = PlackettLuce.sample(s, len, 1.0, random);
      List<Integer> key = new ArrayList<>();
      for (int v : r) {
        key.add(v);
      }
      counts.merge(key, 1, Integer::sum);
    }
    for (int[] r : Rankings.all(s.length, len)) {
      List<Integer> key = new ArrayList<>();
      for (int v : r) {
        key.add(v);
      }
      double p = Math.exp(PlackettLuce.logProb(s, r, 1.0));
      double observed = counts.getOrDefault(key, 0) / (double) draws;
      // five binomial standard deviations: a false alarm about once in 3 million checks
      double tolerance = 5 * Math.sqrt(p * (1 - p) / draws) + 1e-9;
      assertThat(observed).as("ranking %s", key).isCloseTo(p, within(tolerance));
    }
  }

  @Property(tries = 100)
  void aSampledRankingIsDistinctAndOfTheAskedLength(
      @ForAll("scores") double[] s, @ForAll long seed) {
    int[] r = PlackettLuce.sample(s, s.length, 0.7, new SplittableRandom(seed));
    assertThat(r).hasSize(s.length).doesNotHaveDuplicates();
    for (int v : r) {
      assertThat(v).isBetween(0, s.length - 1);
    }
  }

  @Test
  void firstPositionEntropyOfEqualScoresIsLogN() {
    assertThat(PlackettLuce.firstPositionEntropy(new double[] {1, 1, 1, 1}, 1.0))
        .isCloseTo(Math.log(4), within(1e-12));
  }

  @Test
  void badArgumentsAreRefusedWithTheReason() {
    assertThatThrownBy(
            () -> PlackettLuce.sample(new double[] {1, Double.NaN}, 1, 1, new SplittableRandom()))
        .hasMessageContaining("finite");
    assertThatThrownBy(() -> PlackettLuce.sample(new double[] {1, 2}, 3, 1, new SplittableRandom()))
        .hasMessageContaining("outside");
    assertThatThrownBy(
            () -> PlackettLuce.positionLogProbs(new double[] {1, 2}, new int[] {0, 0}, 1))
        .hasMessageContaining("bad ranking position");
    assertThatThrownBy(() -> PlackettLuce.logProb(new double[] {1}, new int[] {0}, 0))
        .hasMessageContaining("temperature");
  }
}
