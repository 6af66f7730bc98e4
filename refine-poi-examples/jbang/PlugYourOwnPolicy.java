///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25
//DEPS org.refinepoi:refine-poi-core:0.1.0-SNAPSHOT
//DEPS org.refinepoi:refine-poi-rl:0.1.0-SNAPSHOT
//DEPS org.slf4j:slf4j-simple:2.0.17

// Plug your own model into the GRPO trainer: implement the Policy interface (sample, score,
// update, snapshot, save/load) with any model, hand it to GrpoTrainer with a ranking reward, train.
//
//   jbang PlugYourOwnPolicy.java [steps]
//
// The toy task: eight POIs on a 2x4 map; a user at POI p goes next to POI (p + 1) mod 8. Each
// prompt is the current POI; the policy answers a ranked list of 3 distinct POIs. The model here is
// a tiny log-linear one written from scratch: logit(token | prompt, position) =
// W[last prompt token][token] + B[position][token], trained by SGD through the Policy seam.

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.rl.grpo.GrpoConfig;
import org.refinepoi.rl.grpo.GrpoPrompt;
import org.refinepoi.rl.grpo.GrpoTrainer;
import org.refinepoi.rl.grpo.LearningRateSchedule;
import org.refinepoi.rl.grpo.StepMetrics;
import org.refinepoi.rl.policy.Completion;
import org.refinepoi.rl.policy.Continuation;
import org.refinepoi.rl.policy.LossEvaluation;
import org.refinepoi.rl.policy.Policy;
import org.refinepoi.rl.policy.SamplingConfig;
import org.refinepoi.rl.policy.TokenConstraint;
import org.refinepoi.rl.policy.TokenSequence;
import org.refinepoi.rl.policy.UpdateRequest;
import org.refinepoi.rl.policy.UpdateResult;
import org.refinepoi.rl.reward.CompositeReward;
import org.refinepoi.rl.reward.ParsedAnswer;
import org.refinepoi.rl.reward.RewardFunction;
import org.refinepoi.rl.reward.SoftAccuracyReward;

public class PlugYourOwnPolicy {

  static final int POIS = 8;
  static final int END = POIS; // token 8 ends a completion
  static final int K = 3;
  static final IdSpace SPACE = IdSpace.of(LatticeSpec.rectangular(2, 4));

  static SemanticId idOf(int poi) {
    return SemanticId.of(new int[] {poi}, 0);
  }

  /** K distinct POIs, then the end token. */
  static final TokenConstraint K_DISTINCT =
      (prompt, prefix) -> {
        if (prefix.length() == K) {
          return new int[] {END};
        }
        if (prefix.length() > K) {
          return new int[0];
        }
        return IntStream.range(0, POIS)
            .filter(t -> IntStream.range(0, prefix.length()).noneMatch(i -> prefix.get(i) == t))
            .toArray();
      };

