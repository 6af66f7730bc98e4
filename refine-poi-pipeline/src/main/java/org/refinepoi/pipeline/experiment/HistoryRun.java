package org.refinepoi.pipeline.experiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.refinepoi.core.eval.EvaluationResult;
import org.refinepoi.core.eval.Evaluator;
import org.refinepoi.core.eval.PairedBootstrap;
import org.refinepoi.core.eval.PrecomputedRankings;
import org.refinepoi.core.eval.RankingMetrics;
import org.refinepoi.core.eval.Recommender;
import org.refinepoi.core.history.HistoryEvidence;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.pipeline.ids.SchemeIds;
import org.refinepoi.pipeline.progress.ProgressListeners;
import org.refinepoi.pipeline.progress.ProgressReporter;
import org.refinepoi.pipeline.progress.TrainingRecorder;
import org.refinepoi.rl.djl.HistoryPolicy;
import org.refinepoi.rl.djl.HistoryPolicyConfig;
import org.refinepoi.rl.djl.HistorySftTrainer;
import org.refinepoi.rl.djl.SftConfig;
import org.refinepoi.rl.djl.SftListener;
import org.refinepoi.rl.djl.SftTrainer;
import org.refinepoi.rl.grpo.GrpoConfig;
import org.refinepoi.rl.grpo.ListGrpoTrainer;
import org.refinepoi.rl.grpo.RewardScaling;
import org.refinepoi.rl.grpo.StepListener;
import org.refinepoi.rl.grpo.StepMetrics;
import org.refinepoi.rl.policy.ListPolicy;
import org.refinepoi.rl.reward.CompositeReward;
import org.refinepoi.rl.reward.ParsedAnswer;
import org.refinepoi.rl.reward.RankingRewards;
import org.refinepoi.rl.reward.RewardFunction;
import org.refinepoi.rl.reward.SoftAccuracyReward;

/**
 * The recommended model over one ID scheme: a {@link HistoryPolicy} trained by SFT on every next
 * check-in of the training trajectories, then by list GRPO on the evaluated kind of training
 * sample, each stage keeping its best state by NDCG@10 on validation samples. Evaluates the policy
 * (its most likely rankings) on test samples. Get one from {@link
 * RecommendationExperiment#recommendedModel}; it owns the policy's native memory, so close it. Not
 * thread-safe.
 */
public final class HistoryRun implements AutoCloseable {

  private final ExperimentConfig config;
  private final SchemeIds ids;
  private final String label;
  private final HistoryPolicy policy;
  private final ProgressReporter progress;
  private final TrainingRecorder curves;
  private final Evaluator evaluator;
  private double trainSeconds;
  private List<int[]> lastTestRankings = List.of();

  HistoryRun(
      ExperimentConfig config,
      HistoryEvidence evidence,
      SchemeIds ids,
      HistoryPolicyConfig policyConfig,
      int userCount,
      String label,
      Evaluator evaluator,
      ProgressReporter progress,
      TrainingRecorder curves) {
    this.config = config;
    this.ids = ids;
    this.label = label;
    this.evaluator = evaluator;
    this.progress = progress;
    this.curves = curves;
    this.policy = HistoryPolicy.create(policyConfig, evidence, ids.index(), userCount);
  }

  /** The policy. */
  public HistoryPolicy policy() {
    return policy;
  }

