package org.refinepoi.rl.djl;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.refinepoi.core.history.HistoryEvidence;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.rl.io.StateFiles;
import org.refinepoi.rl.policy.CandidateScores;
import org.refinepoi.rl.policy.ListPolicy;
import org.refinepoi.rl.policy.ListRollout;
import org.refinepoi.rl.policy.LossEvaluation;
import org.refinepoi.rl.policy.PlackettLuce;
import org.refinepoi.rl.policy.SequenceLoss;
import org.refinepoi.rl.policy.UpdateResult;

/**
 * The built-in history-aware policy: a pointer-generator over the user's history and the semantic
 * IDs of the whole catalogue ({@link HistoryNetwork}), trained with DJL's PyTorch engine, and a
 * ranked-list policy over its own candidate sets ({@link ListPolicy}).
 *
 * <p><b>Distribution.</b> For a sample, {@code p(poi) = g p_copy(poi) + (1 - g) p_gen(poi)}: the
 * gate {@code g} and the pointer {@code p_copy} over the copy candidates (the recent and most
 * visited history POIs) and the generator {@code p_gen} over every valid semantic ID. It sums to 1
 * over the catalogue; with the copy path off it is {@code p_gen}.
 *
 * <p><b>Candidates and lists.</b> A sample's candidate set is its copy candidates plus the {@link
 * #listCandidates()} most likely POIs under {@code p} (all of them exact: no beam), scored by
 * {@code log p}. Lists are Plackett-Luce rankings of that set at a temperature, and the test list
 * is the most likely ranking (the candidates by {@code p}, highest first), so SFT, GRPO and
 * evaluation read one and the same policy.
 *
 * <p><b>Training.</b> {@link #sftStep} lowers the negative log-likelihood of the targets (the
 * marginal likelihood of the mixture: both paths that can produce the target share the credit);
 * {@link #update} takes a GRPO step on list log-probabilities. Both use AdamW with global gradient
 * clipping; {@link #resetOptimizer} starts RL with fresh moments.
 *
 * <p>Owns native memory: close it. Not thread-safe; one thread trains or scores at a time. Every
 * process may hold one gradient recording at a time (DJL), so updates of all DJL policies are
 * serialized.
 */
public final class HistoryPolicy implements ListPolicy<Sample> {

  private static final String MAGIC = "REFINE-POI-HISTORY-POLICY";
  private static final int FORMAT_VERSION = 1;

  /** Default number of generated candidates added to the copy candidates: 20. */
  public static final int DEFAULT_LIST_CANDIDATES = 20;

  /** AdamW betas, epsilon and weight decay. */
  private static final double[] OPTIMIZER = {0.9, 0.999, 1e-8, 0.01};

  /** Guard of the list scores' standardization against a zero spread. */
  private static final double STD_EPS = 1e-6;

  /** Log-probability floor of a path that cannot produce a POI (keeps gradients finite). */
  private static final float IMPOSSIBLE = -1e4f;

  private final HistoryPolicyConfig config;
  private final HistoryFeaturizer featurizer;
  private final IdSpace space;
  private final List<SemanticId> idsByPoi;
  private final int userCount;
  private final int listCandidates;
  private final NDManager manager;
  private final HistoryNetwork network;
  private final boolean frozen;
  private AdamWOptimizer optimizer;
  private java.util.function.Predicate<String> trainedNames = name -> true;

  private HistoryPolicy(
      HistoryPolicyConfig config,
      HistoryEvidence evidence,
      IdSpace space,
      List<SemanticId> idsByPoi,
      int userCount,
      int listCandidates,
      boolean frozen) {
    this.config = config;
    this.featurizer =
        new HistoryFeaturizer(
            evidence, config.recentCheckIns(), config.candidateSlots(), config.summary());
    this.space = space;
    this.idsByPoi = List.copyOf(idsByPoi);
    this.userCount = userCount;
    this.listCandidates = listCandidates;
    this.frozen = frozen;
    this.manager = NDManager.newBaseManager();
    this.network = new HistoryNetwork(config, space, this.idsByPoi, userCount);
    network.initialize(manager, DataType.FLOAT32, HistoryNetwork.initShapes());
    for (Parameter p : parameters()) {
      p.freeze(frozen);
    }
    this.optimizer = frozen ? null : newOptimizer();
  }