  public static void main(String[] args) throws IOException {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 40;

    // Prompts carry their ground truth as metadata, which the reward reads.
    List<GrpoPrompt<SemanticId>> prompts = new ArrayList<>();
    for (int p = 0; p < POIS; p++) {
      prompts.add(new GrpoPrompt<>(TokenSequence.of(p), idOf((p + 1) % POIS)));
    }
    // The paper's composite reward over the completion tokens read as a ranked list of IDs.
    RewardFunction<SemanticId, Completion> reward =
        CompositeReward.<SemanticId, Completion>paperTerms(
                Optional::of, PlugYourOwnPolicy::parse, SoftAccuracyReward.builder(SPACE, K).build(), K)
            .build();

    LogLinearPolicy policy = new LogLinearPolicy(POIS + 1, END, K + 1);
    GrpoTrainer<SemanticId> trainer = trainer(policy, reward, prompts);

    System.out.println("| step | reward | reciprocal_rank | soft_accuracy | KL | loss |");
    System.out.println("|---:|---:|---:|---:|---:|---:|");
    for (int s = 0; s < steps; s++) {
      StepMetrics m = trainer.step();
      if (s < 5 || s % 5 == 4 || s == steps - 1) {
        System.out.printf(
            Locale.ROOT,
            "| %d | %.3f | %.3f | %.3f | %.4f | %.4f |%n",
            m.step(), m.rewardMean(), m.termMeans().get("reciprocal_rank"), m.termMeans().get("soft_accuracy"), m.kl(), m.loss());
      }
    }

    System.out.println("\nMost likely list per prompt after training (truth = next POI on the ring):");
    for (GrpoPrompt<SemanticId> p : prompts) {
      TokenSequence prefix = TokenSequence.empty();
      for (int i = 0; i < K; i++) {
        double[] probs = policy.distribution(p.tokens(), prefix, K_DISTINCT, 1.0);
        int best = 0;
        for (int t = 1; t < probs.length; t++) {
          best = probs[t] > probs[best] ? t : best;
        }
        prefix = prefix.append(best);
      }
      System.out.printf("  at POI %d -> %s (truth %d)%n", p.tokens().get(0), prefix, p.metadata().cell(0));
    }

    // Checkpoints go through your Policy's save/load: resume a run in a fresh process.
    Path checkpoint = Files.createTempFile("grpo", ".ckpt");
    trainer.saveCheckpoint(checkpoint);
    GrpoTrainer<SemanticId> resumed = trainer(new LogLinearPolicy(POIS + 1, END, K + 1), reward, prompts);
    resumed.restoreCheckpoint(checkpoint);
    StepMetrics a = trainer.step();
    StepMetrics b = resumed.step();
    System.out.printf(
        Locale.ROOT,
        "%nCheckpoint %s restored at step %d; the next step's reward: original %.4f, resumed %.4f%n",
        checkpoint, resumed.stepsDone() - 1, a.rewardMean(), b.rewardMean());
    Files.delete(checkpoint);
  }

  static GrpoTrainer<SemanticId> trainer(
      Policy policy, RewardFunction<SemanticId, Completion> reward, List<GrpoPrompt<SemanticId>> prompts) {
    return GrpoTrainer.builder(policy, reward, prompts)
        .config(
            GrpoConfig.builder()
                .groupSize(8)
                .promptsPerBatch(4)
                .schedule(LearningRateSchedule.constant(3.0))
                .beta(0.02)
                .sampling(1.0, 1.0, K + 1)
                .seed(11)
                .build())
        .constraint(K_DISTINCT)
        .build();
  }

  static ParsedAnswer parse(Completion c) {
    List<SemanticId> items = new ArrayList<>();
    for (int t = 0; t < c.length(); t++) {
      int token = c.tokens().get(t);
      if (token != END) {
        items.add(idOf(token));
      }
    }
    return ParsedAnswer.of(items);
  }

  /**
   * Your model behind the Policy seam: logit(token | prompt, position) = W[last prompt token][token]
   * + B[position][token], masked by the constraint, softmax at a temperature. Plain SGD with global
   * gradient-norm clipping.
   */
  static final class LogLinearPolicy implements Policy {
    private static final int MAGIC = 0x4C4C504F; // "LLPO"
    private final int vocab;
    private final int end;
    private final int positions;
    private final boolean frozen;
    private final double[][] w;
    private final double[][] b;

    LogLinearPolicy(int vocab, int end, int positions) {
      this(vocab, end, positions, false);
    }

    private LogLinearPolicy(int vocab, int end, int positions, boolean frozen) {
      this.vocab = vocab;
      this.end = end;
      this.positions = positions;
      this.frozen = frozen;
      this.w = new double[vocab][vocab];
      this.b = new double[positions][vocab];
    }

    @Override
    public int vocabularySize() {
      return vocab;
    }

    @Override
    public int endToken() {
      return end;
    }

    @Override
    public boolean frozen() {
      return frozen;
    }

