package org.refinepoi.rl.policy;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.SplittableRandom;

/**
 * The Plackett-Luce distribution over rankings of a candidate set: the first item is drawn with
 * probability {@code exp(s_i / t) / sum_j exp(s_j / t)}, the next from the remaining items with the
 * same rule, and so on (Plackett 1975, Luce 1959; as a policy-gradient distribution for top-k
 * lists: Oosterhuis, "Computationally efficient optimization of Plackett-Luce ranking models",
 * SIGIR 2021). A ranking's log-probability is the sum of its positions' log-probabilities, exact
 * and cheap, which is what makes it a policy GRPO can train: the per-position terms play the role
 * of tokens. Sampling uses the Gumbel-max trick (sorting {@code s_i / t + Gumbel} draws exactly a
 * Plackett-Luce ranking). Stateless and thread-safe.
 */
public final class PlackettLuce {

  private PlackettLuce() {}

  /**
   * Draws a ranking of {@code k} candidates.
   *
   * @param scores the candidates' scores, finite, non-empty
   * @param k the ranking length, in {@code [1, scores.length]}
   * @param temperature the temperature, finite and {@code > 0}
   * @param random the source of randomness
   * @return positions into {@code scores}, best first
   */
  public static int[] sample(double[] scores, int k, double temperature, SplittableRandom random) {
    check(scores, temperature);
    checkArgument(k >= 1 && k <= scores.length, "k %s outside [1, %s]", k, scores.length);
    checkNotNull(random, "random");
    int n = scores.length;
    double[] keys = new double[n];
    for (int i = 0; i < n; i++) {
      double u = random.nextDouble();
      // Gumbel(0, 1) = -log(-log(U)); U = 0 would give -infinity, so draw from (0, 1)
      while (u == 0.0) {
        u = random.nextDouble();
      }
      keys[i] = scores[i] / temperature - Math.log(-Math.log(u));
    }
    int[] out = new int[k];
    boolean[] taken = new boolean[n];
    for (int p = 0; p < k; p++) {
      int best = -1;
      for (int i = 0; i < n; i++) {
        if (!taken[i] && (best < 0 || keys[i] > keys[best])) {
          best = i;
        }
      }
      taken[best] = true;
      out[p] = best;
    }
    return out;
  }

  /**
   * The log-probability of each position of a ranking: {@code s_{r_p} / t - logsumexp_{j not in
   * r_1..r_{p-1}} s_j / t}.
   *
   * @param scores the candidates' scores
   * @param ranking distinct positions into {@code scores}, best first, non-empty
   * @param temperature the temperature, finite and {@code > 0}
   */
  public static double[] positionLogProbs(double[] scores, int[] ranking, double temperature) {
    check(scores, temperature);
    checkNotNull(ranking, "ranking");
    checkArgument(ranking.length >= 1, "an empty ranking");
    int n = scores.length;
    boolean[] taken = new boolean[n];
    double[] out = new double[ranking.length];
    for (int p = 0; p < ranking.length; p++) {
      int chosen = ranking[p];
      checkArgument(chosen >= 0 && chosen < n && !taken[chosen], "bad ranking position %s", chosen);
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        if (!taken[i]) {
          max = Math.max(max, scores[i] / temperature);
        }
      }
      double sum = 0;
      for (int i = 0; i < n; i++) {
        if (!taken[i]) {
          sum += Math.exp(scores[i] / temperature - max);
        }
      }
      out[p] = scores[chosen] / temperature - max - Math.log(sum);
      taken[chosen] = true;
    }
    return out;
  }

  /** The log-probability of a whole ranking (the sum of {@link #positionLogProbs}). */
  public static double logProb(double[] scores, int[] ranking, double temperature) {
    double sum = 0;
    for (double v : positionLogProbs(scores, ranking, temperature)) {
      sum += v;
    }
    return sum;
  }

  /** The entropy (nats) of the first position's distribution. */
  public static double firstPositionEntropy(double[] scores, double temperature) {
    check(scores, temperature);
    double max = Double.NEGATIVE_INFINITY;
    for (double s : scores) {
      max = Math.max(max, s / temperature);
    }
    double z = 0;
    for (double s : scores) {
      z += Math.exp(s / temperature - max);
    }
    double h = 0;
    for (double s : scores) {
      double logp = s / temperature - max - Math.log(z);
      h -= Math.exp(logp) * logp;
    }
    return h;
  }

  private static void check(double[] scores, double temperature) {
    checkNotNull(scores, "scores");
    checkArgument(scores.length >= 1, "no candidates");
    checkArgument(
        Double.isFinite(temperature) && temperature > 0,
        "temperature must be finite and > 0, got %s",
        temperature);
    for (double s : scores) {
      checkArgument(Double.isFinite(s), "scores must be finite, got %s", s);
    }
  }
}