  /**
   * A freshly initialized policy.
   *
   * @param config the shape and switches
   * @param evidence the training evidence its copy candidates' features come from
   * @param space the ID space of the catalogue's semantic IDs
   * @param idsByPoi the semantic ID of each dense POI index (the catalogue of {@code evidence})
   * @param userCount the number of users (dense user indices are below it)
   * @throws IllegalArgumentException when the IDs do not match the catalogue or the space
   */
  public static HistoryPolicy create(
      HistoryPolicyConfig config,
      HistoryEvidence evidence,
      IdSpace space,
      List<SemanticId> idsByPoi,
      int userCount) {
    checkNotNull(config, "config");
    checkNotNull(evidence, "evidence");
    checkNotNull(space, "space");
    checkNotNull(idsByPoi, "idsByPoi");
    checkArgument(
        idsByPoi.size() == evidence.poiCount(),
        "%s IDs for a catalogue of %s POIs",
        idsByPoi.size(),
        evidence.poiCount());
    checkArgument(
        new java.util.HashSet<>(idsByPoi).size() == idsByPoi.size(),
        "semantic IDs must be distinct");
    return new HistoryPolicy(
        config, evidence, space, idsByPoi, userCount, DEFAULT_LIST_CANDIDATES, false);
  }

  /**
   * A freshly initialized policy over an index's catalogue: its ID space, and the ID of each of its
   * POIs in catalogue order ({@link SemanticIdIndex#idsByPoi()}), which must be the dense POI order
   * of {@code evidence} and of the samples.
   *
   * @throws IllegalArgumentException when the index does not match the evidence's catalogue
   */
  public static HistoryPolicy create(
      HistoryPolicyConfig config, HistoryEvidence evidence, SemanticIdIndex index, int userCount) {
    checkNotNull(index, "index");
    return create(config, evidence, index.space(), index.idsByPoi(), userCount);
  }

  /** The config. */
  public HistoryPolicyConfig config() {
    return config;
  }

  /** Generated candidates added to the copy candidates of each sample. */
  public int listCandidates() {
    return listCandidates;
  }

  /**
   * The user index of a user the policy was not trained on: samples with it read the mean of the
   * trained users' embeddings (with the user embedding off every user reads the same, and this is
   * just one more valid index). It equals the number of trained users.
   */
  public int unseenUser() {
    return userCount;
  }

  /** Number of trainable scalars. */
  public long parameterCount() {
    long n = 0;
    for (Parameter p : parameters()) {
      n += p.getArray().getShape().size();
    }
    return n;
  }

  private List<Parameter> parameters() {
    return network.getParameters().values();
  }

  private AdamWOptimizer newOptimizer() {
    List<Parameter> trained = new ArrayList<>();
    for (Parameter p : parameters()) {
      if (trainedNames.test(p.getName())) {
        trained.add(p);
      }
    }
    return new AdamWOptimizer(trained, OPTIMIZER[0], OPTIMIZER[1], OPTIMIZER[2], OPTIMIZER[3]);
  }

  /**
   * From now on trains only the parameters whose names pass the test (the others are frozen), with
   * a fresh optimizer; {@code name -> true} trains everything again.
   */
  public void trainOnly(java.util.function.Predicate<String> names) {
    checkNotNull(names, "names");
    checkState(!frozen, "a frozen snapshot trains nothing");
    this.trainedNames = names;
    for (Parameter p : parameters()) {
      p.freeze(!names.test(p.getName()));
    }
    optimizer = newOptimizer();
  }

  // ---------------------------------------------------------------------------------------------
  // Distribution

  /**
   * The full distribution over the catalogue for each sample: {@code [b][poi]} is {@code log
   * p(poi)}. For inspection and tests; scoring uses {@link #score}.
   */
  public double[][] logProbabilities(List<Sample> samples) {
    return perSample(samples, (logp, row) -> logp).toArray(double[][]::new);
  }

  @Override
  public List<CandidateScores> score(List<Sample> prompts) {
    return perSample(prompts, this::candidates);
  }

