package org.refinepoi.rl.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.refinepoi.rl.policy.TabularSoftmaxPolicy.Context;
import org.refinepoi.rl.policy.TabularSoftmaxPolicy.Optimizer;

class TabularSoftmaxPolicyTest {

  static final double TOL = 1e-12;
  static final TokenSequence PROMPT = TokenSequence.of(7);

  /** The negative log-likelihood: gradient coefficient -1 on every token. */
  static final SequenceLoss SUM_LOGP =
      logProbs ->
          new LossEvaluation(
              -logProbs.stream().flatMapToDouble(java.util.Arrays::stream).sum(),
              logProbs.stream().map(a -> minusOnes(a.length)).toList(),
              Map.of());

  static double[] minusOnes(int n) {
    double[] a = new double[n];
    java.util.Arrays.fill(a, -1);
    return a;
  }

  @Test
  void sgdStepFollowsTheHandWrittenGradient() {
    // uniform over 4 tokens at temperature 2: d logp(a) / d z_j = (1[j = a] - 1/4) / 2, and the
    // loss is -logp(a)
    TabularSoftmaxPolicy p = new TabularSoftmaxPolicy(4, 3, Context.POSITION, Optimizer.SGD);
    Continuation c = new Continuation(PROMPT, TokenSequence.of(1));
    UpdateResult r =
        p.update(
            new UpdateRequest(
                List.of(c), 2.0, TokenConstraint.none(), SUM_LOGP, 1.0, Double.POSITIVE_INFINITY));
    double[] g = {0.125, -0.375, 0.125, 0.125};
    assertThat(r.gradNorm()).isCloseTo(Math.sqrt(0.375 * 0.375 + 3 * 0.125 * 0.125), within(TOL));
    // SGD minimizes: z = -lr * g
    double[] z = p.logits(PROMPT, 0);
    for (int j = 0; j < 4; j++) {
      assertThat(z[j]).isCloseTo(-g[j], within(TOL));
    }
    assertThat(r.evaluation().loss()).isCloseTo(-Math.log(0.25), within(TOL));
    assertThat(r.meanEntropy().getAsDouble()).isCloseTo(Math.log(4), within(TOL));
  }

  @Test
  void clippingScalesTheStepToTheMaximumNorm() {
    TabularSoftmaxPolicy p = new TabularSoftmaxPolicy(4, 3, Context.POSITION, Optimizer.SGD);
    Continuation c = new Continuation(PROMPT, TokenSequence.of(1));
    UpdateResult r =
        p.update(new UpdateRequest(List.of(c), 1.0, TokenConstraint.none(), SUM_LOGP, 1.0, 0.1));
    double norm = 0;
    for (double v : p.logits(PROMPT, 0)) {
      norm += v * v;
    }
    assertThat(r.clipped(0.1)).isTrue();
    assertThat(Math.sqrt(norm)).isCloseTo(0.1, within(TOL));
  }

  @Test
  void constrainedGradientTouchesOnlyAllowedTokens() {
    TabularSoftmaxPolicy p = new TabularSoftmaxPolicy(4, 3, Context.POSITION, Optimizer.SGD);
    TokenConstraint onlyLow = (prompt, prefix) -> prefix.isEmpty() ? new int[] {0, 1} : new int[0];
    Continuation c = new Continuation(PROMPT, TokenSequence.of(0));
    p.update(new UpdateRequest(List.of(c), 1.0, onlyLow, SUM_LOGP, 1.0, Double.POSITIVE_INFINITY));
    assertThat(p.logits(PROMPT, 0)).containsExactly(new double[] {0.5, -0.5, 0, 0}, within(TOL));
    assertThat(p.logProbs(List.of(c), 1.0, onlyLow).get(0)[0])
        .isCloseTo(-Math.log(1 + Math.exp(-1)), within(TOL));
    Continuation forbidden = new Continuation(PROMPT, TokenSequence.of(2));
    assertThatThrownBy(() -> p.logProbs(List.of(forbidden), 1.0, onlyLow))
        .hasMessageContaining("forbidden");
  }

