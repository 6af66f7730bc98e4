package org.refinepoi.rl.grpo;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.refinepoi.rl.policy.CandidateScores;
import org.refinepoi.rl.policy.ListPolicy;
import org.refinepoi.rl.policy.ListRollout;
import org.refinepoi.rl.policy.LossEvaluation;
import org.refinepoi.rl.policy.PlackettLuce;
import org.refinepoi.rl.policy.SequenceLoss;
import org.refinepoi.rl.policy.UpdateResult;

/**
 * A pure-Java list policy for tests: one free score per (prompt, item), every item a candidate,
 * plain gradient descent with the exact Plackett-Luce gradient.
 */
final class TabularListPolicy implements ListPolicy<Integer> {

  final double[][] theta;
  private final boolean frozen;

  TabularListPolicy(int prompts, int items) {
    this(new double[prompts][items], false);
  }

  private TabularListPolicy(double[][] theta, boolean frozen) {
    this.theta = theta;
    this.frozen = frozen;
  }

  @Override
  public List<CandidateScores> score(List<Integer> prompts) {
    List<CandidateScores> out = new ArrayList<>();
    for (int p : prompts) {
      int[] items = new int[theta[p].length];
      for (int i = 0; i < items.length; i++) {
        items[i] = i;
      }
      out.add(new CandidateScores(items, theta[p]));
    }
    return out;
  }

  @Override
  public List<double[]> listLogProbs(List<ListRollout<Integer>> rollouts, double temperature) {
    List<double[]> out = new ArrayList<>();
    for (ListRollout<Integer> r : rollouts) {
      out.add(PlackettLuce.positionLogProbs(theta[r.prompt()], r.ranking(), temperature));
    }
    return out;
  }

  @Override
  public UpdateResult update(
      List<ListRollout<Integer>> rollouts,
      double temperature,
      SequenceLoss loss,
      double learningRate,
      double maxGradNorm) {
    if (frozen) {
      throw new IllegalStateException("frozen");
    }
    List<double[]> logProbs = listLogProbs(rollouts, temperature);
    LossEvaluation evaluation = loss.evaluate(logProbs);
    double[][] grad = new double[theta.length][theta[0].length];
    for (int i = 0; i < rollouts.size(); i++) {
      ListRollout<Integer> r = rollouts.get(i);
      double[] s = theta[r.prompt()];
      double[] g = evaluation.gradient(i);
      boolean[] taken = new boolean[s.length];
      int[] ranking = r.ranking();
      for (int t = 0; t < ranking.length; t++) {
        double z = 0;
        for (int j = 0; j < s.length; j++) {
          if (!taken[j]) {
            z += Math.exp(s[j] / temperature);
          }
        }
        for (int j = 0; j < s.length; j++) {
          if (!taken[j]) {
            double softmax = Math.exp(s[j] / temperature) / z;
            double d = ((j == ranking[t] ? 1 : 0) - softmax) / temperature;
            grad[r.prompt()][j] += g[t] * d;
          }
        }
        taken[ranking[t]] = true;
      }
    }
    double norm = 0;
    for (double[] row : grad) {
      for (double v : row) {
        norm += v * v;
      }
    }
    norm = Math.sqrt(norm);
    double scale = norm > maxGradNorm ? maxGradNorm / norm : 1;
    for (int p = 0; p < theta.length; p++) {
      for (int j = 0; j < theta[p].length; j++) {
        theta[p][j] -= learningRate * scale * grad[p][j];
      }
    }
    return new UpdateResult(evaluation, norm, OptionalDouble.empty());
  }

  @Override
  public TabularListPolicy snapshot() {
    double[][] copy = new double[theta.length][];
    for (int p = 0; p < theta.length; p++) {
      copy[p] = theta[p].clone();
    }
    return new TabularListPolicy(copy, true);
  }

  @Override
  public boolean frozen() {
    return frozen;
  }

  @Override
  public void resetOptimizer() {}

  @Override
  public void save(OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    for (double[] row : theta) {
      for (double v : row) {
        data.writeDouble(v);
      }
    }
    data.flush();
  }

  @Override
  public void load(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    for (double[] row : theta) {
      for (int j = 0; j < row.length; j++) {
        row[j] = data.readDouble();
      }
    }
  }
}