  /**
   * One forward pass without gradients over samples, then {@code read} of each sample's dense
   * {@code log p} over the catalogue and its featurized row, in order.
   */
  private <T> List<T> perSample(
      List<Sample> samples,
      java.util.function.BiFunction<double[], HistoryFeaturizer.Row, T> read) {
    checkSamples(samples);
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      Encoded e = encode(samples);
      HistoryNetwork.Outputs o = network.forward(e.inputs(manager));
      Dense dense = Dense.of(o, e);
      List<T> out = new ArrayList<>(samples.size());
      for (int b = 0; b < samples.size(); b++) {
        out.add(read.apply(dense.logProbs(b), e.rows.get(b)));
      }
      return out;
    }
  }

  /**
   * The top {@code k} POIs of each sample, most likely first (the policy's most likely ranking;
   * ties by lower POI index).
   *
   * @param k at most {@link #listCandidates()} plus the copy candidates are guaranteed; fewer only
   *     when the catalogue is smaller
   */
  public List<int[]> recommend(List<Sample> samples, int k) {
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    List<int[]> out = new ArrayList<>(samples.size());
    for (CandidateScores c : score(samples)) {
      int[] ranked = c.ranked();
      out.add(ranked.length <= k ? ranked : Arrays.copyOf(ranked, k));
    }
    return out;
  }

  /**
   * {@link #recommend} with each POI's probability under the policy, from one forward pass: the top
   * {@code k} POIs of each sample, most likely first, as {@link ScoredPoi} whose {@code logProb} is
   * {@code log p(poi)} of the mixture (what a caller shows as the model's confidence).
   *
   * @param k as for {@link #recommend}
   */
  public List<List<ScoredPoi>> recommendScored(List<Sample> samples, int k) {
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    return perSample(
        samples,
        (logp, row) -> {
          int[] ranked = candidates(logp, row).ranked();
          List<ScoredPoi> list = new ArrayList<>(Math.min(k, ranked.length));
          for (int r = 0; r < Math.min(k, ranked.length); r++) {
            list.add(new ScoredPoi(ranked[r], logp[ranked[r]]));
          }
          return List.copyOf(list);
        });
  }

  /** The candidate set of one sample: its copy candidates plus the top POIs under p. */
  private CandidateScores candidates(double[] logp, HistoryFeaturizer.Row row) {
    int n = logp.length;
    int[] top = topIndices(logp, Math.min(n, listCandidates + row.candidatePoi().length));
    java.util.LinkedHashSet<Integer> items = new java.util.LinkedHashSet<>();
    for (int poi : row.candidatePoi()) {
      items.add(poi);
    }
    for (int i = 0;
        i < top.length && items.size() < row.candidatePoi().length + listCandidates;
        i++) {
      items.add(top[i]);
    }
    int[] ids = items.stream().mapToInt(Integer::intValue).toArray();
    double[] scores = new double[ids.length];
    for (int i = 0; i < ids.length; i++) {
      scores[i] = Math.max(logp[ids[i]], IMPOSSIBLE);
    }
    return new CandidateScores(ids, listScores(scores));
  }

  /** The list scores of a candidate set's log-probabilities (see {@link HistoryPolicyConfig}). */
  private double[] listScores(double[] logp) {
    double scale = config.listScale();
    if (scale == 0 || logp.length < 2) {
      return logp;
    }
    double mean = 0;
    for (double v : logp) {
      mean += v;
    }
    mean /= logp.length;
    double var = 0;
    for (double v : logp) {
      var += (v - mean) * (v - mean);
    }
    double std = Math.sqrt(var / logp.length) + STD_EPS;
    double[] out = new double[logp.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = scale * (logp[i] - mean) / std;
    }
    return out;
  }

  private static int[] topIndices(double[] values, int k) {
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(
        order, (a, b) -> values[a] != values[b] ? Double.compare(values[b], values[a]) : a - b);
    int[] out = new int[k];
    for (int i = 0; i < k; i++) {
      out[i] = order[i];
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // SFT

  /**
   * One supervised step: lowers the mean negative log-likelihood of the batch's targets.
   *
   * @return the batch's mean negative log-likelihood before the step, and the gradient norm
   */
  public SftStep sftStep(List<Sample> batch, double learningRate, double maxGradNorm) {
    checkSamples(batch);
    checkState(!frozen, "this policy is a frozen snapshot: training is not allowed");
    checkArgument(
        Double.isFinite(learningRate) && learningRate >= 0, "learning rate: %s", learningRate);
    DjlGradients.LOCK.lock();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      double loss;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        Encoded e = encode(batch);
        HistoryNetwork.Outputs o = network.forward(e.inputs(manager));
        NDArray logp = logProbsAt(o, e, targetsOf(batch), e.rowIndex());
        NDArray nll = logp.mean().neg();
        loss = nll.getFloat();
        checkState(Double.isFinite(loss), "the SFT loss is not finite: %s", loss);
        collector.backward(nll);
      }
      double gradNorm = optimizer.step(learningRate, maxGradNorm);
      return new SftStep(loss, gradNorm);
    } finally {
      DjlGradients.LOCK.unlock();
    }
  }

  /**
   * A supervised step's outcome.
   *
   * @param loss the batch's mean negative log-likelihood (nats) before the step
   * @param gradNorm the global gradient norm before clipping
   */
  public record SftStep(double loss, double gradNorm) {}

  /** The mean negative log-likelihood of the samples' targets (nats), without gradients. */
  public double meanNegativeLogLikelihood(List<Sample> samples, int batchSize) {
    checkSamples(samples);
    checkArgument(batchSize >= 1, "batchSize must be >= 1, got %s", batchSize);
    double sum = 0;
    for (int from = 0; from < samples.size(); from += batchSize) {
      List<Sample> chunk = samples.subList(from, Math.min(samples.size(), from + batchSize));
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        Encoded e = encode(chunk);
        HistoryNetwork.Outputs o = network.forward(e.inputs(manager));
        sum -= logProbsAt(o, e, targetsOf(chunk), e.rowIndex()).sum().getFloat();
      }
    }
    return sum / samples.size();
  }

  private static int[][] targetsOf(List<Sample> batch) {
    int[][] out = new int[batch.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = new int[] {batch.get(i).targetPoi()};
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Lists

  @Override
  public List<double[]> listLogProbs(List<ListRollout<Sample>> rollouts, double temperature) {
    checkRollouts(rollouts, temperature);
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      return rows(positionLogProbs(rollouts, temperature), rollouts);
    }
  }

  @Override
  public UpdateResult update(
      List<ListRollout<Sample>> rollouts,
      double temperature,
      SequenceLoss loss,
      double learningRate,
      double maxGradNorm) {
    checkRollouts(rollouts, temperature);
    checkNotNull(loss, "loss");
    checkState(!frozen, "this policy is a frozen snapshot: update is not allowed");
    checkArgument(
        Double.isFinite(learningRate) && learningRate >= 0, "learning rate: %s", learningRate);
    checkArgument(!Double.isNaN(maxGradNorm) && maxGradNorm > 0, "maxGradNorm: %s", maxGradNorm);
    DjlGradients.LOCK.lock();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      LossEvaluation evaluation;
      double entropy;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        Positions positions = positionLogProbs(rollouts, temperature);
        List<double[]> logProbs = rows(positions, rollouts);
        for (int i = 0; i < logProbs.size(); i++) {
          for (double v : logProbs.get(i)) {
            checkState(
                Double.isFinite(v),
                "list log-probability of rollout %s is not finite: %s",
                i,
                (Object) v);
          }
        }
        evaluation = loss.evaluate(logProbs);
        evaluation.checkShape(logProbs);
        int k = positions.k;
        float[] g = new float[logProbs.size() * k];
        for (int r = 0; r < logProbs.size(); r++) {
          double[] gr = evaluation.gradient(r);
          for (int t = 0; t < gr.length; t++) {
            g[r * k + t] = (float) gr[t];
          }
        }
        NDArray weights = manager.create(g, positions.logProbs.getShape());
        collector.backward(positions.logProbs.mul(weights).sum());
        entropy = positions.meanFirstEntropy;
      }
      double gradNorm = optimizer.step(learningRate, maxGradNorm);
      return new UpdateResult(evaluation, gradNorm, OptionalDouble.of(entropy));
    } finally {
      DjlGradients.LOCK.unlock();
    }
  }

  /** Per-position log-probabilities {@code (n, k)} of the rollouts, as an NDArray with history. */
  private record Positions(NDArray logProbs, int k, double meanFirstEntropy) {}

  private Positions positionLogProbs(List<ListRollout<Sample>> rollouts, double temperature) {
    // one network row per distinct prompt, one score row per distinct (prompt, candidate set):
    // the rollouts of a group share both, and pick their row by a one-hot product (plain GEMMs
    // forward and backward, rather than an indexed gather)
    Map<Sample, Integer> rowOf = new IdentityHashMap<>();
    List<Sample> prompts = new ArrayList<>();
    Map<Sample, List<int[]>> setsOf = new IdentityHashMap<>();
    List<int[]> sets = new ArrayList<>();
    List<Long> setRows = new ArrayList<>();
    int n = rollouts.size();
    int[] setOfRollout = new int[n];
    for (int i = 0; i < n; i++) {
      ListRollout<Sample> r = rollouts.get(i);
      int row =
          rowOf.computeIfAbsent(
              r.prompt(),
              p -> {
                prompts.add(p);
                return prompts.size() - 1;
              });
      int[] candidates = r.candidates();
      List<int[]> known = setsOf.computeIfAbsent(r.prompt(), p -> new ArrayList<>());
      int found = -1;
      for (int[] set : known) {
        if (Arrays.equals(set, candidates)) {
          found = indexOfIdentity(sets, set);
          break;
        }
      }
      if (found < 0) {
        known.add(candidates);
        sets.add(candidates);
        setRows.add((long) row);
        found = sets.size() - 1;
      }
      setOfRollout[i] = found;
    }
    Encoded e = encode(prompts);
    HistoryNetwork.Outputs o = network.forward(e.inputs(manager));
    int u = sets.size();
    int k = rollouts.getFirst().ranking().length;
    int c = 0;
    for (int[] set : sets) {
      c = Math.max(c, set.length);
    }
    int[][] pois = new int[u][];
    long[] rows = new long[u];
    int[] sizes = new int[u];
    for (int j = 0; j < u; j++) {
      pois[j] = Arrays.copyOf(sets.get(j), c); // padded with POI 0, masked below
      rows[j] = setRows.get(j);
      sizes[j] = sets.get(j).length;
    }
    NDArray setScores = listScores(logProbsAt(o, e, pois, rows), sizes, c); // (u, c)
    float[] select = new float[n * u];
    for (int i = 0; i < n; i++) {
      select[i * u + setOfRollout[i]] = 1f;
    }
    NDArray scores =
        TransformerLayer.scale(
            manager.create(select, new Shape(n, u)).matMul(setScores), (float) (1 / temperature));
    // additive masks (n, k, c): padding and the items drawn at earlier positions are out
    float[] mask = new float[n * k * c];
    long[] chosen = new long[n * k];
    double entropySum = 0;
    float[] values = setScores.toFloatArray();
    for (int i = 0; i < n; i++) {
      ListRollout<Sample> r = rollouts.get(i);
      int size = r.candidates().length;
      int[] ranking = r.ranking();
      boolean[] taken = new boolean[c];
      for (int p = 0; p < k; p++) {
        for (int j = 0; j < c; j++) {
          if (j >= size || taken[j]) {
            mask[(i * k + p) * c + j] = HistoryNetwork.MASKED;
          }
        }
        chosen[i * k + p] = ranking[p];
        taken[ranking[p]] = true;
      }
      double[] first = new double[size];
      for (int j = 0; j < size; j++) {
        first[j] = values[setOfRollout[i] * c + j] / temperature;
      }
      entropySum += PlackettLuce.firstPositionEntropy(first, 1.0);
    }
    NDArray expanded =
        scores.reshape(n, 1, c).add(manager.create(mask, new Shape(n, k, c))).logSoftmax(-1);
    NDArray picked = expanded.gather(manager.create(chosen, new Shape(n, k, 1)), 2).reshape(n, k);
    return new Positions(picked, k, entropySum / n);
  }

  private static int indexOfIdentity(List<int[]> list, int[] item) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == item) {
        return i;
      }
    }
    return -1;
  }

  /** {@link #listScores(double[])} on a padded {@code (n, c)} array, with history. */
  private NDArray listScores(NDArray logp, int[] sizes, int c) {
    double scale = config.listScale();
    if (scale == 0) {
      return logp;
    }
    int n = sizes.length;
    float[] valid = new float[n * c];
    float[] counts = new float[n];
    for (int i = 0; i < n; i++) {
      int size = sizes[i];
      for (int j = 0; j < size; j++) {
        valid[i * c + j] = 1f;
      }
      counts[i] = size;
    }
    NDArray mask = manager.create(valid, new Shape(n, c));
    NDArray count = manager.create(counts, new Shape(n, 1));
    NDArray mean = logp.mul(mask).sum(new int[] {1}, true).div(count);
    NDArray centred = logp.sub(mean).mul(mask);
    NDArray std = centred.square().sum(new int[] {1}, true).div(count).sqrt().add((float) STD_EPS);
    NDArray standardized = TransformerLayer.scale(centred.div(std), (float) scale);
    // a candidate set of one item has no spread: keep its (irrelevant) raw score
    float[] single = new float[n];
    for (int i = 0; i < n; i++) {
      single[i] = counts[i] < 2 ? 1f : 0f;
    }
    NDArray keep = manager.create(single, new Shape(n, 1));
    return standardized.mul(keep.neg().add(1f)).add(logp.mul(keep));
  }

  private static List<double[]> rows(Positions positions, List<ListRollout<Sample>> rollouts) {
    float[] flat = positions.logProbs.toFloatArray();
    int k = positions.k;
    List<double[]> out = new ArrayList<>(rollouts.size());
    for (int i = 0; i < rollouts.size(); i++) {
      double[] row = new double[k];
      for (int t = 0; t < k; t++) {
        row[t] = Math.min(0.0, flat[i * k + t]);
      }
      out.add(row);
    }
    return out;
  }

  private static void checkRollouts(List<ListRollout<Sample>> rollouts, double temperature) {
    checkNotNull(rollouts, "rollouts");
    checkArgument(!rollouts.isEmpty(), "no rollouts");
    checkArgument(
        Double.isFinite(temperature) && temperature > 0,
        "temperature must be > 0: %s",
        temperature);
    int k = rollouts.getFirst().ranking().length;
    for (ListRollout<Sample> r : rollouts) {
      checkArgument(r.ranking().length == k, "rollouts of one update must have one length, %s", k);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The mixture at given POIs

  /**
   * {@code log p} of given POIs per row, with history: {@code pois[i]} are the POIs of output row
   * {@code rows[i]}.
   */
  private NDArray logProbsAt(HistoryNetwork.Outputs o, Encoded e, int[][] pois, long[] rows) {
    int n = pois.length;
    int c = pois[0].length;
    long[] poiIndex = new long[n * c];
    long[] slotIndex = new long[n * c];
    float[] slotMask = new float[n * c];
    for (int i = 0; i < n; i++) {
      HistoryFeaturizer.Row row = e.rows.get((int) rows[i]);
      for (int j = 0; j < c; j++) {
        int poi = pois[i][j];
        poiIndex[i * c + j] = poi;
        int slot = row.slotOf(poi);
        slotIndex[i * c + j] = Math.max(0, slot);
        slotMask[i * c + j] = slot >= 0 ? 0f : IMPOSSIBLE;
      }
    }
    NDArray rowIndex = manager.create(rows);
    boolean identity = n == e.rows.size() && isIdentity(rows);
    NDArray genRows = identity ? o.genLogProbs() : o.genLogProbs().get(rowIndex);
    NDArray gen = genRows.gather(manager.create(poiIndex, new Shape(n, c)), 1);
    if (o.copyLogProbs() == null) {
      return gen;
    }
    NDArray copyRows = identity ? o.copyLogProbs() : o.copyLogProbs().get(rowIndex);
    NDArray logGate = identity ? o.logGate() : o.logGate().get(rowIndex);
    NDArray logNotGate = identity ? o.logOneMinusGate() : o.logOneMinusGate().get(rowIndex);
    NDArray copy =
        copyRows
            .gather(manager.create(slotIndex, new Shape(n, c)), 1)
            .add(manager.create(slotMask, new Shape(n, c)))
            .add(logGate.reshape(n, 1));
    NDArray generated = gen.add(logNotGate.reshape(n, 1));
    return logAddExp(copy, generated);
  }

  private static boolean isIdentity(long[] rows) {
    for (int i = 0; i < rows.length; i++) {
      if (rows[i] != i) {
        return false;
      }
    }
    return true;
  }

  /** {@code log(exp(a) + exp(b))}, stable and with finite gradients when one side is -1e30. */
  private static NDArray logAddExp(NDArray a, NDArray b) {
    NDArray max = a.maximum(b);
    return max.add(a.sub(max).exp().add(b.sub(max).exp()).log());
  }

  /** The outputs as Java arrays, with the dense mixture of a row. */
  private record Dense(
      int poiCount,
      int slots,
      float[] gen,
      float[] copy,
      float[] logGate,
      float[] logNotGate,
      Encoded encoded) {

    static Dense of(HistoryNetwork.Outputs o, Encoded e) {
      int n = (int) o.genLogProbs().getShape().get(1);
      if (o.copyLogProbs() == null) {
        return new Dense(n, 0, o.genLogProbs().toFloatArray(), null, null, null, e);
      }
      return new Dense(
          n,
          (int) o.copyLogProbs().getShape().get(1),
          o.genLogProbs().toFloatArray(),
          o.copyLogProbs().toFloatArray(),
          o.logGate().toFloatArray(),
          o.logOneMinusGate().toFloatArray(),
          e);
    }

    double[] logProbs(int b) {
      double[] p = new double[poiCount];
      if (copy == null) {
        for (int i = 0; i < poiCount; i++) {
          p[i] = gen[b * poiCount + i];
        }
        return p;
      }
      double notGate = Math.exp(logNotGate[b]);
      double gate = Math.exp(logGate[b]);
      for (int i = 0; i < poiCount; i++) {
        p[i] = notGate * Math.exp(gen[b * poiCount + i]);
      }
      int[] candidates = encoded.rows.get(b).candidatePoi();
      for (int j = 0; j < candidates.length; j++) {
        p[candidates[j]] += gate * Math.exp(copy[b * slots + j]);
      }
      for (int i = 0; i < poiCount; i++) {
        p[i] = p[i] > 0 ? Math.log(p[i]) : IMPOSSIBLE;
      }
      return p;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Encoding

  /** A batch's featurized rows, padded to the config's fixed context sizes. */
  private final class Encoded {
    final List<HistoryFeaturizer.Row> rows;

    Encoded(List<HistoryFeaturizer.Row> rows) {
      this.rows = rows;
    }

    long[] rowIndex() {
      long[] out = new long[rows.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = i;
      }
      return out;
    }

    HistoryNetwork.Inputs inputs(NDManager m) {
      HistoryNetwork.ContextLayout c = network.contextLayout();
      boolean users = config.userEmbedding();
      int b = rows.size();
      int r = featurizer.recent();
      int s = featurizer.slots();
      int f = HistoryFeaturizer.FEATURES;
      int kq = users ? 4 : 3;
      int kr = 6;
      int kc = 1 + f;
      long[] query = new long[b * kq];
      long[] recentPoi = new long[b * r];
      long[] recentContext = new long[b * r * kr];
      float[] recentMask = new float[b * r];
      long[] candidatePoi = new long[b * s];
      long[] candidateContext = new long[b * s * kc];
      float[] candidateMask = new float[b * s];
      boolean unseenUser = false;
      for (int i = 0; i < b; i++) {
        HistoryFeaturizer.Row row = rows.get(i);
        int q = i * kq;
        query[q] = c.type();
        query[q + 1] = c.hour() + row.hour();
        query[q + 2] = c.weekday() + row.weekday();
        if (users) {
          // an unseen user reads the computed mean row after the table (HistoryNetwork)
          boolean unseen = row.user() == userCount;
          unseenUser |= unseen;
          query[q + 3] = unseen ? c.size() : c.user() + row.user();
        }
        for (int j = 0; j < r; j++) {
          int at = i * r + j;
          int ctx = at * kr;
          if (j < row.recentPoi().length) {
            recentPoi[at] = row.recentPoi()[j];
            recentContext[ctx] = c.type() + 1;
            recentContext[ctx + 1] = c.hour() + row.recentHour()[j];
            recentContext[ctx + 2] = c.weekday() + row.recentWeekday()[j];
            recentContext[ctx + 3] = c.age() + row.recentAge()[j];
            recentContext[ctx + 4] = c.position() + j;
            recentContext[ctx + 5] = c.current() + row.recentCurrent()[j];
            recentMask[at] = 1f;
          } else {
            Arrays.fill(recentContext, ctx, ctx + kr, c.type() + 1);
          }
        }
        for (int j = 0; j < s; j++) {
          int at = i * s + j;
          int ctx = at * kc;
          candidateContext[ctx] = c.type() + 2;
          if (j < row.candidatePoi().length) {
            candidatePoi[at] = row.candidatePoi()[j];
            candidateMask[at] = 1f;
            for (int k = 0; k < f; k++) {
              candidateContext[ctx + 1 + k] = c.feature()[k] + row.candidateFeatures()[j * f + k];
            }
          } else {
            Arrays.fill(candidateContext, ctx + 1, ctx + kc, c.type() + 2);
          }
        }
      }
      return new HistoryNetwork.Inputs(
          m.create(query, new Shape(b, kq)),
          m.create(recentPoi, new Shape(b, r)),
          m.create(recentContext, new Shape(b, r, kr)),
          m.create(recentMask, new Shape(b, r)),
          m.create(candidatePoi, new Shape(b, s)),
          m.create(candidateContext, new Shape(b, s, kc)),
          m.create(candidateMask, new Shape(b, s)),
          unseenUser);
    }
  }

  private Encoded encode(List<Sample> samples) {
    List<HistoryFeaturizer.Row> rows = new ArrayList<>(samples.size());
    for (Sample s : samples) {
      checkArgument(
          s.user() >= 0 && s.user() <= userCount,
          "user %s outside the policy's %s users (%s = an unseen user)",
          s.user(),
          userCount,
          userCount);
      rows.add(featurizer.row(s));
    }
    return new Encoded(rows);
  }

  private static void checkSamples(List<Sample> samples) {
    checkNotNull(samples, "samples");
    checkArgument(!samples.isEmpty(), "no samples");
  }

  // ---------------------------------------------------------------------------------------------
  // State

  @Override
  public HistoryPolicy snapshot() {
    HistoryPolicy copy =
        new HistoryPolicy(
            config, featurizer.evidence(), space, idsByPoi, userCount, listCandidates, true);
    copy.copyParametersFrom(this);
    return copy;
  }

  /** Copies another policy's parameters (same architecture) into this one. */
  public void copyParametersFrom(HistoryPolicy other) {
    checkNotNull(other, "other");
    List<Parameter> mine = parameters();
    List<Parameter> theirs = other.parameters();
    checkArgument(mine.size() == theirs.size(), "policies of different architectures");
    for (int i = 0; i < mine.size(); i++) {
      checkArgument(
          mine.get(i).getArray().getShape().equals(theirs.get(i).getArray().getShape()),
          "parameter %s differs in shape",
          mine.get(i).getName());
      theirs.get(i).getArray().copyTo(mine.get(i).getArray());
    }
  }

  @Override
  public boolean frozen() {
    return frozen;
  }

  @Override
  public void resetOptimizer() {
    checkState(!frozen, "a frozen snapshot has no optimizer");
    optimizer = newOptimizer();
  }

  /** The parameters only (no optimizer state), for keeping a best checkpoint in memory. */
  public byte[] parameterBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      network.saveParameters(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Restores parameters written by {@link #parameterBytes} of a policy of this architecture. */
  public void restoreParameters(byte[] bytes) {
    checkNotNull(bytes, "bytes");
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      network.loadParameters(manager, in);
    } catch (IOException | MalformedModelException e) {
      throw new IllegalArgumentException("cannot restore the policy's parameters", e);
    }
    for (Parameter p : parameters()) {
      p.freeze(frozen || !trainedNames.test(p.getName()));
    }
  }

  @Override
  public void save(OutputStream out) throws IOException {
    checkNotNull(out, "out");
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    try (DataOutputStream data = new DataOutputStream(payload)) {
      writeConfig(data);
      byte[] params = parameterBytes();
      data.writeInt(params.length);
      data.write(params);
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
    byte[] bytes = StateFiles.readFramed(in, MAGIC, FORMAT_VERSION, "history policy state");
    DataInputStream data = new DataInputStream(new ByteArrayInputStream(bytes));
    String saved = data.readUTF();
    String mine = describe();
    if (!saved.equals(mine)) {
      throw new IOException(
          "history policy state of architecture %s, this policy is %s".formatted(saved, mine));
    }
    int length = data.readInt();
    if (length < 0 || length > data.available()) {
      throw new IOException("history policy state: parameter block of %d bytes".formatted(length));
    }
    byte[] params = data.readNBytes(length);
    try {
      restoreParameters(params);
    } catch (IllegalArgumentException e) {
      throw new IOException("history policy state: " + e.getMessage(), e);
    }
    if (data.readBoolean()) {
      // a frozen snapshot keeps no optimizer: read the moments into a throw-away one
      (optimizer != null ? optimizer : newOptimizer()).load(data);
    }
    if (data.available() > 0) {
      throw new IOException(
          "history policy state has %d trailing bytes".formatted(data.available()));
    }
  }

  private void writeConfig(DataOutputStream data) throws IOException {
    data.writeUTF(describe());
  }

  /**
   * The architecture as a string: what the parameters' meaning depends on (not the list scale or
   * the seed, which a loaded state may differ in).
   */
  private String describe() {
    HistoryPolicyConfig c = config;
    return "d=%d,layers=%d,heads=%d,mlp=%d,recent=%d,slots=%d,copy=%s,summary=%s,user=%s,topology=%s,poi=%s/pois=%d/users=%d/space=%s"
        .formatted(
            c.dModel(),
            c.layers(),
            c.heads(),
            c.mlpWidth(),
            c.recentCheckIns(),
            c.candidateSlots(),
            c.copy(),
            c.summary(),
            c.userEmbedding(),
            c.topologyEmbeddings(),
            c.poiEmbedding(),
            idsByPoi.size(),
            userCount,
            space);
  }

  @Override
  public void close() {
    manager.close();
  }

  @Override
  public String toString() {
    return "HistoryPolicy[" + config + (frozen ? ", frozen]" : "]");
  }
}
