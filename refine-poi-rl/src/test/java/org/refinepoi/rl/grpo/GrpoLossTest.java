package org.refinepoi.rl.grpo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.refinepoi.rl.policy.LossEvaluation;

/** The GRPO loss against values computed by hand (tolerance 1e-9). */
class GrpoLossTest {

  static final double TOL = 1e-9;
  static final double L5 = Math.log(0.5);

  private static GrpoLoss loss(
      double[] adv, List<double[]> old, double epsHigh, LossAggregation agg) {
    return new GrpoLoss(adv, old, null, 0.2, epsHigh, 0, agg, 4);
  }

  @Test
  void positiveAdvantageClipsHighAndKeepsTheLowSideGradient() {
    // ratios 1.4 and 0.6 against old 0.5 / 0.5
    LossEvaluation e =
        loss(new double[] {1}, List.of(new double[] {L5, L5}), 0.2, LossAggregation.TOKEN_MEAN)
            .evaluate(List.of(new double[] {Math.log(0.7), Math.log(0.3)}));
    // token 1: min(1.4, 1.2) = 1.2 (clipped, no gradient); token 2: min(0.6, 0.8) = 0.6
    assertThat(e.loss()).isCloseTo((-1.2 - 0.6) / 2, within(TOL));
    assertThat(e.gradient(0)).containsExactly(new double[] {0, -0.6 / 2}, within(TOL));
    assertThat(e.diagnostics().get("clip_high")).isCloseTo(0.5, within(TOL));
    assertThat(e.diagnostics().get("clip_low")).isZero();
    assertThat(e.diagnostics().get("ratio")).isCloseTo(1.0, within(TOL));
  }

  @Test
  void negativeAdvantageClipsLowAndKeepsTheHighSideGradient() {
    LossEvaluation e =
        loss(new double[] {-1}, List.of(new double[] {L5, L5}), 0.2, LossAggregation.TOKEN_MEAN)
            .evaluate(List.of(new double[] {Math.log(0.7), Math.log(0.3)}));
    // token 1: min(-1.4, -1.2) = -1.4 (unclipped, gradient -rho*A = 1.4); token 2: min(-0.6,
    // -0.8) = -0.8 (clipped)
    assertThat(e.loss()).isCloseTo((1.4 + 0.8) / 2, within(TOL));
    assertThat(e.gradient(0)).containsExactly(new double[] {1.4 / 2, 0}, within(TOL));
    assertThat(e.diagnostics().get("clip_low")).isCloseTo(0.5, within(TOL));
    assertThat(e.diagnostics().get("clip_high")).isZero();
  }

  @Test
  void asymmetricClipRangeLetsTheRatioGrowFurther() {
    LossEvaluation e =
        loss(new double[] {1}, List.of(new double[] {L5}), 0.5, LossAggregation.TOKEN_MEAN)
            .evaluate(List.of(new double[] {Math.log(0.7)}));
    assertThat(e.loss()).isCloseTo(-1.4, within(TOL));
    assertThat(e.gradient(0)[0]).isCloseTo(-1.4, within(TOL));
    assertThat(e.diagnostics().get("clip_high")).isZero();
  }

  @Test
  void theThreeAggregations() {
    // sequence 1: A = 1, ratios 1.4 / 0.6 -> token losses -1.2, -0.6, gradients 0, -0.6
    // sequence 2: A = -1, ratio 1.4 -> token loss 1.4, gradient 1.4
    double[] adv = {1, -1};
    List<double[]> old = List.of(new double[] {L5, L5}, new double[] {L5});
    List<double[]> current =
        List.of(new double[] {Math.log(0.7), Math.log(0.3)}, new double[] {Math.log(0.7)});
    LossEvaluation token = loss(adv, old, 0.2, LossAggregation.TOKEN_MEAN).evaluate(current);
    assertThat(token.loss()).isCloseTo((-1.2 - 0.6 + 1.4) / 3, within(TOL));
    assertThat(token.gradient(0)).containsExactly(new double[] {0, -0.6 / 3}, within(TOL));
    assertThat(token.gradient(1)).containsExactly(new double[] {1.4 / 3}, within(TOL));
    LossEvaluation seq = loss(adv, old, 0.2, LossAggregation.SEQUENCE_MEAN).evaluate(current);
    assertThat(seq.loss()).isCloseTo(((-1.2 - 0.6) / 2 + 1.4) / 2, within(TOL));
    assertThat(seq.gradient(0)).containsExactly(new double[] {0, -0.6 / 4}, within(TOL));
    assertThat(seq.gradient(1)).containsExactly(new double[] {1.4 / 2}, within(TOL));
    LossEvaluation dr = loss(adv, old, 0.2, LossAggregation.DR_GRPO).evaluate(current);
    assertThat(dr.loss()).isCloseTo((-1.2 - 0.6 + 1.4) / (2 * 4), within(TOL));
    assertThat(dr.gradient(0)).containsExactly(new double[] {0, -0.6 / 8}, within(TOL));
    assertThat(dr.gradient(1)).containsExactly(new double[] {1.4 / 8}, within(TOL));
  }

