package org.refinepoi.examples.pipeline;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.eval.Baselines;
import org.refinepoi.core.eval.EvaluationResult;
import org.refinepoi.core.eval.Evaluator;
import org.refinepoi.core.eval.Recommender;
import org.refinepoi.core.features.PoiFeatureBuilder;
import org.refinepoi.core.features.PoiFeatures;
import org.refinepoi.core.prompt.PoiIdTable;
import org.refinepoi.core.prompt.PromptVocabulary;
import org.refinepoi.core.prompt.SampleTokenizer;
import org.refinepoi.core.protocol.NextPoiProtocol;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.protocol.Split;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.examples.progress.ProgressListeners;
import org.refinepoi.examples.progress.ProgressReporter;
import org.refinepoi.examples.report.TrainingRecorder;
import org.refinepoi.rl.djl.DjlTransformerPolicy;
import org.refinepoi.rl.djl.GeneratedList;
import org.refinepoi.rl.djl.GenerativeRecommender;
import org.refinepoi.rl.djl.IdTrie;
import org.refinepoi.rl.djl.SamplingConfig;
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
import org.refinepoi.rl.reward.FormatReward;
import org.refinepoi.rl.reward.LengthReward;
import org.refinepoi.rl.reward.ParsedAnswer;
import org.refinepoi.rl.reward.RankingRewards;
import org.refinepoi.rl.reward.RewardFunction;
import org.refinepoi.rl.reward.SoftAccuracyReward;
import org.refinepoi.som.quality.SidQuality;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The next-POI experiment of the SDK, end to end (METHOD sections 1-6), as a reusable class:
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

  /** Name of the SFT row. */
  public static final String SFT_HSOM = "SFT (HSOM)";

  /** Name of the SFT+GRPO row. */
  public static final String GRPO_HSOM = "SFT+GRPO (HSOM)";

  /** Name of the SFT+GRPO row decoded as a generated list. */
  public static final String GRPO_HSOM_LIST = "SFT+GRPO (HSOM, list decoding)";

  /** Name of the ablation without soft accuracy. */
  public static final String GRPO_NO_SOFT = "SFT+GRPO (HSOM, no soft acc.)";

  /** Name of the ablation with RQ-KMeans IDs. */
  public static final String GRPO_RQ = "SFT+GRPO (RQ-KMeans IDs)";

  /** Name of the ablation with random IDs. */
  public static final String GRPO_RANDOM = "SFT+GRPO (random IDs)";

  /** Top-p of the greedy list decoding: only the most likely allowed token survives the nucleus. */
  private static final double GREEDY_TOP_P = 1e-9;

  private final ExperimentConfig config;
  private final Map<String, Double> stageSeconds = new LinkedHashMap<>();
  private final TrainingRecorder curves = new TrainingRecorder();
  private ProgressReporter progress = ProgressReporter.none();
  private PreparedData lastData;

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

  /** Prepares a raw dataset with the config's protocol, then runs {@link #run(PreparedData)}. */
  public ExperimentResult run(CheckInDataset raw) {
    checkNotNull(raw, "raw");
    long start = System.nanoTime();
    PreparedData data = time("prepare", () -> NextPoiProtocol.prepare(raw, config.protocol()));
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
    PoiFeatures features = features(data);
    return schemes(features);
  }

  private PoiFeatures features(PreparedData data) {
    List<org.refinepoi.core.data.CheckIn> train = data.checkIns(Split.TRAIN);
    checkArgument(!train.isEmpty(), "%s has no training check-ins", data.dataset().name());
    return time(
        "features",
        () -> PoiFeatureBuilder.create().seed(config.seed()).fit(data.dataset(), train));
  }

  private List<SchemeIds> schemes(PoiFeatures features) {
    IdSchemes schemes =
        new IdSchemes(
            config.level1(),
            config.level2(),
            config.seed(),
            SidQuality.builder().seed(config.seed()).build());
    return time("ID schemes + quality", () -> schemes.buildAll(features.matrix()));
  }

  private ExperimentResult run(PreparedData data, long start) {
    lastData = data;
    List<Sample> train = data.samples(Split.TRAIN);
    List<Sample> validation = data.samples(Split.VALIDATION);
    List<Sample> test = data.samples(Split.TEST);
    String name = data.dataset().name();
    checkArgument(!train.isEmpty(), "%s has no training samples", name);
    checkArgument(!validation.isEmpty(), "%s has no validation samples", name);
    checkArgument(!test.isEmpty(), "%s has no test samples", name);
    LOG.info(
        "experiment on {}: {} POIs, {} / {} / {} samples (train / validation / test), {}",
        name,
        data.dataset().poiCount(),
        train.size(),
        validation.size(),
        test.size(),
        config);
    PoiFeatures features = features(data);
    List<SchemeIds> schemes = schemes(features);
    Evaluator evaluator =
        Evaluator.builder(data.dataset().poiCount()).listSize(ExperimentConfig.K).build();
    List<MethodResult> methods = new ArrayList<>();

    long fitStart = System.nanoTime();
    List<Recommender> baselines = time("fit baselines", () -> Baselines.fitAll(data));
    double fitSeconds = (System.nanoTime() - fitStart) / 1e9;
    for (Recommender r : baselines) {
      long evalStart = System.nanoTime();
      EvaluationResult e = time("evaluate " + r.name(), () -> evaluator.evaluate(r, test));
      methods.add(
          new MethodResult(
              e,
              "baseline",
              Optional.empty(),
              config.seed(),
              fitSeconds,
              (System.nanoTime() - evalStart) / 1e9,
              Map.of()));
    }

    List<Sample> sftSamples = cap(train, config.maxSftSamples());
    List<Sample> validationSamples = cap(validation, config.maxValidationSamples());
    SchemeIds hsom = scheme(schemes, IdScheme.HSOM_TREE);
    try (PolicyRun run = new PolicyRun(hsom, config.seed())) {
      Map<String, Object> sft = run.sft(sftSamples, validationSamples);
      methods.add(run.evaluate(SFT_HSOM, "sft", test, evaluator, sft, false));
      byte[] sftState = run.state();
      Map<String, Object> grpo = run.grpo(sftSamples, true);
      methods.add(run.evaluate(GRPO_HSOM, "sft+grpo", test, evaluator, grpo, false));
      methods.add(run.evaluate(GRPO_HSOM_LIST, "sft+grpo", test, evaluator, grpo, true));
      if (config.ablations()) {
        run.restore(sftState);
        Map<String, Object> noSoft = run.grpo(sftSamples, false);
        noSoft.putAll(prefixed("sft_", sft));
        methods.add(run.evaluate(GRPO_NO_SOFT, "sft+grpo", test, evaluator, noSoft, false));
      }
    }
    if (config.ablations()) {
      for (IdScheme blind : List.of(IdScheme.RQ_KMEANS, IdScheme.RANDOM)) {
        try (PolicyRun run = new PolicyRun(scheme(schemes, blind), config.seed())) {
          Map<String, Object> details = run.sft(sftSamples, validationSamples);
          details.putAll(run.grpo(sftSamples, true));
          String row = blind == IdScheme.RQ_KMEANS ? GRPO_RQ : GRPO_RANDOM;
          methods.add(run.evaluate(row, "sft+grpo", test, evaluator, details, false));
        }
      }
    }
    double total = (System.nanoTime() - start) / 1e9;
    LOG.info("experiment on {} done in {} s", name, String.format("%.1f", total));
    return new ExperimentResult(
        config, data.stats(), features.dimension(), schemes, methods, stageSeconds, total);
  }

  private static Map<String, Object> prefixed(String prefix, Map<String, Object> map) {
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(prefix + k, v));
    return out;
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
    LOG.info("stage {} ...", stage);
    T result = body.get();
    double seconds = (System.nanoTime() - start) / 1e9;
    stageSeconds.merge(stage, seconds, Double::sum);
    LOG.info("stage {} done in {} s", stage, String.format("%.2f", seconds));
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
      PromptVocabulary vocabulary = PromptVocabulary.of(ids.space(), ids.slotCount(), 0);
      this.tokenizer =
          SampleTokenizer.builder()
              .vocabulary(vocabulary)
              .poiIds(PoiIdTable.of(ids.idsByPoi()))
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
              TransformerPolicyModel.create(model), IdTrie.of(vocabulary, ids.idsByPoi()));
      LOG.info(
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
            LOG.info(
                "SFT ({}) done: {} epochs (best {}), {} samples/s over the optimizer steps, {} s",
                label,
                result.epochs().size(),
                result.bestEpoch() + 1,
                String.format("%.1f", result.examplesPerSecond()),
                String.format("%.1f", seconds));
            return d;
          });
    }

    Map<String, Object> grpo(List<Sample> train, boolean softAccuracy) {
      String label = ids.scheme().label() + (softAccuracy ? "" : ", no soft accuracy");
      return time(
          "GRPO (" + label + ")",
          () -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("grpo_soft_accuracy", softAccuracy);
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
                  GrpoTrainer.builder(policy, reward(softAccuracy), prompts)
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
            LOG.info(
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
        LOG.info(
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

    /** The paper's five terms, or the same without soft accuracy, over parsed token answers. */
    private RewardFunction<SemanticId, Completion> reward(boolean softAccuracy) {
      int k = ExperimentConfig.K;
      Function<Completion, ParsedAnswer> parse =
          c -> {
            try {
              return ParsedAnswer.of(tokenizer.parseAnswer(c.tokens().toArray()));
            } catch (IllegalArgumentException e) {
              return ParsedAnswer.missing(e.getMessage());
            }
          };
      if (softAccuracy) {
        return CompositeReward.<SemanticId, Completion>paperTerms(
                Optional::of, parse, SoftAccuracyReward.builder(ids.space(), k).build(), k)
            .name("paper terms")
            .build();
      }
      return CompositeReward.<SemanticId, Completion>builder(Optional::of, parse)
          .add(FormatReward.strict(k), 1.0)
          .add(RankingRewards.reciprocalRank(k), 1.0)
          .add(RankingRewards.diversity(), 0.5)
          .add(LengthReward.linear(k), 0.5)
          .gateOnFormat(k)
          .name("paper terms without soft accuracy")
          .build();
    }

    MethodResult evaluate(
        String method,
        String kind,
        List<Sample> test,
        Evaluator evaluator,
        Map<String, Object> details,
        boolean listDecoding) {
      return time(
          "evaluate " + method,
          () -> {
            long start = System.nanoTime();
            List<int[]> rankings;
            try (ProgressReporter.Task task =
                progress.start("decode " + method, test.size(), "sample")) {
              rankings = listDecoding ? greedyLists(test, task) : beam(test, task);
            }
            Map<Sample, int[]> bySample = new IdentityHashMap<>();
            for (int i = 0; i < test.size(); i++) {
              bySample.put(test.get(i), rankings.get(i));
            }
            Recommender lookup =
                new Recommender() {
                  @Override
                  public String name() {
                    return method;
                  }

                  @Override
                  public int[] recommend(Sample sample, int k) {
                    int[] ranked = bySample.get(sample);
                    checkArgument(ranked != null, "sample outside the decoded test split");
                    return java.util.Arrays.copyOf(ranked, Math.min(k, ranked.length));
                  }
                };
            EvaluationResult e = evaluator.evaluate(lookup, test);
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> d = new LinkedHashMap<>(details);
            d.put("decoding", listDecoding ? "greedy list (top-p 1e-9)" : "beam search");
            d.put("test_samples_per_s", test.size() / seconds);
            return new MethodResult(
                e, kind, Optional.of(ids.scheme()), seed, trainSeconds, seconds, d);
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

    private List<int[]> greedyLists(List<Sample> test, ProgressReporter.Task task) {
      SamplingConfig greedy = new SamplingConfig(ExperimentConfig.K, 1.0, GREEDY_TOP_P, false);
      SplittableRandom random = new SplittableRandom(seed);
      List<int[]> out = new ArrayList<>(test.size());
      for (int from = 0; from < test.size(); from += config.evalBatchSize()) {
        List<Sample> chunk =
            test.subList(from, Math.min(test.size(), from + config.evalBatchSize()));
        int[][] prompts = new int[chunk.size()][];
        for (int i = 0; i < prompts.length; i++) {
          prompts[i] = tokenizer.prompt(chunk.get(i));
        }
        for (List<GeneratedList> group : policy.decoder().sample(prompts, 1, greedy, random)) {
          out.add(group.getFirst().pois());
        }
        task.stepBy(chunk.size());
      }
      return out;
    }

    byte[] state() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        policy.save(out);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot keep the SFT state", e);
      }
      return out.toByteArray();
    }

    void restore(byte[] state) {
      try {
        policy.load(new ByteArrayInputStream(state));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot restore the SFT state", e);
      }
      // the restored policy's training so far is its SFT
      trainSeconds = sftSeconds;
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
        LOG.info(
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
      LOG.info(
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