  /** SFT with validation NDCG@10 picking the epoch; the details for {@code metrics.json}. */
  public Map<String, Object> sft(List<Sample> train, List<Sample> validation) {
    SftConfig sft =
        new SftConfig(
            config.policyEpochs(),
            config.policyBatchSize(),
            config.policyLearningRate(),
            0.05,
            0.1,
            1.0,
            config.seed(),
            0,
            256,
            Integer.MAX_VALUE);
    long start = System.nanoTime();
    long steps = (long) (train.size() / Math.min(sft.batchSize(), train.size())) * sft.epochs();
    SftTrainer.Result result;
    List<Double> validationNdcg = new ArrayList<>();
    try (ProgressReporter.Task task = progress.start("SFT (" + label + ")", steps, "step")) {
      SftListener recorded = curves.sft(label);
      SftListener bar = ProgressListeners.sft(task);
      result =
          new HistorySftTrainer(sft)
              .train(
                  policy,
                  train,
                  validation,
                  p -> {
                    double v = ndcg10(validation);
                    validationNdcg.add(v);
                    return v;
                  },
                  new SftListener() {
                    @Override
                    public void onStep(Step step) {
                      recorded.onStep(step);
                      bar.onStep(step);
                    }

                    @Override
                    public void onEpoch(Epoch epoch) {
                      recorded.onEpoch(epoch);
                      bar.onEpoch(epoch);
                    }
                  });
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    trainSeconds += seconds;
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("policy", "history pointer-generator");
    d.put("policy_config", policy.config().toString());
    d.put("parameters", policy.parameterCount());
    d.put("sft_train_samples", train.size());
    d.put("sft_validation_samples", validation.size());
    d.put("sft_epochs_run", result.epochs().size());
    d.put("sft_best_epoch", result.bestEpoch() + 1);
    d.put(
        "sft_train_loss_per_epoch",
        result.epochs().stream().map(SftListener.Epoch::trainLoss).toList());
    d.put(
        "sft_validation_loss_per_epoch",
        result.epochs().stream().map(SftListener.Epoch::validationLoss).toList());
    d.put("sft_validation_ndcg10_per_epoch", validationNdcg);
    d.put("sft_samples_per_s", result.examplesPerSecond());
    d.put("sft_seconds", seconds);
    return d;
  }

  /**
   * List GRPO from the current policy with a fresh optimizer, validation NDCG@10 every few steps,
   * and the best state kept; the details for {@code metrics.json}.
   */
  public Map<String, Object> rl(List<Sample> prompts, List<Sample> validation) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("rl", "list GRPO (Plackett-Luce over the policy's candidates)");
    if (config.rlSteps() == 0) {
      d.put("rl_steps", 0);
      return d;
    }
    // Half of the validation samples pick the RL step, the other half decides whether RL is kept
    // at all: a step picked on the same samples that judge it would look better than it is.
    List<Sample> selection = new ArrayList<>();
    List<Sample> acceptance = new ArrayList<>();
    for (int i = 0; i < validation.size(); i++) {
      (i % 2 == 0 ? selection : acceptance).add(validation.get(i));
    }
    byte[] sftState = state();
    int[] sftRanks = ranks(acceptance);
    policy.resetOptimizer();
    GrpoConfig grpo =
        GrpoConfig.builder()
            .groupSize(config.rlGroupSize())
            .promptsPerBatch(config.rlPromptsPerBatch())
            .clip(0.2, 0.28)
            .beta(config.rlBeta())
            .learningRate(config.rlLearningRate())
            .scaling(RewardScaling.NONE)
            .sampling(config.rlTemperature(), 1.0, ExperimentConfig.K)
            .seed(config.seed())
            .build();
    long start = System.nanoTime();
    List<StepMetrics> steps = new ArrayList<>();
    ListGrpoTrainer.ValidatedRun run;
    try (ProgressReporter.Task task =
        progress.start("GRPO (" + label + ")", config.rlSteps(), "step")) {
      StepListener bar = ProgressListeners.grpo(task);
      StepListener recorded = curves.grpo(label);
      ListGrpoTrainer<Sample> trainer =
          ListGrpoTrainer.builder((ListPolicy<Sample>) policy, reward(), prompts)
              .config(grpo)
              .listLength(ExperimentConfig.K)
              .listener(
                  m -> {
                    steps.add(m);
                    recorded.onStep(m);
                    bar.onStep(m);
                  })
              .build();
      run = trainer.train(config.rlSteps(), config.rlValidateEvery(), p -> ndcg10(selection));
    }
    // Acceptance on the other half: keep RL's state only when its NDCG@10 gain over SFT there
    // has a paired bootstrap interval above 0; otherwise the SFT state stays.
    int[] rlRanks = ranks(acceptance);
    PairedBootstrap.Interval gain =
        PairedBootstrap.difference(
            PairedBootstrap.Metric.NDCG_10,
            rlRanks,
            sftRanks,
            PairedBootstrap.DEFAULT_RESAMPLES,
            config.seed());
    boolean accepted = gain.above0();
    if (!accepted) {
      restore(sftState);
    }
    for (int i = 0; i < run.validationSteps().size(); i++) {
      curves.validation(label, run.validationSteps().get(i), run.validationScores().get(i));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    trainSeconds += seconds;
    long rollouts = (long) steps.size() * config.rlPromptsPerBatch() * config.rlGroupSize();
    d.put("rl_steps", steps.size());
    d.put("rl_rollouts", rollouts);
    d.put("rl_reward", "z-scored within each group, then 1 NDCG@10 + 1 RR@10 + 0.5 soft accuracy");
    d.put("rl_validation_steps", run.validationSteps());
    d.put("rl_validation_ndcg10", run.validationScores());
    d.put("rl_best_step", run.bestStep());
    d.put("rl_best_validation_ndcg10", run.bestScore());
    d.put("rl_selection_samples", selection.size());
    d.put("rl_acceptance_samples", acceptance.size());
    d.put("rl_acceptance_ndcg10_gain", gain.delta());
    d.put("rl_acceptance_ndcg10_gain_lo", gain.lo());
    d.put("rl_acceptance_ndcg10_gain_hi", gain.hi());
    d.put("rl_accepted", accepted);
    d.put(
        "rl_ndcg_first_quarter", meanTerm(steps.subList(0, Math.max(1, steps.size() / 4)), "ndcg"));
    d.put(
        "rl_ndcg_last_quarter",
        meanTerm(
            steps.subList(steps.size() - Math.max(1, steps.size() / 4), steps.size()), "ndcg"));
    d.put("rl_kl_last_step", steps.getLast().kl());
    d.put("rl_entropy_last_step", steps.getLast().entropy());
    d.put("rl_rollouts_per_s", rollouts / seconds);
    d.put("rl_seconds", seconds);
    return d;
  }

  private static double meanTerm(List<StepMetrics> steps, String term) {
    return steps.stream()
        .mapToDouble(m -> m.termMeans().getOrDefault(term, Double.NaN))
        .average()
        .orElse(Double.NaN);
  }

  /**
   * The list reward: NDCG@10, reciprocal rank and the topology-aware soft accuracy, each z-scored
   * within its group before the weighted sum (normalize then sum, GDPO). Format, length and
   * diversity are left out: a ranking of distinct candidates always earns them in full.
   */
  private RewardFunction<Sample, int[]> reward() {
    List<SemanticId> byPoi = ids.idsByPoi();
    int k = ExperimentConfig.K;
    return CompositeReward.<Sample, int[]>builder(
            s -> Optional.of(byPoi.get(s.targetPoi())),
            list -> ParsedAnswer.of(Arrays.stream(list).mapToObj(byPoi::get).toList()))
        .add(RankingRewards.ndcg(k), 1.0)
        .add(RankingRewards.reciprocalRank(k), 1.0)
        .add(SoftAccuracyReward.builder(ids.space(), k).build(), 0.5)
        .noGating()
        .combination(CompositeReward.Combination.GROUP_Z_SCORE)
        .name("list ranking reward")
        .build();
  }

  private byte[] state() {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      policy.save(out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot keep the SFT state", e);
    }
    return out.toByteArray();
  }

  private void restore(byte[] state) {
    try {
      policy.load(new java.io.ByteArrayInputStream(state));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot restore the SFT state", e);
    }
  }

  /** The rank of each sample's target in the policy's top-10 list. */
  private int[] ranks(List<Sample> samples) {
    List<int[]> lists = rankings(samples);
    int[] out = new int[samples.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = RankingMetrics.rankOf(lists.get(i), samples.get(i).targetPoi());
    }
    return out;
  }

  /** The policy's top-10 lists of samples, in batches. */
  public List<int[]> rankings(List<Sample> samples) {
    List<int[]> out = new ArrayList<>(samples.size());
    int batch = 256;
    for (int from = 0; from < samples.size(); from += batch) {
      out.addAll(
          policy.recommend(
              samples.subList(from, Math.min(samples.size(), from + batch)), ExperimentConfig.K));
    }
    return out;
  }

  /** Mean NDCG@10 of the policy's most likely rankings. */
  public double ndcg10(List<Sample> samples) {
    List<int[]> lists = rankings(samples);
    double sum = 0;
    for (int i = 0; i < samples.size(); i++) {
      sum +=
          RankingMetrics.ndcgAt(
              RankingMetrics.rankOf(lists.get(i), samples.get(i).targetPoi()), 10);
    }
    return sum / samples.size();
  }

  /** The policy's test metrics and per-sample ranks as a method of the experiment. */
  public MethodResult evaluate(
      String method, String kind, String role, List<Sample> test, Map<String, Object> details) {
    long start = System.nanoTime();
    List<int[]> lists;
    try (ProgressReporter.Task task = progress.start("rank " + method, test.size(), "sample")) {
      lists = rankings(test);
      task.stepBy(test.size());
    }
    lastTestRankings = List.copyOf(lists);
    Recommender lookup = PrecomputedRankings.of(method, test, lists);
    EvaluationResult e = evaluator.evaluate(lookup, test);
    int[] ranks = evaluator.ranks(lookup, test);
    Map<String, Object> d = new LinkedHashMap<>(details);
    d.put("decoding", "most likely ranking (candidates by the policy's probability)");
    double seconds = (System.nanoTime() - start) / 1e9;
    d.put("test_samples_per_s", test.size() / seconds);
    return new MethodResult(
        e, kind, role, Optional.of(ids.scheme()), config.seed(), trainSeconds, seconds, d, ranks);
  }

  /**
   * The top-10 lists of the last {@link #evaluate} call, in the order of its samples (empty before
   * the first): what the report's example lists and ID-distance chart read.
   */
  public List<int[]> lastTestRankings() {
    return lastTestRankings.stream().map(int[]::clone).toList();
  }

  @Override
  public void close() {
    policy.close();
  }
}
