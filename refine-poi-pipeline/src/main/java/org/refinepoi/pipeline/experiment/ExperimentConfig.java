package org.refinepoi.pipeline.experiment;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.rl.djl.HistoryPolicyConfig;

/**
 * The settings of a {@link RecommendationExperiment}; build with {@link #builder()}. Every value is
 * validated when set. Defaults (sized so that the whole Foursquare NYC run with every ablation fits
 * in 30 minutes on two CPU cores):
 *
 * <ul>
 *   <li>seed 42 (every random choice derives from it: features' SVD, SOMs, k-means, random IDs,
 *       model initialization, shuffling, rollouts);
 *   <li>the standard protocol ({@link ProtocolConfig#defaults()});
 *   <li>ID lattices 16×16 then 4×4 (for a city of ~3k POIs; the demo picks 9×9 for the default
 *       synthetic city's 1,861 surviving POIs);
 *   <li><b>the recommended model</b>: {@link HistoryPolicyConfig} defaults (width 64, 2 layers, 8
 *       recent check-ins, 32 copy candidates, copy path and history summary on); SFT for 2 epochs
 *       on every next check-in of the training trajectories, batches of 128, peak learning rate
 *       2e-3 (linear warm-up over 5% of the steps, cosine decay to 10%), the epoch with the best
 *       validation NDCG@10 kept; then list GRPO for 300 steps of 16 prompts × 64 Plackett-Luce
 *       rankings, learning rate 1e-4 with a fresh AdamW, clip 0.2 / 0.28 (clip-higher), beta 0.05
 *       (k3 KL to the SFT policy), temperature 1, the reward NDCG@10 + RR@10 + 0.5 soft accuracy
 *       normalized per term within each group; half of the validation samples (every other one)
 *       score the policy every 25 steps and pick the best state, the other half decides whether RL
 *       is kept at all (its NDCG@10 gain over SFT there needs a paired bootstrap interval above 0;
 *       otherwise the SFT state stays). Measured on NYC: one more SFT epoch over-fits (validation
 *       NDCG@10 falls), and RL with groups of 8 moves validation NDCG@10 by noise only, with 64 by
 *       a few thousandths;
 *   <li>validation: at most the 5,000 most recent validation samples;
 *   <li>ablations: all of {@link Ablation} (copy path off, history summary off, RQ-KMeans IDs,
 *       random IDs: each SFT then list GRPO like the recommended model; and the first round's
 *       token-level model);
 *   <li>the token-level ablation's own settings (the first round's model): prompts of the 6 most
 *       recent earlier check-ins and at most 6 check-ins of the current trajectory; a decoder-only
 *       Transformer of width 64, 2 layers, 4 heads, MLP width 128; SFT for at most 8 epochs
 *       (batches of 64, learning rate 3e-3, patience 1); token-level GRPO for 60 steps of 8 prompts
 *       × 8 whole top-10 lists under the trie, learning rate 5e-4, beta 0, temperature 1, the
 *       paper's five terms; evaluation by beam search (width 20, 64 prompts per batch).
 * </ul>
 */
public final class ExperimentConfig {

  /** Recommendation list length (the k of top-k): 10. */
  public static final int K = 10;

  private final long seed;
  private final ProtocolConfig protocol;
  private final LatticeSpec level1;
  private final LatticeSpec level2;
  private final int longTermCheckIns;
  private final int shortTermCheckIns;
  private final int dModel;
  private final int layers;
  private final int heads;
  private final int mlpWidth;
  private final int sftMaxEpochs;
  private final int sftBatchSize;
  private final double sftLearningRate;
  private final int sftPatience;
  private final int maxSftSamples;
  private final int maxValidationSamples;
  private final int grpoSteps;
  private final int groupSize;
  private final int promptsPerBatch;
  private final double grpoLearningRate;
  private final double beta;
  private final double temperature;
  private final int beamWidth;
  private final int evalBatchSize;
  private final HistoryPolicyConfig policy;
  private final int policyEpochs;
  private final int policyBatchSize;
  private final double policyLearningRate;
  private final int rlSteps;
  private final int rlPromptsPerBatch;
  private final int rlGroupSize;
  private final double rlLearningRate;
  private final double rlBeta;
  private final double rlTemperature;
  private final int rlValidateEvery;
  private final Set<Ablation> ablations;

