package org.refinepoi.rl.djl;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.refinepoi.core.prompt.PromptVocabulary;
import org.refinepoi.rl.io.StateFiles;
import org.refinepoi.rl.policy.Completion;
import org.refinepoi.rl.policy.Continuation;
import org.refinepoi.rl.policy.LossEvaluation;
import org.refinepoi.rl.policy.Policy;
import org.refinepoi.rl.policy.SamplingConfig;
import org.refinepoi.rl.policy.TokenConstraint;
import org.refinepoi.rl.policy.TokenSequence;
import org.refinepoi.rl.policy.UpdateRequest;
import org.refinepoi.rl.policy.UpdateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in {@link Policy}: the DJL {@link TransformerPolicyModel} with an {@link
 * AdamWOptimizer}. Sampling runs incrementally with a key/value cache; a {@link TrieConstraint} is
 * tracked with one {@link ListConstraint} per row, any other {@link TokenConstraint} through {@link
 * TokenConstraint#allowedNext}. Updates differentiate the trainer's {@link
 * org.refinepoi.rl.policy.SequenceLoss} through the surrogate {@code sum g * logp} under a DJL
 * {@link GradientCollector}.
 *
 * <p>DJL's PyTorch engine allows one open gradient collector per process; updates of all instances
 * are serialized on a process-wide lock. The end token is {@link PromptVocabulary#EOS}.
 *
 * <p>Saved state (parameters and optimizer moments) is wrapped with a magic string, a format
 * version, the architecture and a CRC32; {@link #load} refuses corrupt, foreign or mismatched data.
 * Not thread-safe.
 */
public final class DjlTransformerPolicy implements Policy {

  private static final Logger LOG = LoggerFactory.getLogger(DjlTransformerPolicy.class);
  private static final String MAGIC = "REFINE-POI-DJL-POLICY";
  private static final int FORMAT_VERSION = 1;
  private static final float MASKED = -1e9f;

  /** Default AdamW first-moment decay. */
  public static final double DEFAULT_BETA1 = 0.9;

  /** Default AdamW second-moment decay. */
  public static final double DEFAULT_BETA2 = 0.999;

  /** Default AdamW epsilon. */
  public static final double DEFAULT_EPSILON = 1e-8;

  /** Default decoupled weight decay (weight matrices only). */
  public static final double DEFAULT_WEIGHT_DECAY = 0.01;

  private final TransformerPolicyModel model;
  private final ConstrainedDecoder decoder;
  private final AdamWOptimizer optimizer;
  private final double[] optimizerSettings;
  private final boolean frozen;

  private DjlTransformerPolicy(
      TransformerPolicyModel model, IdTrie trie, double[] optimizerSettings, boolean frozen) {
    this.model = model;
    this.decoder = new ConstrainedDecoder(model, trie);
    this.optimizerSettings = optimizerSettings.clone();
    this.frozen = frozen;
    model.setTrainable(!frozen);
    this.optimizer =
        frozen
            ? null
            : new AdamWOptimizer(
                model.parameters(),
                optimizerSettings[0],
                optimizerSettings[1],
                optimizerSettings[2],
                optimizerSettings[3]);
  }

  /**
   * A trainable policy around a model (whose ownership passes to the policy) with the default AdamW
   * settings.
   *
   * @param model the network; closed by {@link #close()}
   * @param trie the valid IDs (its vocabulary must have the model's size)
   */
  public static DjlTransformerPolicy of(TransformerPolicyModel model, IdTrie trie) {
    return of(model, trie, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON, DEFAULT_WEIGHT_DECAY);
  }

  /** A trainable policy with explicit AdamW settings. */
  public static DjlTransformerPolicy of(
      TransformerPolicyModel model,
      IdTrie trie,
      double beta1,
      double beta2,
      double epsilon,
      double weightDecay) {
    checkNotNull(model, "model");
    checkNotNull(trie, "trie");
    return new DjlTransformerPolicy(
        model, trie, new double[] {beta1, beta2, epsilon, weightDecay}, false);
  }

  /** The network (for beam search, evaluation and saving the model alone). */
  public TransformerPolicyModel model() {
    return model;
  }

  /** The constrained decoder over this policy's network. */
  public ConstrainedDecoder decoder() {
    return decoder;
  }

  /** A constraint of this policy's trie: lists of {@code k} distinct valid IDs then EOS. */
  public TrieConstraint listConstraint(int k) {
    return new TrieConstraint(decoder.trie(), k, false);
  }

  @Override
  public int vocabularySize() {
    return model.config().vocabSize();
  }

  @Override
  public int endToken() {
    return PromptVocabulary.EOS;
  }

  @Override
  public List<List<Completion>> sample(
      List<TokenSequence> prompts,
      int groupSize,
      SamplingConfig config,
      TokenConstraint constraint) {
    checkNotNull(prompts, "prompts");
    checkArgument(!prompts.isEmpty(), "no prompts");
    checkNotNull(config, "config");
    checkNotNull(constraint, "constraint");
    int[][] raw = new int[prompts.size()][];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = prompts.get(i).toArray();
      checkArgument(raw[i].length > 0, "prompt %s is empty", i);
      checkTokens(raw[i], "prompt " + i);
    }
    List<ConstrainedDecoder.RowResult> rows =
        decoder.sampleRows(
            raw,
            groupSize,
            config.temperature(),
            config.topP(),
            config.maxTokens(),
            p -> rowState(constraint, prompts.get(p)),
            new SplittableRandom(config.seed()));
    List<List<Completion>> out = new ArrayList<>(prompts.size());
    for (int p = 0; p < prompts.size(); p++) {
      List<Completion> group = new ArrayList<>(groupSize);
      for (int g = 0; g < groupSize; g++) {
        ConstrainedDecoder.RowResult r = rows.get(p * groupSize + g);
        group.add(
            new Completion(
                prompts.get(p),
                TokenSequence.of(r.tokens()),
                toDoubles(r.logProbs()),
                Optional.of(toDoubles(r.entropies())),
                r.truncated()));
      }
      out.add(group);
    }
    return out;
  }

  @Override
  public List<double[]> logProbs(
      List<Continuation> batch, double temperature, TokenConstraint constraint) {
    checkNotNull(batch, "batch");
    checkArgument(!batch.isEmpty(), "an empty batch");
    checkArgument(
        Double.isFinite(temperature) && temperature > 0,
        "temperature must be finite and > 0, got %s",
        temperature);
    checkNotNull(constraint, "constraint");
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      Scored scored = score(batch, temperature, constraint);
      return scored.rows(scored.tokenLogProbs.toFloatArray());
    }
  }

  @Override
  public UpdateResult update(UpdateRequest request) {
    checkNotNull(request, "request");
    checkState(!frozen, "this policy is a frozen snapshot: update is not allowed");
    DjlGradients.LOCK.lock();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      LossEvaluation evaluation;
      double meanEntropy;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        Scored scored = score(request.batch(), request.temperature(), request.constraint());
        float[] flat = scored.tokenLogProbs.toFloatArray();
        List<double[]> logProbs = scored.rows(flat);
        evaluation = request.loss().evaluate(logProbs);
        evaluation.checkShape(logProbs);
        float[] g = new float[flat.length];
        for (int r = 0; r < logProbs.size(); r++) {
          double[] gr = evaluation.gradient(r);
          for (int t = 0; t < gr.length; t++) {
            g[r * scored.width + t] = (float) gr[t];
          }
        }
        NDArray weights = model.manager().create(g, scored.tokenLogProbs.getShape());
        collector.backward(scored.tokenLogProbs.mul(weights).sum());
        meanEntropy = scored.meanEntropy();
      }
      double gradNorm = optimizer.step(request.learningRate(), request.maxGradNorm());
      LOG.debug("update {}: loss {}, grad norm {}", optimizer.steps(), evaluation.loss(), gradNorm);
      return new UpdateResult(evaluation, gradNorm, OptionalDouble.of(meanEntropy));
    } finally {
      DjlGradients.LOCK.unlock();
    }
  }

  /**
   * Per-token log-probabilities {@code (N, width)} of a batch, with what is needed to read them.
   */
  private final class Scored {
    final NDArray tokenLogProbs;
    final NDArray logProbsAll;
    final int width;
    final int[] lengths;

    Scored(NDArray tokenLogProbs, NDArray logProbsAll, int width, int[] lengths) {
      this.tokenLogProbs = tokenLogProbs;
      this.logProbsAll = logProbsAll;
      this.width = width;
      this.lengths = lengths;
    }

    List<double[]> rows(float[] flat) {
      List<double[]> out = new ArrayList<>(lengths.length);
      for (int r = 0; r < lengths.length; r++) {
        double[] row = new double[lengths[r]];
        for (int t = 0; t < row.length; t++) {
          row[t] = flat[r * width + t];
        }
        out.add(row);
      }
      return out;
    }

    double meanEntropy() {
      NDArray lp = logProbsAll.stopGradient();
      float[] h = lp.exp().mul(lp).sum(new int[] {2}).neg().toFloatArray();
      double sum = 0;
      long n = 0;
      for (int r = 0; r < lengths.length; r++) {
        for (int t = 0; t < lengths[r]; t++) {
          sum += Math.max(0, h[r * width + t]);
          n++;
        }
      }
      return n == 0 ? 0 : sum / n;
    }
  }

  private Scored score(List<Continuation> batch, double temperature, TokenConstraint constraint) {
    int n = batch.size();
    int[][] prompts = new int[n][];
    int[][] completions = new int[n][];
    int[] lengths = new int[n];
    int width = 0;
    for (int i = 0; i < n; i++) {
      Continuation c = checkNotNull(batch.get(i), "continuation %s", i);
      prompts[i] = c.prompt().toArray();
      completions[i] = c.completion().toArray();
      checkArgument(prompts[i].length > 0, "continuation %s has an empty prompt", i);
      checkTokens(prompts[i], "prompt " + i);
      checkTokens(completions[i], "completion " + i);
      lengths[i] = completions[i].length;
      width = Math.max(width, lengths[i]);
    }
    checkArgument(width > 0, "no continuation has a completion token");
    int vocab = vocabularySize();
    NDManager m = model.manager();
    PaddedBatch packed =
        PaddedBatch.promptCompletion(prompts, completions, model.config().maxLength());
    int promptWidth = packed.width() - width;
    // Logits at column c predict the token at c + 1: the completion is predicted from the last
    // prompt column to the second-to-last column.
    NDArray logits =
        TransformerLayer.scale(
            model
                .forward(
                    packed.tokenArray(m),
                    packed.positionArray(m),
                    packed.maskArray(m),
                    null,
                    promptWidth - 1)
                .get(new NDIndex(":, 0:{}, :", width)),
            (float) (1 / temperature));
    if (constraint.constrains()) {
      float[] mask = new float[n * width * vocab];
      for (int i = 0; i < n; i++) {
        ConstrainedDecoder.RowState state = rowState(constraint, batch.get(i).prompt());
        for (int t = 0; t < lengths[i]; t++) {
          int[] allowed = state.allowed();
          int token = completions[i][t];
          checkArgument(
              allowed != null && java.util.Arrays.binarySearch(allowed, token) >= 0
                  || allowed == null,
              "completion %s: token %s at position %s is forbidden by the constraint",
              i,
              token,
              t);
          if (allowed != null) {
            int base = (i * width + t) * vocab;
            java.util.Arrays.fill(mask, base, base + vocab, MASKED);
            for (int a : allowed) {
              mask[base + a] = 0f;
            }
          }
          state.advance(token);
        }
      }
      logits = logits.add(m.create(mask, new Shape(n, width, vocab)));
    }
    NDArray logProbs = logits.logSoftmax(-1);
    long[] index = new long[n * width];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < lengths[i]; t++) {
        index[i * width + t] = completions[i][t];
      }
    }
    NDArray picked = logProbs.gather(m.create(index, new Shape(n, width, 1)), 2).reshape(n, width);
    return new Scored(picked, logProbs, width, lengths);
  }

  private ConstrainedDecoder.RowState rowState(TokenConstraint constraint, TokenSequence prompt) {
    if (constraint instanceof TrieConstraint trie) {
      checkArgument(
          trie.trie() == decoder.trie(), "the constraint's trie is not this policy's trie");
      return new ConstrainedDecoder.ListRow(trie.newList());
    }
    if (!constraint.constrains()) {
      return new ConstrainedDecoder.RowState() {
        @Override
        public int[] allowed() {
          return null;
        }

        @Override
        public void advance(int token) {}
      };
    }
    return new ConstrainedDecoder.RowState() {
      private TokenSequence prefix = TokenSequence.empty();

      @Override
      public int[] allowed() {
        return constraint.allowedNext(prompt, prefix);
      }

      @Override
      public void advance(int token) {
        prefix = prefix.append(token);
      }
    };
  }

  private void checkTokens(int[] tokens, String what) {
    int vocab = vocabularySize();
    for (int t : tokens) {
      checkArgument(t >= 0 && t < vocab, "%s holds token %s outside [0, %s)", what, t, vocab);
    }
  }

  @Override
  public DjlTransformerPolicy snapshot() {
    return new DjlTransformerPolicy(model.copy(false), decoder.trie(), optimizerSettings, true);
  }

  @Override
  public boolean frozen() {
    return frozen;
  }

  @Override
  public void save(OutputStream out) throws IOException {
    checkNotNull(out, "out");
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    try (DataOutputStream data = new DataOutputStream(new BufferedOutputStream(payload))) {
      ByteArrayOutputStream modelBytes = new ByteArrayOutputStream();
      model.writeTo(modelBytes);
      data.writeInt(modelBytes.size());
      modelBytes.writeTo(data);
      data.writeBoolean(optimizer != null);
      if (optimizer != null) {
        optimizer.save(data);
      }
    }
    StateFiles.writeFramed(out, MAGIC, FORMAT_VERSION, payload.toByteArray());
  }

  @Override
  public void load(InputStream in) throws IOException {
    checkNotNull(in, "in");
    byte[] bytes = StateFiles.readFramed(in, MAGIC, FORMAT_VERSION, "DJL policy state");
    DataInputStream data = new DataInputStream(new ByteArrayInputStream(bytes));
    int modelLength = data.readInt();
    if (modelLength <= 0 || modelLength > data.available()) {
      throw new StateFiles.CorruptStateException(
          "DJL policy state: model block of %d bytes".formatted(modelLength));
    }
    byte[] modelBytes = data.readNBytes(modelLength);
    try (TransformerPolicyModel loaded =
        TransformerPolicyModel.readFrom(new ByteArrayInputStream(modelBytes), "policy state")) {
      if (!TransformerPolicyModel.sameShape(loaded.config(), model.config())) {
        throw new IOException(
            "policy state of architecture %s, this policy is %s"
                .formatted(loaded.config(), model.config()));
      }
      model.copyParametersFrom(loaded);
    } catch (IllegalArgumentException e) {
      throw new IOException("cannot read the model in the policy state: " + e.getMessage(), e);
    }
    boolean hasOptimizer = data.readBoolean();
    if (hasOptimizer && optimizer != null) {
      optimizer.load(data);
    }
  }

  @Override
  public void close() {
    model.close();
  }

  private static double[] toDoubles(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Math.min(0.0, values[i]);
    }
    return out;
  }

  @Override
  public String toString() {
    return "DjlTransformerPolicy[" + model.config() + (frozen ? ", frozen]" : "]");
  }
}
