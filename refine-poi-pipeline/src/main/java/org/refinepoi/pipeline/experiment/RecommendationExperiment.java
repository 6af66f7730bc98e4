package org.refinepoi.pipeline.experiment;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.eval.Baselines;
import org.refinepoi.core.eval.EvaluationResult;
import org.refinepoi.core.eval.Evaluator;
import org.refinepoi.core.eval.PrecomputedRankings;
import org.refinepoi.core.eval.Recommender;
import org.refinepoi.core.eval.RepeatAwareBlend;
import org.refinepoi.core.features.PoiFeatureBuilder;
import org.refinepoi.core.features.PoiFeatures;
import org.refinepoi.core.history.HistoryEvidence;
import org.refinepoi.core.prompt.PoiIdTable;
import org.refinepoi.core.prompt.PromptVocabulary;
import org.refinepoi.core.prompt.SampleTokenizer;
import org.refinepoi.core.protocol.NextPoiProtocol;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.protocol.Split;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.pipeline.ids.IdScheme;
import org.refinepoi.pipeline.ids.IdSchemes;
import org.refinepoi.pipeline.ids.SchemeIds;
import org.refinepoi.pipeline.progress.ProgressListeners;
import org.refinepoi.pipeline.progress.ProgressReporter;
import org.refinepoi.pipeline.progress.TrainingRecorder;
import org.refinepoi.rl.djl.DjlTransformerPolicy;
import org.refinepoi.rl.djl.GenerativeRecommender;
import org.refinepoi.rl.djl.HistoryPolicyConfig;
import org.refinepoi.rl.djl.IdTrie;
import org.refinepoi.rl.djl.SftConfig;
import org.refinepoi.rl.djl.SftListener;
import org.refinepoi.rl.djl.SftTrainer;
import org.refinepoi.rl.djl.TransformerConfig;
import org.refinepoi.rl.djl.TransformerPolicyModel;
import org.refinepoi.rl.grpo.GrpoConfig;
import org.refinepoi.rl.grpo.GrpoPrompt;
import org.refinepoi.rl.grpo.GrpoTrainer;
import org.refinepoi.rl.grpo.StepListener;
import org.refinepoi.rl.grpo.StepMetrics;
import org.refinepoi.rl.policy.Completion;
import org.refinepoi.rl.policy.Continuation;
import org.refinepoi.rl.policy.TokenSequence;
import org.refinepoi.rl.reward.CompositeReward;
import org.refinepoi.rl.reward.ParsedAnswer;
import org.refinepoi.rl.reward.RankingRewards;
import org.refinepoi.rl.reward.RewardFunction;
import org.refinepoi.rl.reward.SoftAccuracyReward;
import org.refinepoi.som.quality.SidQuality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The next-POI experiment of the SDK, end to end (docs/method.md), as a reusable class:
 *
 * <ol>
 *   <li>prepare the data with the protocol (filters, 24 h sessions, 80/10/10 split, samples);
 *   <li>POI features fitted on the training check-ins only ({@link PoiFeatureBuilder} defaults);
 *   <li>four ID schemes with the same code budget ({@link IdSchemes}): HSOM TREE, HSOM RESIDUAL,
 *       RQ-KMeans, random; their {@link SidQuality} reports;
 *   <li>the four classic baselines;
 *   <li>per policy: SFT (teacher forcing on the target's ID; the validation loss picks the epoch),
 *       then GRPO (whole top-10 lists sampled under the ID trie, groups of G, the paper's composite
 *       ranking reward with soft accuracy, KL to the SFT model);
 *   <li>evaluation on the test split at list size 10 (Acc@1/5/10, NDCG@5/10, MRR@10, overall and
 *       cold-start): the baselines, SFT (HSOM TREE IDs, beam top-10 over the trie), SFT+GRPO (HSOM
 *       TREE; beam top-10, and the list GRPO itself writes by greedy decoding), and as ablations
 *       SFT+GRPO with RQ-KMeans IDs, with random IDs, and with HSOM IDs but no soft-accuracy term.
 * </ol>
 *
 * Every policy is evaluated by the same beam search, so the rows differ only by their training. The
 * ablations with topology-blind IDs keep the same reward: its soft accuracy then reads their
 * lattice coordinates, which carry no geometry, as the paper's comparison implies.
 *
 * <p>Progress goes to SLF4J (INFO): every stage, SFT steps (loss, samples/s) and epochs, GRPO steps
 * (reward, rollouts/s). Deterministic for a seed up to the floating-point behaviour of the native
 * tensor library on the machine.
 */
public final class RecommendationExperiment {

  private static final Logger LOG = LoggerFactory.getLogger(RecommendationExperiment.class);

  /** Name of the SFT row (the recommended model before RL). */
  public static final String SFT_HSOM = "SFT (HSOM)";

  /** Name of the final row: the recommended model, SFT then list GRPO. */
  public static final String GRPO_HSOM = "SFT+GRPO (HSOM)";

  /** Name of the ablation without the copy path. */
  public static final String GRPO_COPY_OFF = "SFT+GRPO (HSOM, copy path off)";

  /** Name of the ablation without the history summary. */
  public static final String GRPO_SUMMARY_OFF = "SFT+GRPO (HSOM, history summary off)";

  /** Name of the ablation with RQ-KMeans IDs. */
  public static final String GRPO_RQ = "SFT+GRPO (RQ-KMeans IDs)";

  /** Name of the ablation with random IDs. */
  public static final String GRPO_RANDOM = "SFT+GRPO (random IDs)";

  /** Name of the ablation with the first round's token-level model and token-level list GRPO. */
  public static final String TOKEN_GRPO = "Token Transformer SFT+GRPO (HSOM)";

  private final ExperimentConfig config;
  private final Map<String, Double> stageSeconds = new LinkedHashMap<>();
  private final TrainingRecorder curves = new TrainingRecorder();
  private ProgressReporter progress = ProgressReporter.none();
  private StageListener stages = StageListener.NONE;
  private java.util.function.Consumer<TrainedModel> trainedModel = m -> {};
  private PreparedData lastData;
  private PoiFeatures lastFeatures;
  private final Map<String, List<int[]>> testRankings = new LinkedHashMap<>();

  /** An experiment with a config. */
  public RecommendationExperiment(ExperimentConfig config) {
    this.config = checkNotNull(config, "config");
  }

  /** The config. */
  public ExperimentConfig config() {
    return config;
  }

  /**
   * Reports SFT and GRPO progress (steps) to {@code reporter} from now on; the default reports
   * nothing (the experiment also logs its progress through SLF4J).
   *
   * @return this
   */
  public RecommendationExperiment progress(ProgressReporter reporter) {
    this.progress = checkNotNull(reporter, "reporter");
    return this;
  }

  /**
   * The training curves of the runs so far (SFT loss per step and validation loss per epoch, GRPO
   * metrics per step), per policy run, for the report's charts.
   */
  public TrainingRecorder curves() {
    return curves;
  }

  /**
   * The prepared data of the last run (the POIs the IDs of {@link ExperimentResult#schemes()} are
   * indexed by), or empty before the first run.
   */
  public Optional<PreparedData> lastData() {
    return Optional.ofNullable(lastData);
  }

  /**
   * The POI features of the last run (stage 2: their blocks name the columns the SOM prototypes
   * live in), or empty before the first run.
   */
  public Optional<PoiFeatures> lastFeatures() {
    return Optional.ofNullable(lastFeatures);
  }

  /**
   * The top-{@value ExperimentConfig#K} lists (dense POI indices, best first) a policy method of
   * the last run wrote for the test samples, in the order of {@code lastData().samples(TEST)};
   * empty for the baselines, an unknown name, or before the first run. For the report's example
   * lists and its ID distance by rank.
   *
   * @param method a method name of {@link ExperimentResult#methods()}, for example {@link
   *     #GRPO_HSOM}
   */
  public Optional<List<int[]>> testRankings(String method) {
    checkNotNull(method, "method");
    List<int[]> lists = testRankings.get(method);
    return lists == null
        ? Optional.empty()
        : Optional.of(lists.stream().map(int[]::clone).toList());
  }

  /**
   * Reports the start and end of every stage to {@code value} from now on (the experiment also logs
   * them through SLF4J).
   *
   * @return this
   */
  public RecommendationExperiment listener(StageListener value) {
    this.stages = checkNotNull(value, "value");
    return this;
  }

  /**
   * Hands the recommended model (SFT then list GRPO over HSOM TREE IDs, evaluated on the test
   * split) to {@code value} once it is trained, while its policy is still open: {@code
   * NextPoiRecommender.from} keeps a copy, so that {@code demo --save} needs no second training.
   * The default does nothing.
   *
   * @return this
   */
  public RecommendationExperiment onTrainedModel(java.util.function.Consumer<TrainedModel> value) {
    this.trainedModel = checkNotNull(value, "value");
    return this;
  }

  /** Prepares a raw dataset with the config's protocol, then runs {@link #run(PreparedData)}. */
  public ExperimentResult run(CheckInDataset raw) {
    checkNotNull(raw, "raw");
    long start = System.nanoTime();
    PreparedData data = prepare(raw);
    return run(data, start);
  }

  /**
   * Runs the experiment on prepared data.
   *
   * @throws IllegalArgumentException when a split the experiment needs is empty or the catalogue is
   *     too small for the lattices
   */
  public ExperimentResult run(PreparedData data) {
    checkNotNull(data, "data");
    return run(data, System.nanoTime());
  }

  /**
   * The POI features and the four ID schemes of prepared data (steps 2 and 3), for callers that
   * only want the IDs (the {@code ids} command).
   */
  public List<SchemeIds> idSchemes(PreparedData data) {
    return idSchemes(data, features(data));
  }

  // ---------------------------------------------------------------------------------------------
  // The stages, each with a typed result: run() chains them, and a caller may run any of them on
  // its own (the recommender trainer runs 1, 2, one scheme of 3, 5 and 6).

  /** Stage 1: the config's protocol on a raw dataset (filters, sessions, split, samples). */
  public PreparedData prepare(CheckInDataset raw) {
    checkNotNull(raw, "raw");
    return time("prepare", () -> NextPoiProtocol.prepare(raw, config.protocol()));
  }

  /** Stage 2: the POI features, fitted on the training check-ins ({@link PoiFeatureBuilder}). */
  public PoiFeatures features(PreparedData data) {
    checkNotNull(data, "data");
    List<org.refinepoi.core.data.CheckIn> train = data.checkIns(Split.TRAIN);
    checkArgument(!train.isEmpty(), "%s has no training check-ins", data.dataset().name());
    return time(
        "features",
        () -> PoiFeatureBuilder.create().seed(config.seed()).fit(data.dataset(), train));
  }

  /**
   * Stage 3: the four ID schemes over the catalogue, with their quality, in {@link IdScheme} order.
   */
  public List<SchemeIds> idSchemes(PreparedData data, PoiFeatures features) {
    checkNotNull(data, "data");
    checkNotNull(features, "features");
    return time(
        "ID schemes + quality", () -> idSchemeBuilder().buildAll(features.matrix(), poiIds(data)));
  }

  /** Stage 3 for one scheme: its IDs over the catalogue, with their quality. */
  public SchemeIds idScheme(IdScheme scheme, PreparedData data, PoiFeatures features) {
    checkNotNull(scheme, "scheme");
    checkNotNull(data, "data");
    checkNotNull(features, "features");
    return time(
        "IDs " + scheme.label() + " + quality",
        () -> idSchemeBuilder().build(scheme, features.matrix(), poiIds(data)));
  }

  private IdSchemes idSchemeBuilder() {
    return new IdSchemes(
        config.level1(),
        config.level2(),
        config.seed(),
        SidQuality.builder().seed(config.seed()).build());
  }

  private static List<String> poiIds(PreparedData data) {
    return data.dataset().pois().stream().map(org.refinepoi.core.data.Poi::id).toList();
  }

  /** The evaluator of every method: the whole catalogue, top-{@value ExperimentConfig#K} lists. */
  public Evaluator evaluator(PreparedData data) {
    return Evaluator.builder(data.dataset().poiCount()).listSize(ExperimentConfig.K).build();
  }

  /**
   * Stage 4: the classic baselines and the repeat-aware blend, fitted on the training split and
   * evaluated on the test split, each with its validation NDCG@10 (which picks the best baseline of
   * the comparisons).
   */
  public List<MethodResult> baselines(PreparedData data) {
    checkNotNull(data, "data");
    Evaluator evaluator = evaluator(data);
    List<Sample> test = data.samples(Split.TEST);
    List<MethodResult> methods = new ArrayList<>();
    long fitStart = System.nanoTime();
    List<Recommender> baselines =
        time(
            "fit baselines",
            () -> {
              List<Recommender> all = new ArrayList<>(Baselines.fitAll(data));
              all.add(RepeatAwareBlend.tuned(data));
              return all;
            });
    double fitSeconds = (System.nanoTime() - fitStart) / 1e9;
    List<Sample> validationSamples = validationSamples(data);
    for (Recommender r : baselines) {
      long evalStart = System.nanoTime();
      EvaluationResult e = time("evaluate " + r.name(), () -> evaluator.evaluate(r, test));
      int[] ranks = evaluator.ranks(r, test);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("validation_ndcg10", evaluator.evaluate(r, validationSamples).overall().ndcg10());
      if (r instanceof RepeatAwareBlend blend) {
        details.put("weights_tuned_on_validation", blend.weights().toString());
      }
      methods.add(
          new MethodResult(
              e,
              "baseline",
              "baseline",
              Optional.empty(),
              config.seed(),
              fitSeconds,
              (System.nanoTime() - evalStart) / 1e9,
              details,
              ranks));
    }
    return methods;
  }

  /** Stage 5: the history evidence of the training split ({@link HistoryEvidence#fit}). */
  public HistoryEvidence evidence(PreparedData data) {
    checkNotNull(data, "data");
    return time("history evidence", () -> HistoryEvidence.fit(data));
  }

  /**
   * The SFT samples of the history policies: every next check-in of the training trajectories, the
   * {@link ExperimentConfig#maxSftSamples()} most recent when capped.
   */
  public List<Sample> sftSamples(PreparedData data) {
    return cap(data.prefixSamples(Split.TRAIN), config.maxSftSamples());
  }

  /**
   * The validation samples that pick SFT epochs and RL states: the {@link
   * ExperimentConfig#maxValidationSamples()} most recent.
   */
  public List<Sample> validationSamples(PreparedData data) {
    return cap(data.samples(Split.VALIDATION), config.maxValidationSamples());
  }

  /**
   * Stage 6: a fresh run of the recommended model (a {@link org.refinepoi.rl.djl.HistoryPolicy} of
   * the config's {@link ExperimentConfig#policy()} over one scheme's IDs), to train with {@link
   * HistoryRun#sft} then {@link HistoryRun#rl} and to evaluate. The caller closes it.
   *
   * @param label names the run in progress reports and training curves, for example {@code "HSOM"}
   */
  public HistoryRun recommendedModel(
      PreparedData data, HistoryEvidence evidence, SchemeIds ids, String label) {
    checkNotNull(data, "data");
    checkNotNull(evidence, "evidence");
    checkNotNull(ids, "ids");
    checkNotNull(label, "label");
    return historyRun(evidence, ids, config.policy(), data, evaluator(data), label);
  }

  private ExperimentResult run(PreparedData data, long start) {
    lastData = data;
    lastFeatures = null;
    testRankings.clear();
    List<Sample> train = data.samples(Split.TRAIN);
    List<Sample> validation = data.samples(Split.VALIDATION);
    List<Sample> test = data.samples(Split.TEST);
    String name = data.dataset().name();
    checkArgument(!train.isEmpty(), "%s has no training samples", name);
    checkArgument(!validation.isEmpty(), "%s has no validation samples", name);
    checkArgument(!test.isEmpty(), "%s has no test samples", name);
    LOG.debug(
        "experiment on {}: {} POIs, {} / {} / {} samples (train / validation / test), {}",
        name,
        data.dataset().poiCount(),
        train.size(),
        validation.size(),
        test.size(),
        config);
    PoiFeatures features = features(data);
    lastFeatures = features;
    List<SchemeIds> schemes = idSchemes(data, features);
    Evaluator evaluator = evaluator(data);
    List<MethodResult> methods = new ArrayList<>(baselines(data));
    List<Sample> validationSamples = validationSamples(data);

    HistoryEvidence evidence = evidence(data);
    List<Sample> sftSamples = sftSamples(data);
    SchemeIds hsom = scheme(schemes, IdScheme.HSOM_TREE);
    try (HistoryRun run = recommendedModel(data, evidence, hsom, "HSOM")) {
      Map<String, Object> sft = time("SFT (HSOM)", () -> run.sft(sftSamples, validationSamples));
      methods.add(run.evaluate(SFT_HSOM, "sft", "sft", test, sft));
      testRankings.put(SFT_HSOM, run.lastTestRankings());
      Map<String, Object> rl = time("GRPO (HSOM)", () -> run.rl(train, validationSamples));
      Map<String, Object> both = new LinkedHashMap<>(sft);
      both.putAll(rl);
      MethodResult fin = run.evaluate(GRPO_HSOM, "sft+grpo", "final", test, both);
      methods.add(fin);
      testRankings.put(GRPO_HSOM, run.lastTestRankings());
      trainedModel.accept(
          new TrainedModel(config, data, features, hsom, evidence, run.policy(), fin));
    }
    for (ExperimentConfig.Ablation ablation : config.ablationSet()) {
      HistoryPolicyConfig policy = config.policy();
      switch (ablation) {
        case COPY_OFF ->
            methods.add(
                historyAblation(
                    evidence,
                    hsom,
                    policy.toBuilder().copy(false).build(),
                    data,
                    evaluator,
                    "HSOM, copy off",
                    GRPO_COPY_OFF,
                    sftSamples,
                    validationSamples));
        case SUMMARY_OFF ->
            methods.add(
                historyAblation(
                    evidence,
                    hsom,
                    policy.toBuilder().summary(false).build(),
                    data,
                    evaluator,
                    "HSOM, summary off",
                    GRPO_SUMMARY_OFF,
                    sftSamples,
                    validationSamples));
        case RQ_KMEANS_IDS ->
            methods.add(
                historyAblation(
                    evidence,
                    scheme(schemes, IdScheme.RQ_KMEANS),
                    policy,
                    data,
                    evaluator,
                    "RQ-KMeans",
                    GRPO_RQ,
                    sftSamples,
                    validationSamples));
        case RANDOM_IDS ->
            methods.add(
                historyAblation(
                    evidence,
                    scheme(schemes, IdScheme.RANDOM),
                    policy,
                    data,
                    evaluator,
                    "random",
                    GRPO_RANDOM,
                    sftSamples,
                    validationSamples));
        case TOKEN_GRPO -> {
          try (PolicyRun run = new PolicyRun(hsom, config.seed())) {
            List<Sample> tokenSft = cap(train, config.maxSftSamples());
            Map<String, Object> details = run.sft(tokenSft, validationSamples);
            details.putAll(run.grpo(tokenSft));
            methods.add(run.evaluate(TOKEN_GRPO, "sft+grpo", test, evaluator, details));
          }
        }
      }
    }
    Map<String, Comparison> comparisons = comparisons(methods);
    double total = (System.nanoTime() - start) / 1e9;
    LOG.debug("experiment on {} done in {} s", name, String.format("%.1f", total));
    return new ExperimentResult(
        config,
        data.stats(),
        features.dimension(),
        schemes,
        methods,
        comparisons,
        stageSeconds,
        total);
  }

  private HistoryRun historyRun(
      HistoryEvidence evidence,
      SchemeIds ids,
      HistoryPolicyConfig policy,
      PreparedData data,
      Evaluator evaluator,
      String label) {
    return new HistoryRun(
        config,
        evidence,
        ids,
        policy,
        data.dataset().userCount(),
        label,
        evaluator,
        progress,
        curves);
  }

  /** An ablation of the recommended model: the same SFT then list GRPO, one thing changed. */
  private MethodResult historyAblation(
      HistoryEvidence evidence,
      SchemeIds ids,
      HistoryPolicyConfig policy,
      PreparedData data,
      Evaluator evaluator,
      String label,
      String method,
      List<Sample> sftSamples,
      List<Sample> validationSamples) {
    try (HistoryRun run = historyRun(evidence, ids, policy, data, evaluator, label)) {
      Map<String, Object> details =
          time("SFT (" + label + ")", () -> run.sft(sftSamples, validationSamples));
      details.putAll(
          time("GRPO (" + label + ")", () -> run.rl(data.samples(Split.TRAIN), validationSamples)));
      MethodResult result =
          run.evaluate(method, "sft+grpo", "ablation", data.samples(Split.TEST), details);
      testRankings.put(method, run.lastTestRankings());
      return result;
    }
  }

  /**
   * The paired bootstrap comparisons of {@code metrics.json}: the final model against its SFT
   * stage, and against the baseline with the best validation NDCG@10 (chosen on validation, so the
   * test split decides nothing but the interval).
   */
  private Map<String, Comparison> comparisons(List<MethodResult> methods) {
    MethodResult fin = null;
    MethodResult sft = null;
    MethodResult best = null;
    for (MethodResult m : methods) {
      switch (m.role()) {
        case "final" -> fin = m;
        case "sft" -> sft = m;
        case "baseline" -> {
          if (best == null || validationNdcg(m) > validationNdcg(best)) {
            best = m;
          }
        }
        default -> {}
      }
    }
    Map<String, Comparison> out = new LinkedHashMap<>();
    if (fin != null && sft != null) {
      out.put("final_vs_sft", Comparison.of(fin, sft, config.seed()));
    }
    if (fin != null && best != null) {
      out.put("final_vs_best_baseline", Comparison.of(fin, best, config.seed()));
    }
    return out;
  }

  private static double validationNdcg(MethodResult m) {
    Object v = m.details().get("validation_ndcg10");
    return v instanceof Number n ? n.doubleValue() : Double.NEGATIVE_INFINITY;
  }

  private static SchemeIds scheme(List<SchemeIds> schemes, IdScheme which) {
    return schemes.stream()
        .filter(s -> s.scheme() == which)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no " + which + " IDs"));
  }

  /** The most recent {@code max} samples (the samples are in chronological order), or all. */
  private static List<Sample> cap(List<Sample> samples, int max) {
    if (max == 0 || samples.size() <= max) {
      return samples;
    }
    List<Sample> sorted = new ArrayList<>(samples);
    sorted.sort(
        java.util.Comparator.comparingLong((Sample s) -> s.target().utcEpochSecond())
            .thenComparingInt(Sample::user));
    return List.copyOf(sorted.subList(sorted.size() - max, sorted.size()));
  }

  private <T> T time(String stage, Supplier<T> body) {
    long start = System.nanoTime();
    LOG.debug("stage {} ...", stage);
    stages.started(stage);
    T result = body.get();
    double seconds = (System.nanoTime() - start) / 1e9;
    stageSeconds.merge(stage, seconds, Double::sum);
    LOG.debug("stage {} done in {} s", stage, String.format("%.2f", seconds));
    stages.finished(stage, seconds);
    return result;
  }

  /** A policy over one ID scheme: its vocabulary, tokenizer, trie, network and trainers. */
  private final class PolicyRun implements AutoCloseable {
    private final SchemeIds ids;
    private final long seed;
    private final SampleTokenizer tokenizer;
    private final DjlTransformerPolicy policy;
    private double trainSeconds;
    private double sftSeconds;

    PolicyRun(SchemeIds ids, long seed) {
      this.ids = ids;
      this.seed = seed;
      // One ID spine: vocabulary, POI table and trie all come from the scheme's SemanticIdIndex.
      PromptVocabulary vocabulary = PromptVocabulary.of(ids.index(), 0);
      this.tokenizer =
          SampleTokenizer.builder()
              .vocabulary(vocabulary)
              .poiIds(PoiIdTable.of(ids.index()))
              .longTermCheckIns(config.longTermCheckIns())
              .maxShortTermCheckIns(config.shortTermCheckIns())
              .build();
      TransformerConfig model =
          TransformerConfig.builder(
                  vocabulary.size(),
                  tokenizer.maxPromptLength() + tokenizer.answerLength(ExperimentConfig.K))
              .dModel(config.dModel())
              .layers(config.layers())
              .heads(config.heads())
              .mlpWidth(config.mlpWidth())
              .seed(seed)
              .build();
      this.policy =
          DjlTransformerPolicy.of(
              TransformerPolicyModel.create(model), IdTrie.of(vocabulary, ids.index()));
      LOG.debug(
          "policy over {} IDs: vocabulary {}, max prompt {} tokens, {} parameters",
          ids.scheme().label(),
          vocabulary.size(),
          tokenizer.maxPromptLength(),
          policy.model().parameterCount());
    }

    Map<String, Object> sft(List<Sample> train, List<Sample> validation) {
      String label = ids.scheme().label();
      return time(
          "SFT (" + label + ")",
          () -> {
            List<Continuation> examples = SftTrainer.examples(tokenizer, train);
            List<Continuation> checks = SftTrainer.examples(tokenizer, validation);
            SftConfig sftConfig =
                SftConfig.defaults()
                    .withEpochs(config.sftMaxEpochs())
                    .withBatch(config.sftBatchSize(), config.sftLearningRate())
                    .withPatience(config.sftPatience());
            sftConfig =
                new SftConfig(
                    sftConfig.epochs(),
                    sftConfig.batchSize(),
                    sftConfig.learningRate(),
                    sftConfig.warmupFraction(),
                    sftConfig.minLearningRateRatio(),
                    sftConfig.maxGradNorm(),
                    seed,
                    sftConfig.patience(),
                    sftConfig.validationBatchSize(),
                    Integer.MAX_VALUE);
            int logEvery = Math.max(1, examples.size() / config.sftBatchSize() / 5);
            long start = System.nanoTime();
            long stepsPerEpoch =
                (examples.size() + sftConfig.batchSize() - 1) / sftConfig.batchSize();
            SftTrainer.Result result;
            try (ProgressReporter.Task task =
                progress.start(
                    "SFT (" + label + ")",
                    Math.max(1, stepsPerEpoch * sftConfig.epochs()),
                    "step")) {
              SftListener log = new ProgressListener(label, logEvery, start);
              SftListener recorded = curves.sft(label);
              SftListener bar = ProgressListeners.sft(task);
              result =
                  new SftTrainer(sftConfig)
                      .train(
                          policy,
                          examples,
                          checks,
                          new SftListener() {
                            @Override
                            public void onStep(Step step) {
                              log.onStep(step);
                              recorded.onStep(step);
                              bar.onStep(step);
                            }

                            @Override
                            public void onEpoch(Epoch epoch) {
                              log.onEpoch(epoch);
                              recorded.onEpoch(epoch);
                              bar.onEpoch(epoch);
                            }
                          });
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            trainSeconds += seconds;
            sftSeconds = seconds;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("sft_train_samples", examples.size());
            d.put("sft_validation_samples", checks.size());
            d.put("sft_epochs_run", result.epochs().size());
            d.put("sft_best_epoch", result.bestEpoch() + 1);
            d.put("sft_stopped_early", result.stoppedEarly());
            d.put(
                "sft_train_loss_per_epoch",
                result.epochs().stream().map(SftListener.Epoch::trainLoss).toList());
            d.put(
                "sft_validation_loss_per_epoch",
                result.epochs().stream().map(SftListener.Epoch::validationLoss).toList());
            d.put("sft_samples_per_s", result.examplesPerSecond());
            d.put("sft_seconds", seconds);
            LOG.debug(
                "SFT ({}) done: {} epochs (best {}), {} samples/s over the optimizer steps, {} s",
                label,
                result.epochs().size(),
                result.bestEpoch() + 1,
                String.format("%.1f", result.examplesPerSecond()),
                String.format("%.1f", seconds));
            return d;
          });
    }

    Map<String, Object> grpo(List<Sample> train) {
      String label = "token " + ids.scheme().label();
      return time(
          "GRPO (" + label + ")",
          () -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("grpo_reward", "z-scored within each group: RR@10 + NDCG@10 + soft accuracy");
            if (config.grpoSteps() == 0) {
              d.put("grpo_steps", 0);
              return d;
            }
            List<GrpoPrompt<SemanticId>> prompts = new ArrayList<>(train.size());
            for (Sample s : train) {
              prompts.add(
                  new GrpoPrompt<>(
                      TokenSequence.of(tokenizer.prompt(s)), tokenizer.poiId(s.targetPoi())));
            }
            int idLength = tokenizer.vocabulary().idLength();
            GrpoConfig grpoConfig =
                GrpoConfig.builder()
                    .groupSize(config.groupSize())
                    .promptsPerBatch(config.promptsPerBatch())
                    .beta(config.beta())
                    .learningRate(config.grpoLearningRate())
                    .sampling(config.temperature(), 1.0, ExperimentConfig.K * idLength + 1)
                    .seed(seed)
                    .build();
            long start = System.nanoTime();
            List<StepMetrics> steps = new ArrayList<>();
            try (DjlTransformerPolicy reference = config.beta() > 0 ? policy.snapshot() : null;
                ProgressReporter.Task task =
                    progress.start("GRPO (" + label + ")", config.grpoSteps(), "step")) {
              StepListener bar = ProgressListeners.grpo(task);
              StepListener recorded = curves.grpo(label);
              GrpoTrainer.Builder<SemanticId> builder =
                  GrpoTrainer.builder(policy, reward(), prompts)
                      .config(grpoConfig)
                      .constraint(policy.listConstraint(ExperimentConfig.K))
                      .listener(
                          m -> {
                            steps.add(m);
                            recorded.onStep(m);
                            bar.onStep(m);
                            logGrpo(label, m, start);
                          });
              if (reference != null) {
                builder.reference(reference);
              }
              GrpoTrainer<SemanticId> trainer = builder.build();
              for (int i = 0; i < config.grpoSteps(); i++) {
                try {
                  trainer.step();
                } catch (IllegalArgumentException | IllegalStateException e) {
                  // A non-finite gradient (the optimizer refuses it before touching the
                  // parameters) ends this run; the policy keeps its last finite update.
                  LOG.warn("GRPO ({}) stopped at step {}: {}", label, i + 1, e.getMessage());
                  d.put("grpo_stopped_at_step", i + 1);
                  d.put("grpo_stopped_reason", e.getMessage());
                  break;
                }
              }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            trainSeconds += seconds;
            long rollouts = (long) steps.size() * config.promptsPerBatch() * config.groupSize();
            d.put("grpo_steps", steps.size());
            if (steps.isEmpty()) {
              return d;
            }
            d.put("grpo_rollouts", rollouts);
            d.put("grpo_reward_first_step", steps.getFirst().rewardMean());
            d.put("grpo_reward_last_step", steps.getLast().rewardMean());
            d.put(
                "grpo_reward_mean_first_quarter",
                meanReward(steps.subList(0, Math.max(1, steps.size() / 4))));
            d.put(
                "grpo_reward_mean_last_quarter",
                meanReward(
                    steps.subList(steps.size() - Math.max(1, steps.size() / 4), steps.size())));
            d.put("grpo_kl_last_step", steps.getLast().kl());
            d.put("grpo_rollouts_per_s", rollouts / seconds);
            d.put("grpo_seconds", seconds);
            LOG.debug(
                "GRPO ({}) done: {} steps, {} rollouts/s, {} s",
                label,
                steps.size(),
                String.format("%.1f", rollouts / seconds),
                String.format("%.1f", seconds));
            return d;
          });
    }

    private static double meanReward(List<StepMetrics> steps) {
      return steps.stream().mapToDouble(StepMetrics::rewardMean).average().orElse(Double.NaN);
    }

    private void logGrpo(String label, StepMetrics m, long start) {
      long step = m.step() + 1;
      if (step == 1 || step % 5 == 0 || step == config.grpoSteps()) {
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.debug(
            "GRPO ({}) step {}/{}: reward {} ± {}, kl {}, {} rollouts/s",
            label,
            step,
            config.grpoSteps(),
            String.format("%.4f", m.rewardMean()),
            String.format("%.4f", m.rewardStd()),
            String.format("%.4f", m.kl()),
            String.format("%.1f", step * config.promptsPerBatch() * config.groupSize() / seconds));
      }
    }

    /**
     * The ranking terms over parsed token answers, each z-scored within its group: under the ID
     * trie a list always parses, has k distinct items and the right length, so format, diversity
     * and length are constant and only compress the advantage; they are left out.
     */
    private RewardFunction<SemanticId, Completion> reward() {
      int k = ExperimentConfig.K;
      Function<Completion, ParsedAnswer> parse =
          c -> {
            try {
              return ParsedAnswer.of(tokenizer.parseAnswer(c.tokens().toArray()));
            } catch (IllegalArgumentException e) {
              return ParsedAnswer.missing(e.getMessage());
            }
          };
      return CompositeReward.<SemanticId, Completion>builder(Optional::of, parse)
          .add(RankingRewards.reciprocalRank(k), 1.0)
          .add(RankingRewards.ndcg(k), 1.0)
          .add(SoftAccuracyReward.builder(ids.space(), k).build(), 1.0)
          .noGating()
          .combination(CompositeReward.Combination.GROUP_Z_SCORE)
          .name("ranking terms, normalized then summed")
          .build();
    }

    MethodResult evaluate(
        String method,
        String kind,
        List<Sample> test,
        Evaluator evaluator,
        Map<String, Object> details) {
      return time(
          "evaluate " + method,
          () -> {
            long start = System.nanoTime();
            List<int[]> rankings;
            try (ProgressReporter.Task task =
                progress.start("decode " + method, test.size(), "sample")) {
              rankings = beam(test, task);
            }
            testRankings.put(method, List.copyOf(rankings));
            Recommender lookup = PrecomputedRankings.of(method, test, rankings);
            EvaluationResult e = evaluator.evaluate(lookup, test);
            int[] ranks = evaluator.ranks(lookup, test);
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> d = new LinkedHashMap<>(details);
            d.put("decoding", "beam search (width " + config.beamWidth() + ")");
            d.put("test_samples_per_s", test.size() / seconds);
            return new MethodResult(
                e,
                kind,
                "ablation",
                Optional.of(ids.scheme()),
                seed,
                trainSeconds,
                seconds,
                d,
                ranks);
          });
    }

    /** Beam top-k of every sample, decoded chunk by chunk so that progress can be shown. */
    private List<int[]> beam(List<Sample> test, ProgressReporter.Task task) {
      GenerativeRecommender recommender =
          new GenerativeRecommender("beam", policy.decoder(), tokenizer, config.beamWidth());
      List<int[]> out = new ArrayList<>(test.size());
      for (int from = 0; from < test.size(); from += config.evalBatchSize()) {
        List<Sample> chunk =
            test.subList(from, Math.min(test.size(), from + config.evalBatchSize()));
        out.addAll(recommender.recommendAll(chunk, ExperimentConfig.K, config.evalBatchSize()));
        task.stepBy(chunk.size());
      }
      return out;
    }

    @Override
    public void close() {
      policy.close();
    }
  }

  /** Logs SFT steps with their loss and throughput. */
  private static final class ProgressListener implements SftListener {
    private final String label;
    private final int every;
    private final long start;
    private long examples;

    ProgressListener(String label, int every, long start) {
      this.label = label;
      this.every = every;
      this.start = start;
    }

    @Override
    public void onStep(Step step) {
      examples += step.examples();
      if (step.step() % every == 0) {
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.debug(
            "SFT ({}) step {} (epoch {}): loss {}, lr {}, {} samples/s",
            label,
            step.step(),
            step.epoch() + 1,
            String.format("%.4f", step.loss()),
            String.format("%.2e", step.learningRate()),
            String.format("%.1f", examples / seconds));
      }
    }

    @Override
    public void onEpoch(Epoch epoch) {
      LOG.debug(
          "SFT ({}) epoch {}: train loss {}, validation loss {}{}, {} samples/s",
          label,
          epoch.epoch() + 1,
          String.format("%.4f", epoch.trainLoss()),
          String.format("%.4f", epoch.validationLoss()),
          epoch.best() ? " (best)" : "",
          String.format("%.1f", epoch.examplesPerSecond()));
    }
  }
}
