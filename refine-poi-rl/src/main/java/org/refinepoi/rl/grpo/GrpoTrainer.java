package org.refinepoi.rl.grpo;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.refinepoi.core.io.AtomicFiles;
import org.refinepoi.core.io.FileFormatException;
import org.refinepoi.core.io.MemoryBudget;
import org.refinepoi.rl.io.StateFiles;
import org.refinepoi.rl.policy.Completion;
import org.refinepoi.rl.policy.Continuation;
import org.refinepoi.rl.policy.Policy;
import org.refinepoi.rl.policy.TokenConstraint;
import org.refinepoi.rl.policy.UpdateRequest;
import org.refinepoi.rl.reward.RewardFunction;
import org.refinepoi.rl.reward.RewardScores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link Policy} with GRPO (docs/method.md section 5). One {@link #step()}:
 *
 * <ol>
 *   <li>takes the next {@code promptsPerBatch} prompts (each epoch a fresh permutation of the
 *       prompts, seeded by {@code (seed, epoch)});
 *   <li>samples {@code groupSize} completions per prompt (sampling seed derived from {@code (seed,
 *       step)});
 *   <li>scores them with the reward function (groups = prompts) and computes group-relative {@link
 *       Advantages};
 *   <li>takes {@code updatesPerBatch} optimizer steps on the {@link GrpoLoss}: with one update the
 *       old policy is the current one (ratio 1, as TRL); with more, the old log-probabilities are
 *       computed once before the first update; the reference log-probabilities (beta > 0) come from
 *       the frozen reference;
 *   <li>logs a {@link StepMetrics} (SLF4J at DEBUG) and hands it to the listeners.
 * </ol>
 *
 * Completions with no token (a constraint that allowed nothing), and truncated ones when {@link
 * GrpoConfig#maskTruncated()}, are left out of the update but keep their reward in the group
 * statistics.
 *
 * <p><b>Determinism and resume.</b> Every random choice derives from the seed and the step counter,
 * so the trainer's whole random state is {@code (seed, step)}. {@link #saveCheckpoint} writes the
 * config, the step, the optimizer-step counter, the policy (its {@link Policy#save}) and the
 * reference (when beta > 0) into one CRC32-checked, versioned file, atomically; {@link
 * #restoreCheckpoint} refuses a corrupt or foreign file or one written under another config. A
 * resumed run reproduces the uninterrupted one exactly when the policy's save/load round-trips its
 * state.
 *
 * <p>Not thread-safe; one trainer drives one policy from one thread.
 *
 * @param <P> the prompt metadata type the reward reads
 */
public final class GrpoTrainer<P> {

  private static final Logger LOG = LoggerFactory.getLogger(GrpoTrainer.class);
  private static final int MAGIC = 0x52504743; // "RPGC"
  private static final int VERSION = 1;

  private final Policy policy;
  private final Policy reference;
  private final RewardFunction<P, Completion> reward;
  private final ImmutableList<GrpoPrompt<P>> prompts;
  private final GrpoConfig config;
  private final TokenConstraint constraint;
  private final ImmutableList<StepListener> listeners;
  private long step;
  private long optimizerSteps;
  private final PromptOrder order;

  private GrpoTrainer(Builder<P> b) {
    this.policy = b.policy;
    this.reward = b.reward;
    this.prompts = ImmutableList.copyOf(b.prompts);
    this.config = b.config;
    this.constraint = b.constraint;
    this.listeners = ImmutableList.copyOf(b.listeners);
    this.order = new PromptOrder(prompts.size(), config.seed());
    this.reference =
        config.beta() > 0 ? (b.reference != null ? b.reference : policy.snapshot()) : null;
  }

  /**
   * A builder.
   *
   * @param policy the policy to train (not frozen)
   * @param reward scores completions given the prompts' metadata
   * @param prompts the training prompts, non-empty
   */
  public static <P> Builder<P> builder(
      Policy policy, RewardFunction<P, Completion> reward, List<GrpoPrompt<P>> prompts) {
    return new Builder<>(policy, reward, prompts);
  }

  /** The config. */
  public GrpoConfig config() {
    return config;
  }

  /** Steps (batches of rollouts) done so far. */
  public long stepsDone() {
    return step;
  }

  /** The trained policy. */
  public Policy policy() {
    return policy;
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

  /** Runs one step (see the class comment) and returns its metrics. */
  public StepMetrics step() {
    int b = config.promptsPerBatch();
    int g = config.groupSize();
    List<GrpoPrompt<P>> batchPrompts = new ArrayList<>(b);
    for (int i = 0; i < b; i++) {
      batchPrompts.add(prompts.get(order.at(step * b + i)));
    }
    long stepSeed = PromptOrder.stepSeed(config.seed(), step);
    List<List<Completion>> groups =
        policy.sample(
            batchPrompts.stream().map(GrpoPrompt::tokens).toList(),
            g,
            config.sampling(stepSeed),
            constraint);
    checkPolicyOutput(groups, b, g);
    int n = b * g;
    List<P> metadata = new ArrayList<>(n);
    List<Completion> completions = new ArrayList<>(n);
    int[] groupIds = new int[n];
    for (int p = 0; p < b; p++) {
      for (int j = 0; j < g; j++) {
        metadata.add(batchPrompts.get(p).metadata());
        completions.add(groups.get(p).get(j));
        groupIds[p * g + j] = p;
      }
    }
    RewardScores scores = reward.score(metadata, completions, groupIds);
    if (scores.size() != n) {
      throw new IllegalStateException(
          "reward " + reward.name() + " returned " + scores.size() + " scores for " + n);
    }
    double[] totals = scores.totals();
    double[] advantages = Advantages.compute(totals, groupIds, config.scaling(), config.scaleEps());

    List<Integer> trainable = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Completion c = completions.get(i);
      if (c.length() > 0 && !(config.maskTruncated() && c.truncated())) {
        trainable.add(i);
      }
    }
    StepStatistics.UpdateSummary summary = update(completions, advantages, trainable);
    StepMetrics metrics = metrics(scores, groupIds, completions, summary);
    step++;
    StepStatistics.logStep(LOG, "GRPO", metrics, true);
    for (StepListener l : listeners) {
      l.onStep(metrics);
    }
    return metrics;
  }

  private StepStatistics.UpdateSummary update(
      List<Completion> completions, double[] advantages, List<Integer> trainable) {
    double lr0 = config.schedule().rate(optimizerSteps);
    if (trainable.isEmpty()) {
      return new StepStatistics.UpdateSummary(lr0, 0, 0, Double.NaN, Double.NaN, 0, 0);
    }
    List<Continuation> batch = new ArrayList<>(trainable.size());
    double[] adv = new double[trainable.size()];
    // a token the constraint forced (sampled with probability 1) has no gradient: leave it out of
    // the loss's denominators rather than let it dilute the tokens that decide something
    List<boolean[]> counted = constraint.constrains() ? new ArrayList<>() : null;
    for (int k = 0; k < trainable.size(); k++) {
      Completion c = completions.get(trainable.get(k));
      batch.add(c.continuation());
      adv[k] = advantages[trainable.get(k)];
      if (counted != null) {
        double[] lp = c.logProbs();
        boolean[] mask = new boolean[lp.length];
        for (int t = 0; t < lp.length; t++) {
          mask[t] = lp[t] != 0.0;
        }
        counted.add(mask);
      }
    }
    double temperature = config.temperature();
    List<double[]> old =
        config.updatesPerBatch() > 1 ? policy.logProbs(batch, temperature, constraint) : null;
    List<double[]> ref =
        reference != null ? reference.logProbs(batch, temperature, constraint) : null;
    GrpoLoss loss =
        new GrpoLoss(
            adv,
            old,
            ref,
            config.epsLow(),
            config.epsHigh(),
            config.beta(),
            config.aggregation(),
            config.maxTokens(),
            counted);
    StepStatistics.UpdateSummary summary =
        StepStatistics.runUpdates(
            config,
            optimizerSteps,
            reference != null,
            lr ->
                policy.update(
                    new UpdateRequest(
                        batch, temperature, constraint, loss, lr, config.maxGradNorm())));
    optimizerSteps += config.updatesPerBatch();
    if (Double.isNaN(summary.entropy())) {
      summary = summary.withEntropy(sampledEntropy(completions));
    }
    return summary;
  }

  private static double sampledEntropy(List<Completion> completions) {
    double sum = 0;
    long count = 0;
    for (Completion c : completions) {
      if (c.entropies().isEmpty()) {
        return Double.NaN;
      }
      for (double e : c.entropies().get()) {
        sum += e;
        count++;
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }

  private StepMetrics metrics(
      RewardScores scores,
      int[] groupIds,
      List<Completion> completions,
      StepStatistics.UpdateSummary s) {
    double length = completions.stream().mapToInt(Completion::length).average().orElse(0);
    double truncated =
        completions.stream().filter(Completion::truncated).count() / (double) completions.size();
    return StepStatistics.metrics(step, scores, groupIds, length, truncated, s);
  }

  private void checkPolicyOutput(List<List<Completion>> groups, int b, int g) {
    if (groups.size() != b) {
      throw new IllegalStateException("policy returned " + groups.size() + " groups for " + b);
    }
    for (List<Completion> group : groups) {
      if (group.size() != g) {
        throw new IllegalStateException(
            "policy returned a group of " + group.size() + " completions, expected " + g);
      }
    }
  }

  /**
   * Writes a checkpoint atomically (temp file in the same directory, then an atomic move).
   *
   * @param file the checkpoint file (replaced if present)
   */
  public void saveCheckpoint(Path file) throws IOException {
    checkNotNull(file, "file");
    ByteArrayOutputStream policyBytes = new ByteArrayOutputStream();
    policy.save(policyBytes);
    ByteArrayOutputStream refBytes = new ByteArrayOutputStream();
    if (reference != null) {
      reference.save(refBytes);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(body);
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    writeString(out, config.encode());
    out.writeLong(step);
    out.writeLong(optimizerSteps);
    out.writeInt(policyBytes.size());
    policyBytes.writeTo(out);
    out.writeInt(reference != null ? refBytes.size() : -1);
    refBytes.writeTo(out);
    out.flush();
    byte[] bytes = body.toByteArray();
    out.writeLong(AtomicFiles.crc32(bytes, 0, bytes.length));
    out.flush();
    StateFiles.replaceAtomically(file, body::writeTo);
    LOG.debug("GRPO checkpoint at step {} written to {}", step, file);
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  /**
   * Restores a checkpoint into this trainer: its step counters, the policy and the reference.
   *
   * @throws org.refinepoi.core.io.FileFormatException naming the file when it is corrupt (CRC32),
   *     not a GRPO checkpoint, of another version, malformed behind its checksum, or written under
   *     a different config (the message names the difference)
   * @throws IOException when the file is unreadable
   */
  public void restoreCheckpoint(Path file) throws IOException {
    checkNotNull(file, "file");
    long size = Files.size(file);
    if (size > Integer.MAX_VALUE - 16) {
      throw new FileFormatException(
          file + " is not a GRPO checkpoint (" + size + " bytes, more than any checkpoint holds)");
    }
    MemoryBudget.require(2 * size, "reading the GRPO checkpoint " + file);
    byte[] all = Files.readAllBytes(file);
    if (all.length < 16) {
      throw new FileFormatException(file + " is not a GRPO checkpoint (too short)");
    }
    long computed = AtomicFiles.crc32(all, 0, all.length - 8);
    long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, all.length - 8));
    if (in.readInt() != MAGIC) {
      throw new FileFormatException(file + " is not a GRPO checkpoint (bad magic number)");
    }
    int version = in.readInt();
    // The checksum covers the version: checked first, a flipped version byte is corruption.
    if (stored != computed) {
      throw new FileFormatException(file + " is corrupt (CRC32 mismatch)");
    }
    if (version != VERSION) {
      throw new FileFormatException(
          file + " is a GRPO checkpoint of version " + version + "; this build reads " + VERSION);
    }
    try {
      String encoded = readString(in, all.length);
      GrpoConfig saved = GrpoConfig.decode(encoded);
      if (!saved.equals(config)) {
        throw new FileFormatException(
            file + " was written under another GRPO config: " + diff(saved, config));
      }
      long savedStep = in.readLong();
      long savedOptimizerSteps = in.readLong();
      byte[] policyBytes = readBytes(in, in.readInt(), all.length);
      int refLength = in.readInt();
      byte[] refBytes = refLength < 0 ? null : readBytes(in, refLength, all.length);
      if ((refBytes != null) != (reference != null)) {
        throw new FileFormatException(file + ": reference policy presence does not match beta");
      }
      policy.load(new ByteArrayInputStream(policyBytes));
      if (reference != null) {
        reference.load(new ByteArrayInputStream(refBytes));
      }
      step = savedStep;
      optimizerSteps = savedOptimizerSteps;
    } catch (FileFormatException e) {
      throw e;
    } catch (IOException | IllegalArgumentException e) {
      // A bad length, a policy state that does not load: name the file.
      throw new FileFormatException(file + " is malformed: " + e.getMessage(), e);
    }
    LOG.debug("GRPO checkpoint {} restored at step {}", file, step);
  }

  private static String readString(DataInputStream in, int limit) throws IOException {
    return new String(readBytes(in, in.readInt(), limit), StandardCharsets.UTF_8);
  }

  private static byte[] readBytes(DataInputStream in, int length, int limit) throws IOException {
    if (length < 0 || length > limit) {
      throw new IOException("bad block length " + length);
    }
    byte[] b = new byte[length];
    in.readFully(b);
    return b;
  }

  private static String diff(GrpoConfig saved, GrpoConfig current) {
    List<String> a = Arrays.asList(saved.encode().split("\n"));
    List<String> b = Arrays.asList(current.encode().split("\n"));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      if (!a.get(i).equals(b.get(i))) {
        out.add("saved " + a.get(i) + " vs " + b.get(i));
      }
    }
    return String.join(", ", out);
  }

  /** Builder of {@link GrpoTrainer}. */
  public static final class Builder<P> {
    private final Policy policy;
    private final RewardFunction<P, Completion> reward;
    private final List<GrpoPrompt<P>> prompts;
    private GrpoConfig config = GrpoConfig.builder().build();
    private TokenConstraint constraint = TokenConstraint.none();
    private Policy reference;
    private final List<StepListener> listeners = new ArrayList<>();

    private Builder(
        Policy policy, RewardFunction<P, Completion> reward, List<GrpoPrompt<P>> prompts) {
      this.policy = checkNotNull(policy, "policy");
      this.reward = checkNotNull(reward, "reward");
      this.prompts = List.copyOf(checkNotNull(prompts, "prompts"));
      checkArgument(!this.prompts.isEmpty(), "GRPO needs at least one prompt");
      checkArgument(!policy.frozen(), "cannot train a frozen policy snapshot");
    }

    /** The config (default: {@link GrpoConfig#builder()}'s defaults). */
    public Builder<P> config(GrpoConfig value) {
      this.config = checkNotNull(value, "config");
      return this;
    }

    /** The decoding constraint used to sample and score (default none). */
    public Builder<P> constraint(TokenConstraint value) {
      this.constraint = checkNotNull(value, "constraint");
      return this;
    }

    /**
     * The reference policy for the KL term (default: a snapshot of the policy when the trainer is
     * built). Ignored when beta = 0.
     */
    public Builder<P> reference(Policy value) {
      this.reference = checkNotNull(value, "reference");
      return this;
    }

    /** Adds a listener of step metrics. */
    public Builder<P> listener(StepListener value) {
      listeners.add(checkNotNull(value, "listener"));
      return this;
    }

    /** Builds (taking the reference snapshot when beta > 0). */
    public GrpoTrainer<P> build() {
      for (GrpoPrompt<P> p : prompts) {
        for (int t = 0; t < p.tokens().length(); t++) {
          checkArgument(
              p.tokens().get(t) < policy.vocabularySize(),
              "prompt token %s outside the policy's vocabulary of %s",
              p.tokens().get(t),
              policy.vocabularySize());
        }
      }
      return new GrpoTrainer<>(this);
    }
  }
}