  @Test
  void onPolicyRatioIsOneAndTheGradientIsMinusTheAdvantage() {
    LossEvaluation e =
        new GrpoLoss(new double[] {0.5}, null, null, 0.2, 0.2, 0, LossAggregation.TOKEN_MEAN, 4)
            .evaluate(List.of(new double[] {Math.log(0.3), Math.log(0.9)}));
    assertThat(e.loss()).isCloseTo(-0.5, within(TOL));
    assertThat(e.gradient(0)).containsExactly(new double[] {-0.25, -0.25}, within(TOL));
  }

  @Test
  void k3KlByHand() {
    // logp = log 0.5, ref = log 0.25: d = log 0.5; k3 = 0.5 - log 0.5 - 1
    double expected = 0.5 - Math.log(0.5) - 1;
    assertThat(GrpoLoss.k3(L5, Math.log(0.25))).isCloseTo(expected, within(TOL));
    assertThat(GrpoLoss.k3(-1.3, -1.3)).isZero();
    LossEvaluation e =
        new GrpoLoss(
                new double[] {0},
                null,
                List.of(new double[] {Math.log(0.25)}),
                0.2,
                0.2,
                0.1,
                LossAggregation.TOKEN_MEAN,
                4)
            .evaluate(List.of(new double[] {L5}));
    assertThat(e.loss()).isCloseTo(0.1 * expected, within(TOL));
    // d k3 / d logp = 1 - exp(ref - logp) = 1 - 0.5
    assertThat(e.gradient(0)[0]).isCloseTo(0.1 * 0.5, within(TOL));
    assertThat(e.diagnostics().get("kl")).isCloseTo(expected, within(TOL));
  }