  @Test
  void sampledLogProbsAgreeWithScoringAndAreDeterministic() {
    TabularSoftmaxPolicy p = new TabularSoftmaxPolicy(5, 4, Context.PREVIOUS_TOKEN, Optimizer.ADAM);
    Continuation c = new Continuation(PROMPT, TokenSequence.of(2, 1));
    p.update(new UpdateRequest(List.of(c), 1.0, TokenConstraint.none(), SUM_LOGP, 0.3, 10));
    SamplingConfig cfg = new SamplingConfig(0.8, 1.0, 6, 11);
    List<List<Completion>> a =
        p.sample(List.of(PROMPT, TokenSequence.of(3)), 4, cfg, TokenConstraint.none());
    List<List<Completion>> b =
        p.sample(List.of(PROMPT, TokenSequence.of(3)), 4, cfg, TokenConstraint.none());
    assertThat(a).isEqualTo(b);
    for (List<Completion> group : a) {
      for (Completion comp : group) {
        assertThat(comp.truncated())
            .isEqualTo(comp.tokens().isEmpty() || comp.tokens().last() != 4);
        double[] scored =
            p.logProbs(List.of(comp.continuation()), 0.8, TokenConstraint.none()).get(0);
        assertThat(scored).containsExactly(comp.logProbs(), within(TOL));
      }
    }
  }

  @Test
  void nucleusSamplingOnlyDrawsFromTheTop() {
    TabularSoftmaxPolicy p = new TabularSoftmaxPolicy(3, 2, Context.POSITION, Optimizer.SGD);
    Continuation c = new Continuation(PROMPT, TokenSequence.of(0));
    for (int i = 0; i < 5; i++) {
      p.update(new UpdateRequest(List.of(c), 1.0, TokenConstraint.none(), SUM_LOGP, 1.0, 100));
    }
    // token 0 now holds well over half the mass: top-p 0.5 keeps only it
    List<List<Completion>> s =
        p.sample(List.of(PROMPT), 50, new SamplingConfig(1.0, 0.5, 1, 3), TokenConstraint.none());
    assertThat(s.get(0)).allSatisfy(comp -> assertThat(comp.tokens().get(0)).isZero());
  }

  @Test
  void snapshotIsFrozenAndIndependent() {
    TabularSoftmaxPolicy p = new TabularSoftmaxPolicy(3, 2, Context.POSITION, Optimizer.SGD);
    Policy frozen = p.snapshot();
    Continuation c = new Continuation(PROMPT, TokenSequence.of(0));
    UpdateRequest req =
        new UpdateRequest(List.of(c), 1.0, TokenConstraint.none(), SUM_LOGP, 1.0, 100);
    p.update(req);
    assertThat(frozen.frozen()).isTrue();
    assertThat(frozen.logProbs(List.of(c), 1.0, TokenConstraint.none()).get(0)[0])
        .isCloseTo(Math.log(1.0 / 3), within(TOL));
    assertThatThrownBy(() -> frozen.update(req)).hasMessageContaining("frozen");
  }

  @Test
  void saveLoadRoundTripsAndRefusesCorruptOrForeignState() throws IOException {
    TabularSoftmaxPolicy p = new TabularSoftmaxPolicy(4, 3, Context.POSITION, Optimizer.ADAM);
    Continuation c = new Continuation(PROMPT, TokenSequence.of(1, 2));
    UpdateRequest req =
        new UpdateRequest(List.of(c), 1.0, TokenConstraint.none(), SUM_LOGP, 0.1, 100);
    p.update(req);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.save(out);
    byte[] bytes = out.toByteArray();
    TabularSoftmaxPolicy q = new TabularSoftmaxPolicy(4, 3, Context.POSITION, Optimizer.ADAM);
    q.load(new ByteArrayInputStream(bytes));
    // the same next step, optimizer state included
    p.update(req);
    q.update(req);
    assertThat(q.logits(PROMPT, 1)).containsExactly(p.logits(PROMPT, 1));
    assertThat(q.updates()).isEqualTo(2);
    byte[] corrupt = bytes.clone();
    corrupt[corrupt.length / 2] ^= 0x10;
    assertThatThrownBy(() -> q.load(new ByteArrayInputStream(corrupt)))
        .isInstanceOf(IOException.class);
    TabularSoftmaxPolicy other = new TabularSoftmaxPolicy(5, 3, Context.POSITION, Optimizer.ADAM);
    assertThatThrownBy(() -> other.load(new ByteArrayInputStream(bytes)))
        .hasMessageContaining("vocabulary");
    assertThatThrownBy(() -> other.load(new ByteArrayInputStream(new byte[] {1, 2, 3, 4})))
        .hasMessageContaining("magic");
  }
}
