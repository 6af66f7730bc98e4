package org.refinepoi.rl.grpo;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.refinepoi.rl.policy.SamplingConfig;

/**
 * The settings of a GRPO run; build with {@link #builder()}. Defaults follow TRL's {@code
 * GRPOTrainer} where it has one (docs/anchors.md):
 *
 * <ul>
 *   <li>{@code groupSize} G = 8 completions per prompt; {@code promptsPerBatch} = 8;
 *   <li>{@code epsLow} = {@code epsHigh} = 0.2 (set them apart for DAPO's asymmetric clipping);
 *   <li>{@code beta} = 0 (no KL term, no reference policy needed);
 *   <li>{@link LossAggregation#TOKEN_MEAN}; {@link RewardScaling#GROUP_STD} with {@code scaleEps} =
 *       1e-4;
 *   <li>{@code updatesPerBatch} (mu) = 1;
 *   <li>learning rate constant 1e-6 (TRL's default, meant for pretrained LLMs; a small model
 *       trained from scratch wants more); {@code maxGradNorm} = 1.0;
 *   <li>sampling temperature 1, top-p 1, {@code maxTokens} = 64; truncated completions are trained
 *       on ({@code maskTruncated} = false, TRL's default);
 *   <li>{@code seed} = 42.
 * </ul>
 *
 * Immutable; {@link #encode()} / {@link #decode(String)} give the text form stored in checkpoints.
 */
public final class GrpoConfig {

  private final int groupSize;
  private final int promptsPerBatch;
  private final double epsLow;
  private final double epsHigh;
  private final double beta;
  private final LossAggregation aggregation;
  private final RewardScaling scaling;
  private final double scaleEps;
  private final int updatesPerBatch;
  private final LearningRateSchedule schedule;
  private final double maxGradNorm;
  private final double temperature;
  private final double topP;
  private final int maxTokens;
  private final boolean maskTruncated;
  private final long seed;

  private GrpoConfig(Builder b) {
    this.groupSize = b.groupSize;
    this.promptsPerBatch = b.promptsPerBatch;
    this.epsLow = b.epsLow;
    this.epsHigh = b.epsHigh;
    this.beta = b.beta;
    this.aggregation = b.aggregation;
    this.scaling = b.scaling;
    this.scaleEps = b.scaleEps;
    this.updatesPerBatch = b.updatesPerBatch;
    this.schedule = b.schedule;
    this.maxGradNorm = b.maxGradNorm;
    this.temperature = b.temperature;
    this.topP = b.topP;
    this.maxTokens = b.maxTokens;
    this.maskTruncated = b.maskTruncated;
    this.seed = b.seed;
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    return new Builder()
        .groupSize(groupSize)
        .promptsPerBatch(promptsPerBatch)
        .clip(epsLow, epsHigh)
        .beta(beta)
        .aggregation(aggregation)
        .scaling(scaling)
        .scaleEps(scaleEps)
        .updatesPerBatch(updatesPerBatch)
        .schedule(schedule)
        .maxGradNorm(maxGradNorm)
        .sampling(temperature, topP, maxTokens)
        .maskTruncated(maskTruncated)
        .seed(seed);
  }

  /** Completions per prompt (G). */
  public int groupSize() {
    return groupSize;
  }

  /** Prompts per batch of rollouts. */
  public int promptsPerBatch() {
    return promptsPerBatch;
  }

  /** Lower clip range. */
  public double epsLow() {
    return epsLow;
  }

  /** Upper clip range. */
  public double epsHigh() {
    return epsHigh;
  }

  /** KL coefficient. */
  public double beta() {
    return beta;
  }

  /** Loss aggregation. */
  public LossAggregation aggregation() {
    return aggregation;
  }

  /** Reward scaling. */
  public RewardScaling scaling() {
    return scaling;
  }

  /** The constant added to the standard deviation. */
  public double scaleEps() {
    return scaleEps;
  }

  /** Optimizer steps per batch of rollouts (mu). */
  public int updatesPerBatch() {
    return updatesPerBatch;
  }

  /** The learning-rate schedule (indexed by optimizer step). */
  public LearningRateSchedule schedule() {
    return schedule;
  }

  /** Gradient clipping norm (infinity = none). */
  public double maxGradNorm() {
    return maxGradNorm;
  }

  /** Sampling temperature (also used to score). */
  public double temperature() {
    return temperature;
  }

  /** Sampling top-p. */
  public double topP() {
    return topP;
  }

