package org.refinepoi.rl.grpo;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.refinepoi.rl.policy.LossEvaluation;
import org.refinepoi.rl.policy.SequenceLoss;

/**
 * The GRPO loss as a pure function of the current per-token log-probabilities (a {@link
 * SequenceLoss} a policy evaluates). For sequence {@code i}, token {@code t}, with {@code rho =
 * exp(logp - old)}:
 *
 * <pre>
 *   l = -min(rho * A_i, clip(rho, 1 - epsLow, 1 + epsHigh) * A_i) + beta * k3
 *   k3 = exp(ref - logp) - (ref - logp) - 1
 * </pre>
 *
 * aggregated by {@link LossAggregation}. The derivative with respect to {@code logp} is {@code -rho
 * * A} where the unclipped term is the minimum and 0 where the clipped one is (ties count as
 * unclipped), plus {@code beta * (1 - exp(ref - logp))}. A token counts as clipped low when {@code
 * A < 0} and {@code rho < 1 - epsLow}, clipped high when {@code A > 0} and {@code rho > 1 +
 * epsHigh} (the tokens whose surrogate gradient is cut, as TRL counts them).
 *
 * <p><b>Staying finite.</b> The current log-probabilities are checked: a NaN or infinite one (a
 * token the policy scores as impossible) is refused with its sequence and token, rather than
 * silently becoming a zero or infinite gradient. The k3 term is clamped at {@link #MAX_K3} (as verl
 * clamps its low-variance KL), and where it is clamped its gradient is 0: with {@code ref - logp}
 * large, {@code exp(ref - logp)} would otherwise overflow the gradient.
 *
 * <p>Diagnostics (token means): {@code clip_low}, {@code clip_high}, {@code kl} (0 when beta = 0
 * and no reference), {@code ratio}, {@code kl_clamped} (fraction of tokens whose k3 was clamped).
 *
 * <p>Log-probabilities are natural logs. Immutable (the constructor copies its arrays) and
 * thread-safe; {@link #evaluate} allocates its result.
 */
public final class GrpoLoss implements SequenceLoss {

  /** The largest k3 value a token contributes (verl clamps its KL estimators at 10). */
  public static final double MAX_K3 = 10.0;

  private final double[] advantages;
  private final List<double[]> oldLogProbs;
  private final List<double[]> refLogProbs;
  private final double epsLow;
  private final double epsHigh;
  private final double beta;
  private final LossAggregation aggregation;
  private final int maxTokens;
  private final List<boolean[]> counted;

  /**
   * A loss over a batch.
   *
   * @param advantages one per sequence
   * @param oldLogProbs the sampling policy's per-token log-probabilities (natural log, not NaN),
   *     one array per sequence, or null to use the current ones (on-policy: ratio 1, as TRL does
   *     with one update per batch)
   * @param refLogProbs the reference policy's per-token log-probabilities (natural log, not NaN),
   *     one array per sequence; required when {@code beta > 0}, may be null otherwise
   * @param epsLow lower clip range, in [0, 1)
   * @param epsHigh upper clip range, {@code >= 0}
   * @param beta KL coefficient, {@code >= 0}
   * @param aggregation how token losses become one number
   * @param maxTokens the constant of {@link LossAggregation#DR_GRPO}, {@code >= 1}
   * @throws IllegalArgumentException when an advantage is not finite, a log-prob is NaN or
   *     +Infinity, the old/ref lists do not hold one array per sequence, or a parameter is out of
   *     range
   */
  public GrpoLoss(
      double[] advantages,
      List<double[]> oldLogProbs,
      List<double[]> refLogProbs,
      double epsLow,
      double epsHigh,
      double beta,
      LossAggregation aggregation,
      int maxTokens) {
    this(advantages, oldLogProbs, refLogProbs, epsLow, epsHigh, beta, aggregation, maxTokens, null);
  }

  /**
   * A loss over a batch in which some tokens are not counted: tokens a constraint forced (the only
   * allowed token, sampled with probability 1) carry no gradient, and counting them in a mean would
   * only dilute the others. An uncounted token contributes nothing to the loss, the gradient, the
   * diagnostics or any denominator.
   *
   * @param counted per sequence, per token, whether it counts; null = every token counts
   * @see #GrpoLoss(double[], List, List, double, double, double, LossAggregation, int)
   */
  public GrpoLoss(
      double[] advantages,
      List<double[]> oldLogProbs,
      List<double[]> refLogProbs,
      double epsLow,
      double epsHigh,
      double beta,
      LossAggregation aggregation,
      int maxTokens,
      List<boolean[]> counted) {
    if (counted != null) {
      checkArgument(
          counted.size() == advantages.length,
          "%s counted masks for %s sequences",
          counted.size(),
          advantages.length);
      List<boolean[]> copy = new ArrayList<>(counted.size());
      for (boolean[] c : counted) {
        copy.add(checkNotNull(c, "counted mask").clone());
      }
      this.counted = copy;
    } else {
      this.counted = null;
    }
    this.advantages = checkNotNull(advantages, "advantages").clone();
    this.oldLogProbs = oldLogProbs == null ? null : copy(oldLogProbs, advantages.length, "old");
    this.refLogProbs = refLogProbs == null ? null : copy(refLogProbs, advantages.length, "ref");
    checkArgument(epsLow >= 0 && epsLow < 1, "epsLow must be in [0, 1), got %s", epsLow);
    checkArgument(
        epsHigh >= 0 && Double.isFinite(epsHigh), "epsHigh must be >= 0, got %s", epsHigh);
    checkArgument(beta >= 0 && Double.isFinite(beta), "beta must be >= 0, got %s", beta);
    checkArgument(beta == 0 || refLogProbs != null, "beta > 0 needs reference log-probabilities");
    checkArgument(maxTokens >= 1, "maxTokens must be >= 1, got %s", maxTokens);
    for (double a : advantages) {
      checkArgument(Double.isFinite(a), "advantages must be finite, got %s", a);
    }
    this.epsLow = epsLow;
    this.epsHigh = epsHigh;
    this.beta = beta;
    this.aggregation = checkNotNull(aggregation, "aggregation");
    this.maxTokens = maxTokens;
  }