  /** The ablations the experiment can run beside the recommended model. */
  public enum Ablation {
    /** The history policy without its copy path (generation only). */
    COPY_OFF("copy-off"),
    /** The history policy reading only the recent check-ins (no history summary). */
    SUMMARY_OFF("summary-off"),
    /** The history policy over RQ-KMeans IDs (topology-blind). */
    RQ_KMEANS_IDS("rq-kmeans-ids"),
    /** The history policy over random IDs. */
    RANDOM_IDS("random-ids"),
    /** The first round's token-level Transformer: SFT on the target then token-level list GRPO. */
    TOKEN_GRPO("token-grpo");

    private final String key;

    Ablation(String key) {
      this.key = key;
    }

    /** The name on the command line and in {@code metrics.json}. */
    public String key() {
      return key;
    }

    /** The ablation of a key. */
    public static Ablation ofKey(String key) {
      for (Ablation a : values()) {
        if (a.key.equals(key)) {
          return a;
        }
      }
      throw new IllegalArgumentException(
          "unknown ablation '%s'; one of %s"
              .formatted(key, java.util.Arrays.stream(values()).map(Ablation::key).toList()));
    }
  }

  private ExperimentConfig(Builder b) {
    this.seed = b.seed;
    this.protocol = b.protocol;
    this.level1 = b.level1;
    this.level2 = b.level2;
    this.longTermCheckIns = b.longTermCheckIns;
    this.shortTermCheckIns = b.shortTermCheckIns;
    this.dModel = b.dModel;
    this.layers = b.layers;
    this.heads = b.heads;
    this.mlpWidth = b.mlpWidth;
    this.sftMaxEpochs = b.sftMaxEpochs;
    this.sftBatchSize = b.sftBatchSize;
    this.sftLearningRate = b.sftLearningRate;
    this.sftPatience = b.sftPatience;
    this.maxSftSamples = b.maxSftSamples;
    this.maxValidationSamples = b.maxValidationSamples;
    this.grpoSteps = b.grpoSteps;
    this.groupSize = b.groupSize;
    this.promptsPerBatch = b.promptsPerBatch;
    this.grpoLearningRate = b.grpoLearningRate;
    this.beta = b.beta;
    this.temperature = b.temperature;
    this.beamWidth = b.beamWidth;
    this.evalBatchSize = b.evalBatchSize;
    this.policy = b.policy.toBuilder().seed(b.seed).build();
    this.policyEpochs = b.policyEpochs;
    this.policyBatchSize = b.policyBatchSize;
    this.policyLearningRate = b.policyLearningRate;
    this.rlSteps = b.rlSteps;
    this.rlPromptsPerBatch = b.rlPromptsPerBatch;
    this.rlGroupSize = b.rlGroupSize;
    this.rlLearningRate = b.rlLearningRate;
    this.rlBeta = b.rlBeta;
    this.rlTemperature = b.rlTemperature;
    this.rlValidateEvery = b.rlValidateEvery;
    this.ablations = java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(b.ablations));
  }

  /** A builder holding the documented defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder preset for tests and smoke runs: 6×6 then 2×2 lattices, a width-16 one-layer model,
   * prompts of 3 + 3 check-ins, one SFT epoch over at most 200 samples, 2 GRPO steps of 2 prompts,
   * beam width 10. Numbers from it mean nothing; it checks that everything runs.
   */
  public static Builder quick() {
    return new Builder()
        .lattices(LatticeSpec.rectangular(6, 6), LatticeSpec.rectangular(2, 2))
        .model(16, 1, 2, 32)
        .prompts(3, 3)
        .sft(1, 32, 3e-3, 0)
        .maxSftSamples(200)
        .maxValidationSamples(50)
        .grpo(2, 2, 2e-4, 0.02)
        .beamWidth(10)
        .policy(HistoryPolicyConfig.builder().model(16, 1, 2, 32).context(4, 8).build())
        .policyTraining(1, 32, 3e-3)
        .listGrpo(2, 2, 4, 1e-4, 0.05)
        .validateEvery(1);
  }

  /** A builder with this config's values. */
  public Builder toBuilder() {
    return new Builder()
        .seed(seed)
        .protocol(protocol)
        .lattices(level1, level2)
        .prompts(longTermCheckIns, shortTermCheckIns)
        .model(dModel, layers, heads, mlpWidth)
        .sft(sftMaxEpochs, sftBatchSize, sftLearningRate, sftPatience)
        .maxSftSamples(maxSftSamples)
        .maxValidationSamples(maxValidationSamples)
        .grpo(grpoSteps, promptsPerBatch, grpoLearningRate, beta)
        .groupSize(groupSize)
        .temperature(temperature)
        .beamWidth(beamWidth)
        .evalBatchSize(evalBatchSize)
        .policy(policy)
        .policyTraining(policyEpochs, policyBatchSize, policyLearningRate)
        .listGrpo(rlSteps, rlPromptsPerBatch, rlGroupSize, rlLearningRate, rlBeta)
        .listTemperature(rlTemperature)
        .validateEvery(rlValidateEvery)
        .ablations(ablations);
  }

  /** The master seed. */
  public long seed() {
    return seed;
  }

  /** The data protocol. */
  public ProtocolConfig protocol() {
    return protocol;
  }

  /** The level-1 lattice of every ID scheme. */
  public LatticeSpec level1() {
    return level1;
  }

  /** The level-2 lattice of every ID scheme. */
  public LatticeSpec level2() {
    return level2;
  }

  /** Earlier check-ins in a prompt (long-term memory). */
  public int longTermCheckIns() {
    return longTermCheckIns;
  }

  /** Most recent check-ins of the current trajectory in a prompt. */
  public int shortTermCheckIns() {
    return shortTermCheckIns;
  }

  /** Transformer width. */
  public int dModel() {
    return dModel;
  }

  /** Transformer layers. */
  public int layers() {
    return layers;
  }

  /** Attention heads. */
  public int heads() {
    return heads;
  }

  /** MLP hidden width. */
  public int mlpWidth() {
    return mlpWidth;
  }

  /** The most SFT epochs (fewer when early stopping ends training). */
  public int sftMaxEpochs() {
    return sftMaxEpochs;
  }

  /** SFT batch size. */
  public int sftBatchSize() {
    return sftBatchSize;
  }

  /** SFT peak learning rate. */
  public double sftLearningRate() {
    return sftLearningRate;
  }

  /** SFT early-stopping patience in epochs (0 = never stop early). */
  public int sftPatience() {
    return sftPatience;
  }

  /** Cap on SFT training samples, the most recent kept (0 = all). */
  public int maxSftSamples() {
    return maxSftSamples;
  }

  /** Cap on the validation samples of the SFT validation loss (0 = all). */
  public int maxValidationSamples() {
    return maxValidationSamples;
  }

  /** GRPO steps per policy. */
  public int grpoSteps() {
    return grpoSteps;
  }

  /** GRPO group size G (lists per prompt). */
  public int groupSize() {
    return groupSize;
  }

  /** GRPO prompts per step. */
  public int promptsPerBatch() {
    return promptsPerBatch;
  }

  /** GRPO learning rate (constant). */
  public double grpoLearningRate() {
    return grpoLearningRate;
  }

  /** GRPO KL coefficient to the SFT reference (0 = none). */
  public double beta() {
    return beta;
  }

  /** GRPO sampling temperature. */
  public double temperature() {
    return temperature;
  }

  /** Beam width of the evaluation's beam search. */
  public int beamWidth() {
    return beamWidth;
  }

  /** Prompts per beam-search batch. */
  public int evalBatchSize() {
    return evalBatchSize;
  }

  /** Whether any ablation runs. */
  public boolean ablations() {
    return !ablations.isEmpty();
  }

  /** The ablations that run. */
  public Set<Ablation> ablationSet() {
    return ablations;
  }

  /** The recommended model's shape and switches (its seed is the experiment's). */
  public HistoryPolicyConfig policy() {
    return policy;
  }

  /** SFT epochs of the history policy (the validation split picks the best). */
  public int policyEpochs() {
    return policyEpochs;
  }

  /** SFT batch size of the history policy. */
  public int policyBatchSize() {
    return policyBatchSize;
  }

  /** Peak SFT learning rate of the history policy. */
  public double policyLearningRate() {
    return policyLearningRate;
  }

  /** List-GRPO steps (0 = SFT only). */
  public int rlSteps() {
    return rlSteps;
  }

  /** Prompts per list-GRPO step. */
  public int rlPromptsPerBatch() {
    return rlPromptsPerBatch;
  }

  /** Ranked lists sampled per prompt. */
  public int rlGroupSize() {
    return rlGroupSize;
  }

  /** List-GRPO learning rate (constant, fresh AdamW). */
  public double rlLearningRate() {
    return rlLearningRate;
  }

  /** KL coefficient of list GRPO (k3 to the SFT policy). */
  public double rlBeta() {
    return rlBeta;
  }

  /** Plackett-Luce sampling temperature of list GRPO. */
  public double rlTemperature() {
    return rlTemperature;
  }

  /** Steps between validation scores during list GRPO. */
  public int rlValidateEvery() {
    return rlValidateEvery;
  }

  /** The settings as an ordered map, for the results files. */
  public Map<String, Object> describe() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seed", seed);
    m.put("protocol", protocol.toString());
    m.put("level1", level1.rows() + "x" + level1.cols());
    m.put("level2", level2.rows() + "x" + level2.cols());
    m.put("k", K);
    m.put("long_term_check_ins", longTermCheckIns);
    m.put("short_term_check_ins", shortTermCheckIns);
    m.put("d_model", dModel);
    m.put("layers", layers);
    m.put("heads", heads);
    m.put("mlp_width", mlpWidth);
    m.put("sft_max_epochs", sftMaxEpochs);
    m.put("sft_batch_size", sftBatchSize);
    m.put("sft_learning_rate", sftLearningRate);
    m.put("sft_patience", sftPatience);
    m.put("max_sft_samples", maxSftSamples);
    m.put("max_validation_samples", maxValidationSamples);
    m.put("grpo_steps", grpoSteps);
    m.put("group_size", groupSize);
    m.put("prompts_per_batch", promptsPerBatch);
    m.put("grpo_learning_rate", grpoLearningRate);
    m.put("beta", beta);
    m.put("temperature", temperature);
    m.put("beam_width", beamWidth);
    m.put("eval_batch_size", evalBatchSize);
    m.put("policy", ExperimentConfigFile.describe(policy));
    m.put("policy_epochs", policyEpochs);
    m.put("policy_batch_size", policyBatchSize);
    m.put("policy_learning_rate", policyLearningRate);
    m.put("rl_steps", rlSteps);
    m.put("rl_prompts_per_batch", rlPromptsPerBatch);
    m.put("rl_group_size", rlGroupSize);
    m.put("rl_learning_rate", rlLearningRate);
    m.put("rl_beta", rlBeta);
    m.put("rl_temperature", rlTemperature);
    m.put("rl_validate_every", rlValidateEvery);
    m.put("ablations", ablations.stream().map(Ablation::key).toList());
    return m;
  }

  @Override
  public String toString() {
    return "ExperimentConfig" + describe();
  }

  /** Builds an {@link ExperimentConfig}; see the class comment for the defaults. */
  public static final class Builder {
    private long seed = 42;
    private ProtocolConfig protocol = ProtocolConfig.defaults();
    private LatticeSpec level1 = LatticeSpec.rectangular(16, 16);
    private LatticeSpec level2 = LatticeSpec.rectangular(4, 4);
    private int longTermCheckIns = 6;
    private int shortTermCheckIns = 6;
    private int dModel = 64;
    private int layers = 2;
    private int heads = 4;
    private int mlpWidth = 128;
    private int sftMaxEpochs = 8;
    private int sftBatchSize = 64;
    private double sftLearningRate = 3e-3;
    private int sftPatience = 1;
    private int maxSftSamples = 0;
    private int maxValidationSamples = 5000;
    private int grpoSteps = 60;
    private int groupSize = 8;
    private int promptsPerBatch = 8;
    private double grpoLearningRate = 5e-4;
    private double beta = 0.0;
    private double temperature = 1.0;
    private int beamWidth = 20;
    private int evalBatchSize = 64;
    private HistoryPolicyConfig policy = HistoryPolicyConfig.builder().build();
    private int policyEpochs = 2;
    private int policyBatchSize = 128;
    private double policyLearningRate = 2e-3;
    private int rlSteps = 300;
    private int rlPromptsPerBatch = 16;
    private int rlGroupSize = 64;
    private double rlLearningRate = 1e-4;
    private double rlBeta = 0.05;
    private double rlTemperature = 1.0;
    private int rlValidateEvery = 25;
    private Set<Ablation> ablations = java.util.EnumSet.allOf(Ablation.class);

    private Builder() {}

    /** The master seed. */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /** The data protocol. */
    public Builder protocol(ProtocolConfig value) {
      this.protocol = checkNotNull(value, "protocol");
      return this;
    }

    /** The two ID lattices; level 1 needs at least 2 cells. */
    public Builder lattices(LatticeSpec first, LatticeSpec second) {
      checkNotNull(first, "level1");
      checkNotNull(second, "level2");
      checkArgument(first.size() >= 2, "the level-1 lattice needs at least 2 cells");
      this.level1 = first;
      this.level2 = second;
      return this;
    }

    /** Long-term and short-term check-ins per prompt (long-term >= 0, short-term >= 1). */
    public Builder prompts(int longTerm, int shortTerm) {
      checkArgument(longTerm >= 0, "long-term check-ins must be >= 0, got %s", longTerm);
      checkArgument(shortTerm >= 1, "short-term check-ins must be >= 1, got %s", shortTerm);
      this.longTermCheckIns = longTerm;
      this.shortTermCheckIns = shortTerm;
      return this;
    }

    /** Transformer size; {@code width} must be divisible by {@code heads}. */
    public Builder model(int width, int layerCount, int headCount, int mlp) {
      checkArgument(width >= 1 && layerCount >= 1 && headCount >= 1 && mlp >= 1, "sizes >= 1");
      checkArgument(
          width % headCount == 0, "width %s is not divisible by %s heads", width, headCount);
      this.dModel = width;
      this.layers = layerCount;
      this.heads = headCount;
      this.mlpWidth = mlp;
      return this;
    }

    /** SFT: most epochs (>= 1), batch size (>= 1), peak learning rate (> 0), patience (>= 0). */
    public Builder sft(int maxEpochs, int batchSize, double learningRate, int patience) {
      checkArgument(maxEpochs >= 1, "SFT epochs must be >= 1, got %s", maxEpochs);
      checkArgument(batchSize >= 1, "SFT batch size must be >= 1, got %s", batchSize);
      checkArgument(
          Double.isFinite(learningRate) && learningRate > 0,
          "SFT learning rate must be finite and > 0, got %s",
          learningRate);
      checkArgument(patience >= 0, "SFT patience must be >= 0, got %s", patience);
      this.sftMaxEpochs = maxEpochs;
      this.sftBatchSize = batchSize;
      this.sftLearningRate = learningRate;
      this.sftPatience = patience;
      return this;
    }

    /** Cap on SFT training samples, keeping the most recent (0 = all). */
    public Builder maxSftSamples(int value) {
      checkArgument(value >= 0, "maxSftSamples must be >= 0, got %s", value);
      this.maxSftSamples = value;
      return this;
    }

    /** Cap on the validation samples of the SFT validation loss (0 = all). */
    public Builder maxValidationSamples(int value) {
      checkArgument(value >= 0, "maxValidationSamples must be >= 0, got %s", value);
      this.maxValidationSamples = value;
      return this;
    }

    /**
     * GRPO: steps (>= 0; 0 skips GRPO), prompts per step (>= 1), learning rate (> 0), KL
     * coefficient (>= 0).
     */
    public Builder grpo(int steps, int prompts, double learningRate, double klBeta) {
      checkArgument(steps >= 0, "GRPO steps must be >= 0, got %s", steps);
      checkArgument(prompts >= 1, "GRPO prompts per step must be >= 1, got %s", prompts);
      checkArgument(
          Double.isFinite(learningRate) && learningRate > 0,
          "GRPO learning rate must be finite and > 0, got %s",
          learningRate);
      checkArgument(klBeta >= 0 && Double.isFinite(klBeta), "beta must be >= 0, got %s", klBeta);
      this.grpoSteps = steps;
      this.promptsPerBatch = prompts;
      this.grpoLearningRate = learningRate;
      this.beta = klBeta;
      return this;
    }

    /** GRPO group size (>= 2: a group of one has no spread). */
    public Builder groupSize(int value) {
      checkArgument(value >= 2, "group size must be >= 2, got %s", value);
      this.groupSize = value;
      return this;
    }

    /** GRPO sampling temperature (> 0). */
    public Builder temperature(double value) {
      checkArgument(
          Double.isFinite(value) && value > 0, "temperature must be finite and > 0, got %s", value);
      this.temperature = value;
      return this;
    }

    /** Beam width of evaluation (>= k = 10). */
    public Builder beamWidth(int value) {
      checkArgument(value >= K, "beam width must be >= %s, got %s", K, value);
      this.beamWidth = value;
      return this;
    }

    /** Prompts per beam-search batch (>= 1). */
    public Builder evalBatchSize(int value) {
      checkArgument(value >= 1, "eval batch size must be >= 1, got %s", value);
      this.evalBatchSize = value;
      return this;
    }

    /** All ablations, or none. */
    public Builder ablations(boolean value) {
      this.ablations =
          value
              ? java.util.EnumSet.allOf(Ablation.class)
              : java.util.EnumSet.noneOf(Ablation.class);
      return this;
    }

    /** The ablations to run (may be empty). */
    public Builder ablations(Set<Ablation> value) {
      checkNotNull(value, "ablations");
      this.ablations =
          value.isEmpty()
              ? java.util.EnumSet.noneOf(Ablation.class)
              : java.util.EnumSet.copyOf(value);
      return this;
    }

    /** The recommended model's shape and switches (its seed is replaced by the experiment's). */
    public Builder policy(HistoryPolicyConfig value) {
      this.policy = checkNotNull(value, "policy");
      return this;
    }

    /** History-policy SFT: epochs (>= 1), batch size (>= 1), peak learning rate (> 0). */
    public Builder policyTraining(int epochs, int batchSize, double learningRate) {
      checkArgument(epochs >= 1, "policy epochs must be >= 1, got %s", epochs);
      checkArgument(batchSize >= 1, "policy batch size must be >= 1, got %s", batchSize);
      checkArgument(
          Double.isFinite(learningRate) && learningRate > 0,
          "policy learning rate must be finite and > 0, got %s",
          learningRate);
      this.policyEpochs = epochs;
      this.policyBatchSize = batchSize;
      this.policyLearningRate = learningRate;
      return this;
    }

    /**
     * List GRPO: steps (>= 0; 0 = SFT only), prompts per step (>= 1), lists per prompt (>= 2),
     * learning rate (> 0), KL coefficient (>= 0).
     */
    public Builder listGrpo(int steps, int prompts, int group, double learningRate, double beta) {
      checkArgument(steps >= 0, "RL steps must be >= 0, got %s", steps);
      checkArgument(prompts >= 1, "RL prompts per step must be >= 1, got %s", prompts);
      checkArgument(group >= 2, "RL group size must be >= 2, got %s", group);
      checkArgument(
          Double.isFinite(learningRate) && learningRate > 0,
          "RL learning rate must be finite and > 0, got %s",
          learningRate);
      checkArgument(Double.isFinite(beta) && beta >= 0, "RL beta must be >= 0, got %s", beta);
      this.rlSteps = steps;
      this.rlPromptsPerBatch = prompts;
      this.rlGroupSize = group;
      this.rlLearningRate = learningRate;
      this.rlBeta = beta;
      return this;
    }

    /** Plackett-Luce sampling temperature of list GRPO (> 0). */
    public Builder listTemperature(double value) {
      checkArgument(
          Double.isFinite(value) && value > 0,
          "RL temperature must be finite and > 0, got %s",
          value);
      this.rlTemperature = value;
      return this;
    }

    /** Steps between validation scores during list GRPO (>= 1). */
    public Builder validateEvery(int value) {
      checkArgument(value >= 1, "validateEvery must be >= 1, got %s", value);
      this.rlValidateEvery = value;
      return this;
    }

    /** The config. */
    public ExperimentConfig build() {
      return new ExperimentConfig(this);
    }
  }
}
