package org.refinepoi.rl.policy;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A pure-Java {@link Policy} with one table of logits per context and exact, hand-written
 * gradients: the reference implementation of the policy contract and the test oracle of the GRPO
 * trainer. It also fits small discrete problems (bandits over a few lists, short token tasks).
 *
 * <p><b>Model.</b> The next-token distribution is {@code softmax(theta[context] / T)} over the
 * allowed tokens, where the context is the prompt plus either the position in the completion
 * ({@link Context#POSITION}) or the previous completion token ({@link Context#PREVIOUS_TOKEN}).
 * Logits start at 0 (uniform). Gradient of {@code log pi(a)} with respect to {@code theta[j]} is
 * {@code (1[j = a] - pi(j)) / T} for allowed {@code j}, 0 otherwise.
 *
 * <p><b>Optimizer.</b> Adam (beta1 0.9, beta2 0.999, eps 1e-8, bias-corrected) or plain SGD, on the
 * global-norm-clipped gradient. {@link #save} writes logits and optimizer state (version 1,
 * CRC32-checked), so a resumed run continues bit for bit.
 *
 * <p><b>Threads.</b> Not thread-safe: sampling reads and {@link #update} rewrites the tables
 * without locking, so use one instance from one thread (as {@link Policy} allows); a {@link
 * #snapshot()} is an independent deep copy.
 */
public final class TabularSoftmaxPolicy implements Policy {

  /** What, besides the prompt, a table is keyed on. */
  public enum Context {
    /** The position in the completion (0 = first token): independent choices per slot. */
    POSITION,
    /** The previous completion token (-1 at the first step): a Markov chain per prompt. */
    PREVIOUS_TOKEN
  }

  /** The update rule. */
  public enum Optimizer {
    /** {@code theta -= lr * g}. */
    SGD,
    /** Adam with bias correction. */
    ADAM
  }

  private static final int MAGIC = 0x52505442; // "RPTB"
  private static final int VERSION = 1;
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double ADAM_EPS = 1e-8;

  private record Key(TokenSequence prompt, int context) {}

  private static final Comparator<Key> KEY_ORDER =
      Comparator.<Key, String>comparing(k -> k.prompt().toString()).thenComparingInt(Key::context);

  private final int vocabularySize;
  private final int endToken;
  private final Context context;
  private final Optimizer optimizer;
  private final boolean frozen;
  private Map<Key, double[]> logits = new HashMap<>();
  private Map<Key, double[]> firstMoment = new HashMap<>();
  private Map<Key, double[]> secondMoment = new HashMap<>();
  private long updates;

  /**
   * A uniform policy.
   *
   * @param vocabularySize number of tokens, {@code >= 2}
   * @param endToken the token that ends a completion, in the vocabulary
   * @param context what a table is keyed on besides the prompt
   * @param optimizer the update rule
   */
  public TabularSoftmaxPolicy(
      int vocabularySize, int endToken, Context context, Optimizer optimizer) {
    this(vocabularySize, endToken, context, optimizer, false);
  }

  private TabularSoftmaxPolicy(
      int vocabularySize, int endToken, Context context, Optimizer optimizer, boolean frozen) {
    checkArgument(vocabularySize >= 2, "vocabulary needs >= 2 tokens, got %s", vocabularySize);
    checkElementIndex(endToken, vocabularySize, "endToken");
    this.vocabularySize = vocabularySize;
    this.endToken = endToken;
    this.context = checkNotNull(context, "context");
    this.optimizer = checkNotNull(optimizer, "optimizer");
    this.frozen = frozen;
  }

  @Override
  public int vocabularySize() {
    return vocabularySize;
  }

  @Override
  public int endToken() {
    return endToken;
  }

  @Override
  public boolean frozen() {
    return frozen;
  }

  /** The number of optimizer steps taken. */
  public long updates() {
    return updates;
  }

  /** A copy of the logits of a context ({@code contextValue} is the position or previous token). */
  public double[] logits(TokenSequence prompt, int contextValue) {
    double[] row = logits.get(new Key(prompt, contextValue));
    return row == null ? new double[vocabularySize] : row.clone();
  }

  private Key key(TokenSequence prompt, TokenSequence prefix) {
    int c =
        switch (context) {
          case POSITION -> prefix.length();
          case PREVIOUS_TOKEN -> prefix.isEmpty() ? -1 : prefix.last();
        };
    return new Key(prompt, c);
  }

  /** The allowed tokens (null = all) after a prefix; empty = stop. */
  private static int[] allowed(
      TokenConstraint constraint, TokenSequence prompt, TokenSequence prefix, int vocab) {
    if (!constraint.constrains()) {
      return null;
    }
    int[] a = constraint.allowedNext(prompt, prefix);
    checkNotNull(a, "constraint returned null");
    for (int i = 0; i < a.length; i++) {
      checkState(
          a[i] >= 0 && a[i] < vocab && (i == 0 || a[i] > a[i - 1]),
          "constraint must return distinct ascending tokens in [0, %s): %s",
          vocab,
          Arrays.toString(a));
    }
    return a;
  }

  /** Log-probabilities over the vocabulary (-inf for masked tokens). */
  private double[] logSoftmax(Key key, int[] allowed, double temperature) {
    double[] row = logits.get(key);
    double[] out = new double[vocabularySize];
    double max = Double.NEGATIVE_INFINITY;
    if (allowed == null) {
      for (int j = 0; j < vocabularySize; j++) {
        out[j] = (row == null ? 0 : row[j]) / temperature;
        max = Math.max(max, out[j]);
      }
    } else {
      Arrays.fill(out, Double.NEGATIVE_INFINITY);
      for (int j : allowed) {
        out[j] = (row == null ? 0 : row[j]) / temperature;
        max = Math.max(max, out[j]);
      }
    }
    double sum = 0;
    for (int j = 0; j < vocabularySize; j++) {
      if (out[j] != Double.NEGATIVE_INFINITY) {
        sum += Math.exp(out[j] - max);
      }
    }
    double logZ = max + Math.log(sum);
    for (int j = 0; j < vocabularySize; j++) {
      if (out[j] != Double.NEGATIVE_INFINITY) {
        out[j] -= logZ;
      }
    }
    return out;
  }

  private static double entropy(double[] logp) {
    double h = 0;
    for (double lp : logp) {
      if (lp != Double.NEGATIVE_INFINITY) {
        h -= Math.exp(lp) * lp;
      }
    }
    return h;
  }

  @Override
  public List<List<Completion>> sample(
      List<TokenSequence> prompts,
      int groupSize,
      SamplingConfig config,
      TokenConstraint constraint) {
    checkNotNull(prompts, "prompts");
    checkNotNull(config, "config");
    checkNotNull(constraint, "constraint");
    checkArgument(!prompts.isEmpty(), "no prompt to sample for");
    checkArgument(groupSize >= 1, "groupSize must be >= 1, got %s", groupSize);
    SplittableRandom random = new SplittableRandom(config.seed());
    List<List<Completion>> out = new ArrayList<>(prompts.size());
    for (TokenSequence prompt : prompts) {
      checkArgument(!prompt.isEmpty(), "prompts must be non-empty");
      List<Completion> group = new ArrayList<>(groupSize);
      for (int g = 0; g < groupSize; g++) {
        group.add(sampleOne(prompt, config, constraint, random));
      }
      out.add(List.copyOf(group));
    }
    return List.copyOf(out);
  }

  private Completion sampleOne(
      TokenSequence prompt,
      SamplingConfig config,
      TokenConstraint constraint,
      SplittableRandom random) {
    TokenSequence prefix = TokenSequence.empty();
    List<Double> logProbs = new ArrayList<>();
    List<Double> entropies = new ArrayList<>();
    boolean ended = false;
    while (prefix.length() < config.maxTokens()) {
      int[] allowed = allowed(constraint, prompt, prefix, vocabularySize);
      if (allowed != null && allowed.length == 0) {
        ended = true;
        break;
      }
      double[] logp = logSoftmax(key(prompt, prefix), allowed, config.temperature());
      int token = draw(logp, config.topP(), random);
      logProbs.add(logp[token]);
      entropies.add(entropy(logp));
      prefix = prefix.append(token);
      if (token == endToken) {
        ended = true;
        break;
      }
    }
    return new Completion(
        prompt,
        prefix,
        logProbs.stream().mapToDouble(Double::doubleValue).toArray(),
        Optional.of(entropies.stream().mapToDouble(Double::doubleValue).toArray()),
        !ended);
  }

  /** Draws from the top-p nucleus of a log-distribution (ties broken by the lower token id). */
  private static int draw(double[] logp, double topP, SplittableRandom random) {
    Integer[] order = new Integer[logp.length];
    for (int j = 0; j < order.length; j++) {
      order[j] = j;
    }
    Arrays.sort(order, (a, b) -> Double.compare(logp[b], logp[a]));
    double kept = 0;
    int n = 0;
    while (n < order.length && logp[order[n]] != Double.NEGATIVE_INFINITY) {
      kept += Math.exp(logp[order[n]]);
      n++;
      if (kept >= topP) {
        break;
      }
    }
    double u = random.nextDouble() * kept;
    double acc = 0;
    for (int i = 0; i < n; i++) {
      acc += Math.exp(logp[order[i]]);
      if (u < acc) {
        return order[i];
      }
    }
    return order[n - 1];
  }

  @Override
  public List<double[]> logProbs(
      List<Continuation> batch, double temperature, TokenConstraint constraint) {
    checkNotNull(batch, "batch");
    checkNotNull(constraint, "constraint");
    checkArgument(temperature > 0 && Double.isFinite(temperature), "bad temperature");
    List<double[]> out = new ArrayList<>(batch.size());
    for (Continuation c : batch) {
      TokenSequence tokens = c.completion();
      double[] lp = new double[tokens.length()];
      for (int t = 0; t < lp.length; t++) {
        TokenSequence prefix = tokens.prefix(t);
        int[] allowed = allowed(constraint, c.prompt(), prefix, vocabularySize);
        int token = tokens.get(t);
        checkElementIndex(token, vocabularySize, "token");
        lp[t] = logSoftmax(key(c.prompt(), prefix), allowed, temperature)[token];
        checkArgument(
            lp[t] != Double.NEGATIVE_INFINITY,
            "token %s at position %s is forbidden by the constraint",
            token,
            t);
      }
      out.add(lp);
    }
    return out;
  }

  @Override
  public UpdateResult update(UpdateRequest request) {
    checkState(!frozen, "this policy is a frozen snapshot and cannot be updated");
    checkNotNull(request, "request");
    double temperature = request.temperature();
    List<Continuation> batch = request.batch();
    List<double[]> logProbs = new ArrayList<>(batch.size());
    List<double[][]> distributions = new ArrayList<>(batch.size());
    double entropySum = 0;
    long tokenCount = 0;
    for (Continuation c : batch) {
      TokenSequence tokens = c.completion();
      double[] lp = new double[tokens.length()];
      double[][] dists = new double[tokens.length()][];
      for (int t = 0; t < lp.length; t++) {
        TokenSequence prefix = tokens.prefix(t);
        int[] allowed = allowed(request.constraint(), c.prompt(), prefix, vocabularySize);
        dists[t] = logSoftmax(key(c.prompt(), prefix), allowed, temperature);
        lp[t] = dists[t][tokens.get(t)];
        checkArgument(
            lp[t] != Double.NEGATIVE_INFINITY, "token at position %s is forbidden", (Object) t);
        entropySum += entropy(dists[t]);
        tokenCount++;
      }
      logProbs.add(lp);
      distributions.add(dists);
    }
    LossEvaluation eval = request.loss().evaluate(logProbs);
    eval.checkShape(logProbs);
    Map<Key, double[]> grad = new HashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      Continuation c = batch.get(i);
      double[] g = eval.gradient().get(i);
      for (int t = 0; t < g.length; t++) {
        if (g[t] == 0) {
          continue;
        }
        double[] gRow =
            grad.computeIfAbsent(
                key(c.prompt(), c.completion().prefix(t)), k -> new double[vocabularySize]);
        double[] logp = distributions.get(i)[t];
        int token = c.completion().get(t);
        for (int j = 0; j < vocabularySize; j++) {
          if (logp[j] != Double.NEGATIVE_INFINITY) {
            double dLogpDz = ((j == token ? 1 : 0) - Math.exp(logp[j])) / temperature;
            gRow[j] += g[t] * dLogpDz;
          }
        }
      }
    }
    double sq = 0;
    for (double[] row : grad.values()) {
      for (double v : row) {
        sq += v * v;
      }
    }
    double norm = Math.sqrt(sq);
    double scale = norm > request.maxGradNorm() ? request.maxGradNorm() / norm : 1.0;
    updates++;
    double lr = request.learningRate();
    // sorted keys: the same floating-point order on every run
    List<Key> keys = new ArrayList<>(grad.keySet());
    keys.sort(KEY_ORDER);
    if (optimizer == Optimizer.ADAM) {
      // every tracked row decays its moments each step, as a dense Adam would
      for (Key k : keys) {
        firstMoment.computeIfAbsent(k, x -> new double[vocabularySize]);
        secondMoment.computeIfAbsent(k, x -> new double[vocabularySize]);
      }
      List<Key> all = new ArrayList<>(firstMoment.keySet());
      all.sort(KEY_ORDER);
      double c1 = 1 - Math.pow(BETA1, updates);
      double c2 = 1 - Math.pow(BETA2, updates);
      for (Key k : all) {
        double[] gRow = grad.get(k);
        double[] m = firstMoment.get(k);
        double[] v = secondMoment.get(k);
        double[] row = logits.computeIfAbsent(k, x -> new double[vocabularySize]);
        for (int j = 0; j < vocabularySize; j++) {
          double gj = gRow == null ? 0 : gRow[j] * scale;
          m[j] = BETA1 * m[j] + (1 - BETA1) * gj;
          v[j] = BETA2 * v[j] + (1 - BETA2) * gj * gj;
          row[j] -= lr * (m[j] / c1) / (Math.sqrt(v[j] / c2) + ADAM_EPS);
        }
      }
    } else {
      for (Key k : keys) {
        double[] gRow = grad.get(k);
        double[] row = logits.computeIfAbsent(k, x -> new double[vocabularySize]);
        for (int j = 0; j < vocabularySize; j++) {
          row[j] -= lr * gRow[j] * scale;
        }
      }
    }
    return new UpdateResult(
        eval,
        norm,
        tokenCount == 0 ? OptionalDouble.empty() : OptionalDouble.of(entropySum / tokenCount));
  }

  @Override
  public Policy snapshot() {
    TabularSoftmaxPolicy copy =
        new TabularSoftmaxPolicy(vocabularySize, endToken, context, optimizer, true);
    copy.logits = deepCopy(logits);
    copy.firstMoment = deepCopy(firstMoment);
    copy.secondMoment = deepCopy(secondMoment);
    copy.updates = updates;
    return copy;
  }

  private static Map<Key, double[]> deepCopy(Map<Key, double[]> map) {
    Map<Key, double[]> out = new HashMap<>();
    map.forEach((k, v) -> out.put(k, v.clone()));
    return out;
  }

  @Override
  public void save(OutputStream out) throws IOException {
    checkNotNull(out, "out");
    CRC32 crc = new CRC32();
    DataOutputStream data = new DataOutputStream(new CheckedOutputStream(out, crc));
    data.writeInt(MAGIC);
    data.writeInt(VERSION);
    data.writeInt(vocabularySize);
    data.writeInt(endToken);
    data.writeUTF(context.name());
    data.writeUTF(optimizer.name());
    data.writeLong(updates);
    writeTable(data, logits);
    writeTable(data, firstMoment);
    writeTable(data, secondMoment);
    data.flush();
    new DataOutputStream(out).writeLong(crc.getValue());
    out.flush();
  }

  private static void writeTable(DataOutputStream data, Map<Key, double[]> table)
      throws IOException {
    List<Key> keys = new ArrayList<>(table.keySet());
    keys.sort(KEY_ORDER);
    data.writeInt(keys.size());
    for (Key k : keys) {
      int[] prompt = k.prompt().toArray();
      data.writeInt(prompt.length);
      for (int t : prompt) {
        data.writeInt(t);
      }
      data.writeInt(k.context());
      for (double v : table.get(k)) {
        data.writeDouble(v);
      }
    }
  }

  @Override
  public void load(InputStream in) throws IOException {
    checkNotNull(in, "in");
    CRC32 crc = new CRC32();
    DataInputStream data = new DataInputStream(new CheckedInputStream(in, crc));
    if (data.readInt() != MAGIC) {
      throw new IOException("not a TabularSoftmaxPolicy state (bad magic number)");
    }
    int version = data.readInt();
    if (version != VERSION) {
      throw new IOException(
          "TabularSoftmaxPolicy state version " + version + ", this build reads " + VERSION);
    }
    int vocab = data.readInt();
    int end = data.readInt();
    String ctx = data.readUTF();
    String opt = data.readUTF();
    if (vocab != vocabularySize
        || end != endToken
        || !ctx.equals(context.name())
        || !opt.equals(optimizer.name())) {
      throw new IOException(
          "state of a policy with vocabulary %d, end token %d, %s, %s; this one has %d, %d, %s, %s"
              .formatted(
                  vocab, end, ctx, opt, vocabularySize, endToken, context.name(), optimizer));
    }
    long savedUpdates = data.readLong();
    Map<Key, double[]> l = readTable(data);
    Map<Key, double[]> m = readTable(data);
    Map<Key, double[]> v = readTable(data);
    long expected = crc.getValue();
    long stored = new DataInputStream(in).readLong();
    if (stored != expected) {
      throw new IOException("TabularSoftmaxPolicy state is corrupt (CRC32 mismatch)");
    }
    logits = l;
    firstMoment = m;
    secondMoment = v;
    updates = savedUpdates;
  }

  private Map<Key, double[]> readTable(DataInputStream data) throws IOException {
    int n = data.readInt();
    if (n < 0) {
      throw new IOException("corrupt TabularSoftmaxPolicy state: negative table size");
    }
    Map<Key, double[]> table = new HashMap<>();
    for (int i = 0; i < n; i++) {
      int len = data.readInt();
      if (len < 0 || len > 1 << 20) {
        throw new IOException("corrupt TabularSoftmaxPolicy state: prompt length " + len);
      }
      int[] prompt = new int[len];
      for (int t = 0; t < len; t++) {
        prompt[t] = data.readInt();
        if (prompt[t] < 0) {
          throw new IOException("corrupt TabularSoftmaxPolicy state: negative token");
        }
      }
      int c = data.readInt();
      double[] row = new double[vocabularySize];
      for (int j = 0; j < vocabularySize; j++) {
        row[j] = data.readDouble();
      }
      table.put(new Key(TokenSequence.of(prompt), c), row);
    }
    return table;
  }

  @Override
  public String toString() {
    return "TabularSoftmaxPolicy[vocab="
        + vocabularySize
        + ", "
        + context
        + ", "
        + optimizer
        + (frozen ? ", frozen" : "")
        + ", contexts="
        + logits.size()
        + "]";
  }
}