  private static List<double[]> copy(List<double[]> in, int n, String what) {
    checkArgument(in.size() == n, "%s %s log-prob arrays for %s sequences", in.size(), what, n);
    List<double[]> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double[] a = checkNotNull(in.get(i), "%s log-probs of sequence %s", what, i);
      for (int t = 0; t < a.length; t++) {
        // A NaN here would turn the whole loss into NaN without a word; +Infinity is no log-prob.
        checkArgument(
            !Double.isNaN(a[t]) && a[t] != Double.POSITIVE_INFINITY,
            "%s log-prob of sequence %s, token %s is %s",
            what,
            i,
            t,
            a[t]);
      }
      out.add(a.clone());
    }
    return out;
  }

  /**
   * The k3 estimator of KL(policy || reference) at one token: {@code exp(d) - d - 1}, d = ref -
   * logp (unclamped).
   */
  public static double k3(double logp, double refLogp) {
    double d = refLogp - logp;
    return Math.expm1(d) - d;
  }

  @Override
  public LossEvaluation evaluate(List<double[]> logProbs) {
    checkNotNull(logProbs, "logProbs");
    int n = advantages.length;
    checkArgument(logProbs.size() == n, "%s sequences for %s advantages", logProbs.size(), n);
    long totalTokens = 0;
    for (int i = 0; i < n; i++) {
      double[] current = logProbs.get(i);
      int len = current.length;
      checkArgument(len >= 1, "sequence %s has no token", i);
      for (int t = 0; t < len; t++) {
        checkArgument(
            Double.isFinite(current[t]),
            "current log-prob of sequence %s, token %s is %s: the policy scores a token it"
                + " generated as impossible",
            i,
            t,
            current[t]);
      }
      if (oldLogProbs != null) {
        checkArgument(oldLogProbs.get(i).length == len, "old log-probs of %s mis-sized", i);
      }
      if (refLogProbs != null) {
        checkArgument(refLogProbs.get(i).length == len, "ref log-probs of %s mis-sized", i);
      }
      if (counted != null) {
        checkArgument(counted.get(i).length == len, "counted mask of %s mis-sized", i);
      }
      totalTokens += countedIn(i, len);
    }
    long denominator = Math.max(1, totalTokens);
    double loss = 0;
    double clipLow = 0;
    double clipHigh = 0;
    double kl = 0;
    double clamped = 0;
    double ratioSum = 0;
    List<double[]> gradient = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double[] lp = logProbs.get(i);
      double a = advantages[i];
      int countedLength = countedIn(i, lp.length);
      double weight =
          switch (aggregation) {
            case TOKEN_MEAN -> 1.0 / denominator;
            case SEQUENCE_MEAN -> countedLength == 0 ? 0 : 1.0 / ((double) n * countedLength);
            case DR_GRPO -> 1.0 / ((double) n * maxTokens);
          };
      double[] g = new double[lp.length];
      for (int t = 0; t < lp.length; t++) {
        if (counted != null && !counted.get(i)[t]) {
          continue;
        }
        double old = oldLogProbs == null ? lp[t] : oldLogProbs.get(i)[t];
        double rho = Math.exp(lp[t] - old);
        double clipped = Math.min(Math.max(rho, 1 - epsLow), 1 + epsHigh);
        double unclippedTerm = rho * a;
        double clippedTerm = clipped * a;
        double surrogate;
        double dSurrogate;
        if (unclippedTerm <= clippedTerm) {
          surrogate = unclippedTerm;
          dSurrogate = unclippedTerm; // d(rho * A)/dlogp = rho * A
        } else {
          surrogate = clippedTerm;
          dSurrogate = 0;
        }
        double tokenLoss = -surrogate;
        double dLoss = -dSurrogate;
        if (refLogProbs != null) {
          double ref = refLogProbs.get(i)[t];
          double k = k3(lp[t], ref);
          boolean clampedHere = !(k <= MAX_K3); // a -infinite reference gives k = +infinity
          if (clampedHere) {
            k = MAX_K3;
            clamped++;
          }
          kl += k;
          if (beta > 0) {
            tokenLoss += beta * k;
            if (!clampedHere) {
              dLoss += beta * (1 - Math.exp(ref - lp[t]));
            }
          }
        }
        if (a < 0 && rho < 1 - epsLow) {
          clipLow++;
        }
        if (a > 0 && rho > 1 + epsHigh) {
          clipHigh++;
        }
        ratioSum += rho;
        loss += weight * tokenLoss;
        g[t] = weight * dLoss;
      }
      gradient.add(g);
    }
    return new LossEvaluation(
        loss,
        gradient,
        Map.of(
            "clip_low", clipLow / denominator,
            "clip_high", clipHigh / denominator,
            "kl", kl / denominator,
            "kl_clamped", clamped / denominator,
            "ratio", totalTokens == 0 ? 1.0 : ratioSum / denominator));
  }

  private int countedIn(int sequence, int length) {
    if (counted == null) {
      return length;
    }
    int c = 0;
    for (boolean b : counted.get(sequence)) {
      c += b ? 1 : 0;
    }
    return c;
  }
}
