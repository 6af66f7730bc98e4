package org.refinepoi.examples.pipeline;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.core.sid.LatticeSpec;

/**
 * The settings of a {@link RecommendationExperiment}; build with {@link #builder()}. Every value is
 * validated when set. Defaults (sized so that the whole Foursquare NYC run, three SFT and four GRPO
 * trainings, fits in 30 minutes on two CPU cores):
 *
 * <ul>
 *   <li>seed 42 (every random choice derives from it: features' SVD, SOMs, k-means, random IDs,
 *       model initialization, shuffling, rollouts);
 *   <li>the standard protocol ({@link ProtocolConfig#defaults()});
 *   <li>ID lattices 16×16 then 4×4 (for a city of ~3k POIs; the demo picks 9×9 for the default
 *       synthetic city's 1,861 surviving POIs);
 *   <li>prompts of the 6 most recent earlier check-ins (long-term memory) and at most 6 check-ins
 *       of the current trajectory (about 60 tokens: the per-token cost dominates on a CPU);
 *   <li>a decoder-only Transformer of width 64, 2 layers (so that attention can learn to copy IDs
 *       from the history), 4 heads, MLP width 128;
 *   <li>SFT: at most 8 epochs over all training samples, batches of 64 at peak learning rate 3e-3,
 *       validation loss after each epoch on at most 1,000 validation samples, early stopping after
 *       1 epoch without improvement (the validation split picks the epoch count; the best epoch is
 *       restored). Measured on NYC: ~3,000 samples/s for a width-32 model on the idle machine,
 *       25-250 samples/s for width 32-64 while other jobs shared its two cores;
 *   <li>GRPO: 60 steps of 8 prompts × group size 8 (3,840 rollouts of whole top-10 lists under the
 *       trie), learning rate 5e-4, beta 0 (no KL term, no reference: TRL's default; with beta 0.02
 *       the k3 KL run on NYC hit a non-finite gradient within 5 steps), temperature 1, the
 *       composite reward of the paper's five terms ({@code CompositeReward.paperTerms}: format 1,
 *       reciprocal rank 1, soft accuracy 1, diversity 0.5, length 0.5);
 *   <li>evaluation: top-10 lists by beam search over the ID trie (beam width 20), 64 prompts per
 *       batch; metrics at list size 10 for every method (MRR is MRR@10);
 *   <li>ablations on (SFT+GRPO with RQ-KMeans IDs, with random IDs, and without soft accuracy).
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
  private final boolean ablations;

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
    this.ablations = b.ablations;
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
        .beamWidth(10);
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

  /** Whether the ablations run. */
  public boolean ablations() {
    return ablations;
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
    m.put("ablations", ablations);
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
    private int maxValidationSamples = 1000;
    private int grpoSteps = 60;
    private int groupSize = 8;
    private int promptsPerBatch = 8;
    private double grpoLearningRate = 5e-4;
    private double beta = 0.0;
    private double temperature = 1.0;
    private int beamWidth = 20;
    private int evalBatchSize = 64;
    private boolean ablations = true;

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

    /** Whether the three ablations run. */
    public Builder ablations(boolean value) {
      this.ablations = value;
      return this;
    }

    /** The config. */
    public ExperimentConfig build() {
      return new ExperimentConfig(this);
    }
  }
}
