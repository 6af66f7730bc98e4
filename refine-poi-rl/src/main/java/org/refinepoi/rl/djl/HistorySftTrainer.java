package org.refinepoi.rl.djl;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.rl.grpo.LearningRateSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervised fine-tuning of a {@link HistoryPolicy}: the negative log-likelihood of each sample's
 * target under the policy's mixture, on shuffled batches (seeded), with linear warm-up then cosine
 * decay and global gradient clipping ({@link SftConfig}). Feed it every next check-in of the
 * training trajectories ({@code PreparedData.prefixSamples}), not only the evaluated ones: the copy
 * path learns from every revisit.
 *
 * <p>After each epoch the validation score is taken (by default minus the validation NLL; the
 * experiment passes NDCG@10 of the policy's rankings, the metric it reports), and with {@code
 * patience > 0} training stops after that many epochs without improvement. The best epoch's
 * parameters are restored at the end either way.
 */
public final class HistorySftTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(HistorySftTrainer.class);

  private final SftConfig config;

  /** A trainer with a config. */
  public HistorySftTrainer(SftConfig config) {
    this.config = checkNotNull(config, "config");
  }

  /** The config. */
  public SftConfig config() {
    return config;
  }

  /**
   * Trains in place with minus the validation NLL as the score.
   *
   * @param policy a trainable policy
   * @param train training samples, non-empty
   * @param validation validation samples, non-empty
   * @param listener receives steps and epochs
   */
  public SftTrainer.Result train(
      HistoryPolicy policy, List<Sample> train, List<Sample> validation, SftListener listener) {
    return train(
        policy,
        train,
        validation,
        p -> -p.meanNegativeLogLikelihood(validation, config.validationBatchSize()),
        listener);
  }

  /**
   * Trains in place.
   *
   * @param policy a trainable policy
   * @param train training samples, non-empty
   * @param validation validation samples, non-empty (their NLL is reported each epoch)
   * @param score the validation score of the policy after an epoch, higher is better, finite
   * @param listener receives steps and epochs
   */
  public SftTrainer.Result train(
      HistoryPolicy policy,
      List<Sample> train,
      List<Sample> validation,
      ToDoubleFunction<HistoryPolicy> score,
      SftListener listener) {
    checkNotNull(policy, "policy");
    checkNotNull(train, "train");
    checkNotNull(validation, "validation");
    checkNotNull(score, "score");
    checkNotNull(listener, "listener");
    checkArgument(!train.isEmpty(), "no training samples");
    checkArgument(!validation.isEmpty(), "no validation samples");
    int batch = Math.min(config.batchSize(), train.size());
    int stepsPerEpoch = train.size() / batch;
    int totalSteps = stepsPerEpoch * config.epochs();
    int warmup = (int) Math.floor(totalSteps * config.warmupFraction());
    LearningRateSchedule schedule =
        new LearningRateSchedule(
            LearningRateSchedule.Kind.COSINE,
            config.learningRate(),
            warmup,
            Math.max(warmup + 1, totalSteps),
            config.learningRate() * config.minLearningRateRatio());
    SplittableRandom shuffle = new SplittableRandom(config.seed());
    List<SftListener.Step> steps = new ArrayList<>();
    List<SftListener.Epoch> epochs = new ArrayList<>();
    double best = Double.NEGATIVE_INFINITY;
    int bestEpoch = -1;
    byte[] bestState = null;
    int sinceBest = 0;
    boolean stoppedEarly = false;
    long stepCount = 0;
    long examples = 0;
    long trainingNanos = 0;
    for (int epoch = 0; epoch < config.epochs(); epoch++) {
      List<Sample> order = shuffled(train, shuffle.nextLong());
      double lossSum = 0;
      long epochStart = System.nanoTime();
      for (int s = 0; s < stepsPerEpoch; s++) {
        List<Sample> chunk = order.subList(s * batch, (s + 1) * batch);
        double lr = schedule.rate(stepCount);
        HistoryPolicy.SftStep r = policy.sftStep(chunk, lr, config.maxGradNorm());
        SftListener.Step step =
            new SftListener.Step(stepCount, epoch, r.loss(), lr, r.gradNorm(), chunk.size());
        steps.add(step);
        listener.onStep(step);
        lossSum += r.loss();
        stepCount++;
        if (stepCount % config.logEvery() == 0) {
          LOG.debug("SFT step {} (epoch {}): loss {}", stepCount, epoch + 1, r.loss());
        }
      }
      long nanos = System.nanoTime() - epochStart;
      trainingNanos += nanos;
      examples += (long) stepsPerEpoch * batch;
      double validationLoss =
          policy.meanNegativeLogLikelihood(validation, config.validationBatchSize());
      double value = score.applyAsDouble(policy);
      checkState(Double.isFinite(value), "the validation score is not finite: %s", value);
      boolean improved = value > best;
      if (improved) {
        best = value;
        bestEpoch = epoch;
        bestState = policy.parameterBytes();
        sinceBest = 0;
      } else {
        sinceBest++;
      }
      SftListener.Epoch e =
          new SftListener.Epoch(
              epoch,
              lossSum / Math.max(1, stepsPerEpoch),
              validationLoss,
              stepsPerEpoch * batch / (nanos / 1e9),
              improved);
      epochs.add(e);
      listener.onEpoch(e);
      LOG.debug(
          "SFT epoch {}: train loss {}, validation loss {}, score {}{}",
          epoch + 1,
          e.trainLoss(),
          validationLoss,
          value,
          improved ? " (best)" : "");
      if (config.patience() > 0 && sinceBest >= config.patience()) {
        stoppedEarly = epoch + 1 < config.epochs();
        break;
      }
    }
    if (bestEpoch != epochs.size() - 1) {
      policy.restoreParameters(bestState);
    }
    return new SftTrainer.Result(
        steps, epochs, bestEpoch, stoppedEarly, examples / Math.max(1e-9, trainingNanos / 1e9));
  }

  private static List<Sample> shuffled(List<Sample> samples, long seed) {
    List<Sample> out = new ArrayList<>(samples);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = out.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Sample t = out.get(i);
      out.set(i, out.get(j));
      out.set(j, t);
    }
    return out;
  }
}