  /** Most tokens per completion; the Dr. GRPO constant. */
  public int maxTokens() {
    return maxTokens;
  }

  /**
   * Whether completions cut at {@code maxTokens} are left out of the loss (their reward still
   * counts in the group statistics), as TRL's {@code mask_truncated_completions}.
   */
  public boolean maskTruncated() {
    return maskTruncated;
  }

  /** The run's seed. */
  public long seed() {
    return seed;
  }

  /** The sampling config of a step, with its derived seed. */
  public SamplingConfig sampling(long stepSeed) {
    return new SamplingConfig(temperature, topP, maxTokens, stepSeed);
  }

  /** The text form ({@code key=value} lines, fixed order, exact doubles). */
  public String encode() {
    StringBuilder sb = new StringBuilder();
    asMap().forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    return sb.toString();
  }

  private Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("groupSize", Integer.toString(groupSize));
    m.put("promptsPerBatch", Integer.toString(promptsPerBatch));
    m.put("epsLow", Double.toString(epsLow));
    m.put("epsHigh", Double.toString(epsHigh));
    m.put("beta", Double.toString(beta));
    m.put("aggregation", aggregation.name());
    m.put("scaling", scaling.name());
    m.put("scaleEps", Double.toString(scaleEps));
    m.put("updatesPerBatch", Integer.toString(updatesPerBatch));
    m.put("schedule.kind", schedule.kind().name());
    m.put("schedule.baseRate", Double.toString(schedule.baseRate()));
    m.put("schedule.warmupSteps", Integer.toString(schedule.warmupSteps()));
    m.put("schedule.totalSteps", Integer.toString(schedule.totalSteps()));
    m.put("schedule.minRate", Double.toString(schedule.minRate()));
    m.put("maxGradNorm", Double.toString(maxGradNorm));
    m.put("temperature", Double.toString(temperature));
    m.put("topP", Double.toString(topP));
    m.put("maxTokens", Integer.toString(maxTokens));
    m.put("maskTruncated", Boolean.toString(maskTruncated));
    m.put("seed", Long.toString(seed));
    return m;
  }

  /**
   * Reads the text form of {@link #encode()}.
   *
   * @throws IllegalArgumentException naming a missing, unknown or bad key
   */
  public static GrpoConfig decode(String text) {
    checkNotNull(text, "text");
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      int eq = line.indexOf('=');
      checkArgument(eq > 0, "bad config line: %s", line);
      m.put(line.substring(0, eq), line.substring(eq + 1));
    }
    try {
      GrpoConfig c =
          builder()
              .groupSize(Integer.parseInt(get(m, "groupSize")))
              .promptsPerBatch(Integer.parseInt(get(m, "promptsPerBatch")))
              .clip(Double.parseDouble(get(m, "epsLow")), Double.parseDouble(get(m, "epsHigh")))
              .beta(Double.parseDouble(get(m, "beta")))
              .aggregation(LossAggregation.valueOf(get(m, "aggregation")))
              .scaling(RewardScaling.valueOf(get(m, "scaling")))
              .scaleEps(Double.parseDouble(get(m, "scaleEps")))
              .updatesPerBatch(Integer.parseInt(get(m, "updatesPerBatch")))
              .schedule(
                  new LearningRateSchedule(
                      LearningRateSchedule.Kind.valueOf(get(m, "schedule.kind")),
                      Double.parseDouble(get(m, "schedule.baseRate")),
                      Integer.parseInt(get(m, "schedule.warmupSteps")),
                      Integer.parseInt(get(m, "schedule.totalSteps")),
                      Double.parseDouble(get(m, "schedule.minRate"))))
              .maxGradNorm(Double.parseDouble(get(m, "maxGradNorm")))
              .sampling(
                  Double.parseDouble(get(m, "temperature")),
                  Double.parseDouble(get(m, "topP")),
                  Integer.parseInt(get(m, "maxTokens")))
              .maskTruncated(parseBoolean(get(m, "maskTruncated")))
              .seed(Long.parseLong(get(m, "seed")))
              .build();
      checkArgument(c.asMap().keySet().equals(m.keySet()), "unknown config keys in %s", m.keySet());
      return c;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad number in GRPO config: " + e.getMessage(), e);
    }
  }

  private static boolean parseBoolean(String v) {
    checkArgument(v.equals("true") || v.equals("false"), "not a boolean: %s", v);
    return Boolean.parseBoolean(v);
  }

  private static String get(Map<String, String> m, String key) {
    String v = m.get(key);
    checkArgument(v != null, "GRPO config lacks %s", key);
    return v;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GrpoConfig other && encode().equals(other.encode());
  }

  @Override
  public int hashCode() {
    return encode().hashCode();
  }

  @Override
  public String toString() {
    return "GrpoConfig" + asMap();
  }

  /** Validating builder of {@link GrpoConfig}; defaults in the class comment. */
  public static final class Builder {
    private int groupSize = 8;
    private int promptsPerBatch = 8;
    private double epsLow = 0.2;
    private double epsHigh = 0.2;
    private double beta = 0;
    private LossAggregation aggregation = LossAggregation.TOKEN_MEAN;
    private RewardScaling scaling = RewardScaling.GROUP_STD;
    private double scaleEps = 1e-4;
    private int updatesPerBatch = 1;
    private LearningRateSchedule schedule = LearningRateSchedule.constant(1e-6);
    private double maxGradNorm = 1.0;
    private double temperature = 1.0;
    private double topP = 1.0;
    private int maxTokens = 64;
    private boolean maskTruncated = false;
    private long seed = 42;

    private Builder() {}

    /** Completions per prompt, {@code >= 2} (a group of one has no relative advantage). */
    public Builder groupSize(int value) {
      checkArgument(value >= 2, "groupSize must be >= 2, got %s", value);
      this.groupSize = value;
      return this;
    }

    /** Prompts per batch of rollouts, {@code >= 1}. */
    public Builder promptsPerBatch(int value) {
      checkArgument(value >= 1, "promptsPerBatch must be >= 1, got %s", value);
      this.promptsPerBatch = value;
      return this;
    }

    /** Clip ranges: {@code 0 <= low < 1}, {@code high >= 0}. */
    public Builder clip(double low, double high) {
      checkArgument(low >= 0 && low < 1, "epsLow must be in [0, 1), got %s", low);
      checkArgument(high >= 0 && Double.isFinite(high), "epsHigh must be >= 0, got %s", high);
      this.epsLow = low;
      this.epsHigh = high;
      return this;
    }

    /** KL coefficient, finite and {@code >= 0}. */
    public Builder beta(double value) {
      checkArgument(value >= 0 && Double.isFinite(value), "beta must be >= 0, got %s", value);
      this.beta = value;
      return this;
    }

    /** Loss aggregation. */
    public Builder aggregation(LossAggregation value) {
      this.aggregation = checkNotNull(value, "aggregation");
      return this;
    }

    /** Reward scaling. */
    public Builder scaling(RewardScaling value) {
      this.scaling = checkNotNull(value, "scaling");
      return this;
    }

    /** The constant added to the standard deviation, finite and {@code >= 0}. */
    public Builder scaleEps(double value) {
      checkArgument(value >= 0 && Double.isFinite(value), "scaleEps must be >= 0, got %s", value);
      this.scaleEps = value;
      return this;
    }

    /** Optimizer steps per batch of rollouts (mu), {@code >= 1}. */
    public Builder updatesPerBatch(int value) {
      checkArgument(value >= 1, "updatesPerBatch must be >= 1, got %s", value);
      this.updatesPerBatch = value;
      return this;
    }

    /** The learning-rate schedule. */
    public Builder schedule(LearningRateSchedule value) {
      this.schedule = checkNotNull(value, "schedule");
      return this;
    }

    /** A constant learning rate. */
    public Builder learningRate(double value) {
      return schedule(LearningRateSchedule.constant(value));
    }

    /** Gradient clipping norm, {@code > 0}; {@code Double.POSITIVE_INFINITY} for none. */
    public Builder maxGradNorm(double value) {
      checkArgument(!Double.isNaN(value) && value > 0, "maxGradNorm must be > 0, got %s", value);
      this.maxGradNorm = value;
      return this;
    }

    /** Sampling temperature, top-p and length limit (validated as {@link SamplingConfig}). */
    public Builder sampling(double temp, double nucleus, int tokens) {
      SamplingConfig check = new SamplingConfig(temp, nucleus, tokens, 0);
      this.temperature = check.temperature();
      this.topP = check.topP();
      this.maxTokens = check.maxTokens();
      return this;
    }

    /** Whether truncated completions are left out of the loss (default false). */
    public Builder maskTruncated(boolean value) {
      this.maskTruncated = value;
      return this;
    }

    /** The run's seed. */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /** Builds. */
    public GrpoConfig build() {
      return new GrpoConfig(this);
    }
  }
}