    /** The next-token distribution (zeros outside the allowed tokens). */
    double[] distribution(TokenSequence prompt, TokenSequence prefix, TokenConstraint constraint, double temperature) {
      int[] allowed =
          constraint.constrains() ? constraint.allowedNext(prompt, prefix) : IntStream.range(0, vocab).toArray();
      double[] p = new double[vocab];
      if (allowed.length == 0) {
        return p;
      }
      int pos = Math.min(prefix.length(), positions - 1);
      double[] wRow = w[prompt.last()];
      double max = Double.NEGATIVE_INFINITY;
      for (int t : allowed) {
        p[t] = (wRow[t] + b[pos][t]) / temperature;
        max = Math.max(max, p[t]);
      }
      double sum = 0;
      for (int t : allowed) {
        p[t] = Math.exp(p[t] - max);
        sum += p[t];
      }
      for (int t : allowed) {
        p[t] /= sum;
      }
      return p;
    }

    @Override
    public List<List<Completion>> sample(
        List<TokenSequence> prompts, int groupSize, SamplingConfig config, TokenConstraint constraint) {
      SplittableRandom random = new SplittableRandom(config.seed());
      List<List<Completion>> out = new ArrayList<>();
      for (TokenSequence prompt : prompts) {
        List<Completion> group = new ArrayList<>();
        for (int g = 0; g < groupSize; g++) {
          TokenSequence prefix = TokenSequence.empty();
          List<Double> logProbs = new ArrayList<>();
          boolean ended = false;
          while (prefix.length() < config.maxTokens()) {
            double[] p = distribution(prompt, prefix, constraint, config.temperature());
            if (java.util.Arrays.stream(p).sum() == 0) {
              ended = true; // the constraint allows nothing: the completion is over
              break;
            }
            int token = draw(nucleus(p, config.topP()), random);
            prefix = prefix.append(token);
            logProbs.add(Math.log(p[token]));
            if (token == end) {
              ended = true;
              break;
            }
          }
          double[] lp = logProbs.stream().mapToDouble(Double::doubleValue).toArray();
          group.add(Completion.of(prompt, prefix, lp, !ended));
        }
        out.add(group);
      }
      return out;
    }

    /** Keeps the smallest set of most likely tokens whose mass reaches topP (not renormalized). */
    private static double[] nucleus(double[] p, double topP) {
      if (topP >= 1) {
        return p;
      }
      Integer[] order = IntStream.range(0, p.length).boxed().toArray(Integer[]::new);
      java.util.Arrays.sort(order, (x, y) -> Double.compare(p[y], p[x]));
      double[] kept = new double[p.length];
      double mass = 0;
      for (int t : order) {
        if (mass >= topP || p[t] == 0) {
          break;
        }
        kept[t] = p[t];
        mass += p[t];
      }
      return kept;
    }

    private static int draw(double[] weights, SplittableRandom random) {
      double total = java.util.Arrays.stream(weights).sum();
      double u = random.nextDouble() * total;
      int last = 0;
      for (int t = 0; t < weights.length; t++) {
        if (weights[t] > 0) {
          last = t;
          u -= weights[t];
          if (u < 0) {
            return t;
          }
        }
      }
      return last;
    }

    @Override
    public List<double[]> logProbs(List<Continuation> batch, double temperature, TokenConstraint constraint) {
      List<double[]> out = new ArrayList<>();
      for (Continuation c : batch) {
        double[] lp = new double[c.completion().length()];
        for (int i = 0; i < lp.length; i++) {
          double p = distribution(c.prompt(), c.completion().prefix(i), constraint, temperature)[c.completion().get(i)];
          if (p == 0) {
            throw new IllegalArgumentException("token " + c.completion().get(i) + " is not allowed at position " + i);
          }
          lp[i] = Math.log(p);
        }
        out.add(lp);
      }
      return out;
    }