  @Test
  void gradientMatchesFiniteDifferencesAwayFromTheKinks() {
    SplittableRandom r = new SplittableRandom(7);
    double[] adv = {0.8, -1.3, 0.4};
    List<double[]> old = List.of(new double[] {-1, -2}, new double[] {-0.5}, new double[] {-3});
    List<double[]> ref = List.of(new double[] {-1.2, -1.7}, new double[] {-0.4}, new double[] {-2});
    for (LossAggregation agg : LossAggregation.values()) {
      GrpoLoss loss = new GrpoLoss(adv, old, ref, 0.2, 0.28, 0.05, agg, 5);
      List<double[]> lp =
          List.of(
              new double[] {-1 + 0.05 * r.nextDouble(), -2 - 0.05 * r.nextDouble()},
              new double[] {-0.5 + 0.05 * r.nextDouble()},
              new double[] {-3 - 0.05 * r.nextDouble()});
      LossEvaluation e = loss.evaluate(lp);
      double h = 1e-6;
      for (int i = 0; i < lp.size(); i++) {
        for (int t = 0; t < lp.get(i).length; t++) {
          double keep = lp.get(i)[t];
          lp.get(i)[t] = keep + h;
          double up = loss.evaluate(lp).loss();
          lp.get(i)[t] = keep - h;
          double down = loss.evaluate(lp).loss();
          lp.get(i)[t] = keep;
          assertThat(e.gradient(i)[t])
              .as(agg + " " + i + "," + t)
              .isCloseTo((up - down) / (2 * h), within(1e-7));
        }
      }
    }
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(
            () ->
                new GrpoLoss(
                    new double[] {1}, null, null, 0.2, 0.2, 0.1, LossAggregation.TOKEN_MEAN, 4))
        .hasMessageContaining("reference");
    assertThatThrownBy(
            () ->
                new GrpoLoss(
                    new double[] {Double.NaN}, null, null, 0.2, 0.2, 0, LossAggregation.DR_GRPO, 4))
        .hasMessageContaining("finite");
    assertThatThrownBy(
            () ->
                new GrpoLoss(
                    new double[] {1, -1},
                    List.of(new double[] {-0.5}, new double[] {-0.1, Double.NaN}),
                    null,
                    0.2,
                    0.2,
                    0,
                    LossAggregation.DR_GRPO,
                    4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("old log-prob of sequence 1, token 1 is NaN");
    assertThatThrownBy(
            () ->
                new GrpoLoss(
                    new double[] {1},
                    null,
                    List.of(new double[] {Double.NaN}),
                    0.2,
                    0.2,
                    0.1,
                    LossAggregation.DR_GRPO,
                    4))
        .hasMessage("ref log-prob of sequence 0, token 0 is NaN");
    GrpoLoss ok =
        new GrpoLoss(new double[] {1}, null, null, 0.2, 0.2, 0, LossAggregation.DR_GRPO, 4);
    assertThatThrownBy(() -> ok.evaluate(List.of(new double[0], new double[1])))
        .hasMessageContaining("sequences");
  }

  @Test
  void forcedTokensLeaveTheLossAndItsDenominator() {
    // two sequences; sequence 0's middle token was forced (uncounted)
    List<double[]> lp = List.of(new double[] {-1, 0, -2}, new double[] {-0.5});
    double[] adv = {1.0, -1.0};
    GrpoLoss masked =
        new GrpoLoss(
            adv,
            null,
            null,
            0.2,
            0.2,
            0,
            LossAggregation.TOKEN_MEAN,
            4,
            List.of(new boolean[] {true, false, true}, new boolean[] {true}));
    LossEvaluation e = masked.evaluate(lp);
    // on-policy ratio 1: token loss = -A; token mean over the 3 counted tokens
    assertThat(e.loss()).isCloseTo((-1 - 1 + 1) / 3.0, within(1e-12));
    assertThat(e.gradient(0)).containsExactly(-1 / 3.0, 0, -1 / 3.0);
    assertThat(e.gradient(1)).containsExactly(1 / 3.0);
    // the same batch without the mask divides by 4 tokens
    GrpoLoss plain = new GrpoLoss(adv, null, null, 0.2, 0.2, 0, LossAggregation.TOKEN_MEAN, 4);
    assertThat(plain.evaluate(lp).gradient(1)).containsExactly(1 / 4.0);
    assertThatThrownBy(
            () ->
                new GrpoLoss(
                        adv,
                        null,
                        null,
                        0.2,
                        0.2,
                        0,
                        LossAggregation.TOKEN_MEAN,
                        4,
                        List.of(new boolean[] {true}, new boolean[] {true}))
                    .evaluate(lp))
        .hasMessageContaining("counted mask of 0 mis-sized");
  }

  @Test
  void aNonFiniteCurrentLogProbIsRefusedAndK3IsClampedWithoutGradient() {
    GrpoLoss loss =
        new GrpoLoss(
            new double[] {1},
            null,
            List.of(new double[] {-40}),
            0.2,
            0.2,
            0.1,
            LossAggregation.TOKEN_MEAN,
            4);
    assertThatThrownBy(() -> loss.evaluate(List.of(new double[] {Double.NEGATIVE_INFINITY})))
        .hasMessageContaining("token 0 is -Infinity");
    // ref - logp = 39: exp(39) would dominate; the clamp holds the KL at 10 and its gradient at 0
    LossEvaluation e = loss.evaluate(List.of(new double[] {-79}));
    assertThat(e.diagnostics().get("kl")).isEqualTo(GrpoLoss.MAX_K3);
    assertThat(e.diagnostics().get("kl_clamped")).isEqualTo(1.0);
    assertThat(e.gradient(0)).containsExactly(-1.0);
  }
}
