package org.refinepoi.rl.grpo;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.ImmutableList;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.refinepoi.rl.policy.CandidateScores;
import org.refinepoi.rl.policy.ListPolicy;
import org.refinepoi.rl.policy.ListRollout;
import org.refinepoi.rl.policy.PlackettLuce;
import org.refinepoi.rl.reward.RewardFunction;
import org.refinepoi.rl.reward.RewardScores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GRPO over a ranked-list policy (docs/method.md section 5). One {@link #step()}:
 *
 * <ol>
 *   <li>takes the next {@code promptsPerBatch} prompts (each epoch a fresh seeded permutation);
 *   <li>asks the policy for each prompt's candidate set and scores, and draws {@code groupSize}
 *       rankings of {@link Builder#listLength} items from their Plackett-Luce distribution at the
 *       config's temperature (seeded by {@code (seed, step)});
 *   <li>scores the ranked lists with the reward (groups = prompts) and computes group-relative
 *       {@link Advantages} (for a reward that normalizes each term within its group, GDPO's
 *       normalize-then-sum, set {@link RewardScaling#NONE});
 *   <li>takes {@code updatesPerBatch} optimizer steps on the {@link GrpoLoss}, whose "tokens" are
 *       the rankings' positions: {@code log p(position i) = s_i/t - logsumexp(remaining)}, exact;
 *       with one update the old policy is the current one (ratio 1), with more the old
 *       log-probabilities are computed once first; with beta > 0 the reference's come from a frozen
 *       snapshot taken when the trainer is built;
 *   <li>hands a {@link StepMetrics} to the listeners (and logs it at DEBUG).
 * </ol>
 *
 * <p>Every term of the list is credited by its own position's log-probability, so no list-level
 * reward is smeared over tokens the evaluation never sees, and there are no forced tokens (format,
 * length and diversity cannot vary for a list of distinct candidates; leave them out of the
 * reward).
 *
 * <p>{@link #train(int, int, ToDoubleFunction)} also tracks a validation score every few steps and
 * restores the best state seen (step 0, the starting policy, included), so RL never returns a
 * policy worse on validation than the one it started from.
 *
 * <p>Deterministic for a seed (up to the policy's floating point). Not thread-safe.
 *
 * @param <P> the prompt type the policy and the reward read
 */
public final class ListGrpoTrainer<P> {

  private static final Logger LOG = LoggerFactory.getLogger(ListGrpoTrainer.class);

  private final ListPolicy<P> policy;
  private final ListPolicy<P> reference;
  private final RewardFunction<P, int[]> reward;
  private final ImmutableList<P> prompts;
  private final GrpoConfig config;
  private final int listLength;
  private final ImmutableList<StepListener> listeners;
  private final PromptOrder order;
  private long step;
  private long optimizerSteps;

  private ListGrpoTrainer(Builder<P> b) {
    this.policy = b.policy;
    this.reward = b.reward;
    this.prompts = ImmutableList.copyOf(b.prompts);
    this.config = b.config;
    this.listLength = b.listLength;
    this.listeners = ImmutableList.copyOf(b.listeners);
    this.order = new PromptOrder(prompts.size(), config.seed());
    this.reference =
        config.beta() > 0 ? (b.reference != null ? b.reference : policy.snapshot()) : null;
  }

  /**
   * A builder.
   *
   * @param policy the policy to train (not frozen)
   * @param reward scores ranked item lists given the prompts
   * @param prompts the training prompts, non-empty
   */
  public static <P> Builder<P> builder(
      ListPolicy<P> policy, RewardFunction<P, int[]> reward, List<P> prompts) {
    return new Builder<>(policy, reward, prompts);
  }

  /** The config. */
  public GrpoConfig config() {
    return config;
  }

  /** Steps done so far. */
  public long stepsDone() {
    return step;
  }

  /** Runs {@code steps} steps and returns their metrics. */
  public List<StepMetrics> train(int steps) {
    checkArgument(steps >= 0, "steps must be >= 0, got %s", steps);
    List<StepMetrics> out = new ArrayList<>(steps);
    for (int i = 0; i < steps; i++) {
      out.add(step());
    }
    return out;
  }

  /**
   * What {@link #train(int, int, ToDoubleFunction)} did.
   *
   * @param steps every step's metrics
   * @param validationSteps the steps after which the validation score was taken (0 = before the
   *     first step)
   * @param validationScores the scores, one per entry of {@code validationSteps}
   * @param bestStep the step whose state was kept (0 = the starting policy)
   * @param bestScore its score
   */
  public record ValidatedRun(
      List<StepMetrics> steps,
      List<Long> validationSteps,
      List<Double> validationScores,
      long bestStep,
      double bestScore) {

    /** Copies the lists. */
    public ValidatedRun {
      steps = List.copyOf(steps);
      validationSteps = List.copyOf(validationSteps);
      validationScores = List.copyOf(validationScores);
    }
  }

  /**
   * Runs {@code steps} steps, scores the policy on validation data before the first step and every
   * {@code every} steps (and after the last), and restores the best-scoring state at the end (ties:
   * the earlier state).
   *
   * @param steps the steps to run, {@code >= 0}
   * @param every the validation interval, {@code >= 1}
   * @param validation the score of the current policy, higher is better (for example NDCG@10 of its
   *     most likely rankings on the validation split), finite
   */
  public ValidatedRun train(int steps, int every, ToDoubleFunction<ListPolicy<P>> validation) {
    checkArgument(steps >= 0, "steps must be >= 0, got %s", steps);
    checkArgument(every >= 1, "every must be >= 1, got %s", every);
    checkNotNull(validation, "validation");
    List<StepMetrics> metrics = new ArrayList<>(steps);
    List<Long> at = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    long start = step;
    double best = score(validation);
    long bestStep = 0;
    byte[] bestState = state();
    at.add(0L);
    scores.add(best);
    for (int i = 1; i <= steps; i++) {
      metrics.add(step());
      if (i % every == 0 || i == steps) {
        double s = score(validation);
        at.add((long) i);
        scores.add(s);
        LOG.debug("list GRPO validation after step {}: {}", start + i, s);
        if (s > best) {
          best = s;
          bestStep = i;
          bestState = state();
        }
      }
    }
    if (bestStep != steps) {
      restore(bestState);
    }
    return new ValidatedRun(metrics, at, scores, bestStep, best);
  }

  private double score(ToDoubleFunction<ListPolicy<P>> validation) {
    double s = validation.applyAsDouble(policy);
    checkState(Double.isFinite(s), "the validation score is not finite: %s", s);
    return s;
  }

  private byte[] state() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      policy.save(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the policy's state", e);
    }
    return out.toByteArray();
  }

  private void restore(byte[] state) {
    try {
      policy.load(new ByteArrayInputStream(state));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restore the policy's best state", e);
    }
  }

  /** Runs one step (see the class comment) and returns its metrics. */
  public StepMetrics step() {
    int b = config.promptsPerBatch();
    int g = config.groupSize();
    List<P> batch = new ArrayList<>(b);
    for (int i = 0; i < b; i++) {
      batch.add(prompts.get(order.at(step * b + i)));
    }
    List<CandidateScores> candidates = policy.score(batch);
    if (candidates.size() != b) {
      throw new IllegalStateException(
          "policy returned " + candidates.size() + " candidate sets for " + b + " prompts");
    }
    int k = listLength;
    for (CandidateScores c : candidates) {
      k = Math.min(k, c.size());
    }
    SplittableRandom random = new SplittableRandom(PromptOrder.stepSeed(config.seed(), step));
    double temperature = config.temperature();
    int n = b * g;
    List<ListRollout<P>> rollouts = new ArrayList<>(n);
    List<P> rolloutPrompts = new ArrayList<>(n);
    List<int[]> lists = new ArrayList<>(n);
    int[] groupIds = new int[n];
    for (int p = 0; p < b; p++) {
      CandidateScores c = candidates.get(p);
      double[] s = c.scores();
      for (int j = 0; j < g; j++) {
        ListRollout<P> r =
            new ListRollout<>(
                batch.get(p), c.items(), PlackettLuce.sample(s, k, temperature, random));
        rollouts.add(r);
        rolloutPrompts.add(batch.get(p));
        lists.add(r.items());
        groupIds[p * g + j] = p;
      }
    }
    RewardScores scores = reward.score(rolloutPrompts, lists, groupIds);
    if (scores.size() != n) {
      throw new IllegalStateException(
          "reward " + reward.name() + " returned " + scores.size() + " scores for " + n);
    }
    double[] advantages =
        Advantages.compute(scores.totals(), groupIds, config.scaling(), config.scaleEps());
    StepStatistics.UpdateSummary summary = update(rollouts, advantages, k);
    StepMetrics metrics = StepStatistics.metrics(step, scores, groupIds, k, 0.0, summary);
    step++;
    boolean signal = false;
    for (double a : advantages) {
      signal |= a != 0;
    }
    if (signal && summary.gradNorm() == 0) {
      LOG.warn(
          "list GRPO step {}: non-zero advantages gave a zero gradient (every position clipped?)",
          metrics.step());
    }
    StepStatistics.logStep(LOG, "list GRPO", metrics, false);
    for (StepListener l : listeners) {
      l.onStep(metrics);
    }
    return metrics;
  }

  private StepStatistics.UpdateSummary update(
      List<ListRollout<P>> rollouts, double[] advantages, int k) {
    double temperature = config.temperature();
    List<double[]> old =
        config.updatesPerBatch() > 1 ? policy.listLogProbs(rollouts, temperature) : null;
    List<double[]> ref = reference != null ? reference.listLogProbs(rollouts, temperature) : null;
    GrpoLoss loss =
        new GrpoLoss(
            advantages,
            old,
            ref,
            config.epsLow(),
            config.epsHigh(),
            config.beta(),
            config.aggregation(),
            k);
    StepStatistics.UpdateSummary summary =
        StepStatistics.runUpdates(
            config,
            optimizerSteps,
            reference != null,
            lr -> policy.update(rollouts, temperature, loss, lr, config.maxGradNorm()));
    optimizerSteps += config.updatesPerBatch();
    return summary;
  }

  /** Builds a {@link ListGrpoTrainer}. */
  public static final class Builder<P> {
    private final ListPolicy<P> policy;
    private final RewardFunction<P, int[]> reward;
    private final List<P> prompts;
    private GrpoConfig config = GrpoConfig.builder().build();
    private int listLength = 10;
    private ListPolicy<P> reference;
    private final List<StepListener> listeners = new ArrayList<>();

    private Builder(ListPolicy<P> policy, RewardFunction<P, int[]> reward, List<P> prompts) {
      this.policy = checkNotNull(policy, "policy");
      this.reward = checkNotNull(reward, "reward");
      this.prompts = List.copyOf(checkNotNull(prompts, "prompts"));
      checkArgument(!policy.frozen(), "cannot train a frozen policy");
      checkArgument(!this.prompts.isEmpty(), "no training prompts");
    }

    /**
     * The GRPO settings (default {@code GrpoConfig.builder().build()}); top-p and the token limit
     * do not apply to lists.
     */
    public Builder<P> config(GrpoConfig value) {
      this.config = checkNotNull(value, "config");
      return this;
    }

    /** Items per sampled list (default 10; shorter when a candidate set is smaller). */
    public Builder<P> listLength(int value) {
      checkArgument(value >= 1, "listLength must be >= 1, got %s", value);
      this.listLength = value;
      return this;
    }

    /** The reference policy of the KL term (default: a snapshot of the policy when built). */
    public Builder<P> reference(ListPolicy<P> value) {
      this.reference = checkNotNull(value, "reference");
      return this;
    }

    /** Receives every step's metrics. */
    public Builder<P> listener(StepListener value) {
      listeners.add(checkNotNull(value, "listener"));
      return this;
    }

    /** The trainer. */
    public ListGrpoTrainer<P> build() {
      return new ListGrpoTrainer<>(this);
    }
  }
}