    @Override
    public UpdateResult update(UpdateRequest request) {
      if (frozen) {
        throw new IllegalStateException("a frozen snapshot cannot be updated");
      }
      List<Continuation> batch = request.batch();
      LossEvaluation loss = request.loss().evaluate(logProbs(batch, request.temperature(), request.constraint()));
      double[][] gw = new double[vocab][vocab];
      double[][] gb = new double[positions][vocab];
      double t = request.temperature();
      for (int s = 0; s < batch.size(); s++) {
        Continuation c = batch.get(s);
        double[] dLoss = loss.gradient(s);
        for (int i = 0; i < dLoss.length; i++) {
          // d log p(a) / d logit_j = (1[j = a] - p_j) / T over the allowed tokens.
          double[] p = distribution(c.prompt(), c.completion().prefix(i), request.constraint(), t);
          int a = c.completion().get(i);
          int pos = Math.min(i, positions - 1);
          for (int j = 0; j < vocab; j++) {
            double d = dLoss[i] * ((j == a ? 1 : 0) - p[j]) / t;
            gw[c.prompt().last()][j] += d;
            gb[pos][j] += d;
          }
        }
      }
      double norm = Math.sqrt(squares(gw) + squares(gb));
      double scale = norm > request.maxGradNorm() ? request.maxGradNorm() / norm : 1;
      step(w, gw, request.learningRate() * scale);
      step(b, gb, request.learningRate() * scale);
      return new UpdateResult(loss, norm, OptionalDouble.empty());
    }

    private static double squares(double[][] m) {
      double s = 0;
      for (double[] row : m) {
        for (double v : row) {
          s += v * v;
        }
      }
      return s;
    }

    private static void step(double[][] param, double[][] grad, double lr) {
      for (int i = 0; i < param.length; i++) {
        for (int j = 0; j < param[i].length; j++) {
          param[i][j] -= lr * grad[i][j];
        }
      }
    }

    @Override
    public Policy snapshot() {
      LogLinearPolicy copy = new LogLinearPolicy(vocab, end, positions, true);
      copyInto(w, copy.w);
      copyInto(b, copy.b);
      return copy;
    }

    private static void copyInto(double[][] from, double[][] to) {
      for (int i = 0; i < from.length; i++) {
        System.arraycopy(from[i], 0, to[i], 0, from[i].length);
      }
    }

    @Override
    public void save(OutputStream out) throws IOException {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      DataOutputStream data = new DataOutputStream(bytes);
      data.writeInt(vocab);
      data.writeInt(positions);
      for (double[][] m : List.of(w, b)) {
        for (double[] row : m) {
          for (double v : row) {
            data.writeDouble(v);
          }
        }
      }
      data.flush();
      CRC32 crc = new CRC32();
      crc.update(bytes.toByteArray());
      DataOutputStream o = new DataOutputStream(out);
      o.writeInt(MAGIC);
      o.writeInt(1); // format version
      o.writeInt(bytes.size());
      o.write(bytes.toByteArray());
      o.writeLong(crc.getValue());
      o.flush();
    }

    @Override
    public void load(InputStream in) throws IOException {
      DataInputStream i = new DataInputStream(in);
      if (i.readInt() != MAGIC) {
        throw new IOException("not a LogLinearPolicy checkpoint");
      }
      int version = i.readInt();
      if (version != 1) {
        throw new IOException("LogLinearPolicy checkpoint version " + version + ", expected 1");
      }
      byte[] payload = new byte[i.readInt()];
      i.readFully(payload);
      CRC32 crc = new CRC32();
      crc.update(payload);
      if (crc.getValue() != i.readLong()) {
        throw new IOException("LogLinearPolicy checkpoint is corrupt (CRC32 mismatch)");
      }
      DataInputStream data = new DataInputStream(new java.io.ByteArrayInputStream(payload));
      if (data.readInt() != vocab || data.readInt() != positions) {
        throw new IOException("LogLinearPolicy checkpoint of another architecture");
      }
      for (double[][] m : List.of(w, b)) {
        for (double[] row : m) {
          for (int j = 0; j < row.length; j++) {
            row[j] = data.readDouble();
          }
        }
      }
    }
  }
}
