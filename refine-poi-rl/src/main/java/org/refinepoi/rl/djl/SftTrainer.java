package org.refinepoi.rl.djl;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.refinepoi.core.prompt.SampleTokenizer;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.rl.grpo.LearningRateSchedule;
import org.refinepoi.rl.policy.Continuation;
import org.refinepoi.rl.policy.LossEvaluation;
import org.refinepoi.rl.policy.Policy;
import org.refinepoi.rl.policy.SequenceLoss;
import org.refinepoi.rl.policy.TokenConstraint;
import org.refinepoi.rl.policy.TokenSequence;
import org.refinepoi.rl.policy.UpdateRequest;
import org.refinepoi.rl.policy.UpdateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervised fine-tuning, the warm start of docs/method.md section 3: teacher forcing on the
 * ground-truth next POI. Each example is a prompt and its answer (the target's ID tokens then EOS);
 * the loss is the token-mean negative log-likelihood of the answer tokens only (the prompt is
 * context), over the full vocabulary (no trie mask, so beam search sees the same distribution).
 * Works with any {@link Policy}; batches are padded inside the policy. Shuffling is seeded; the
 * learning rate warms up linearly then decays by a cosine; the gradient norm is clipped; the
 * validation loss is computed after every epoch, with optional early stopping that restores the
 * best epoch.
 */
public final class SftTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(SftTrainer.class);

  private final SftConfig config;

  /** A trainer with a config. */
  public SftTrainer(SftConfig config) {
    this.config = checkNotNull(config, "config");
  }

  /** The config. */
  public SftConfig config() {
    return config;
  }

  /** The SFT examples of samples: each sample's prompt and its target's ID then EOS. */
  public static List<Continuation> examples(SampleTokenizer tokenizer, List<Sample> samples) {
    checkNotNull(tokenizer, "tokenizer");
    checkNotNull(samples, "samples");
    List<Continuation> out = new ArrayList<>(samples.size());
    for (Sample s : samples) {
      out.add(
          new Continuation(
              TokenSequence.of(tokenizer.prompt(s)), TokenSequence.of(tokenizer.targetAnswer(s))));
    }
    return out;
  }

  /**
   * What training did.
   *
   * @param steps every optimizer step (the loss curve)
   * @param epochs every epoch
   * @param bestEpoch the epoch with the lowest validation loss (the last one without validation)
   * @param stoppedEarly whether early stopping ended training
   * @param examplesPerSecond training throughput over all optimizer steps
   */
  public record Result(
      List<SftListener.Step> steps,
      List<SftListener.Epoch> epochs,
      int bestEpoch,
      boolean stoppedEarly,
      double examplesPerSecond) {

    /** Copies the lists. */
    public Result {
      steps = ImmutableList.copyOf(steps);
      epochs = ImmutableList.copyOf(epochs);
    }
  }

  /**
   * Trains a policy in place.
   *
   * @param policy a trainable policy
   * @param train training examples, non-empty, each with a non-empty answer
   * @param validation validation examples (may be empty: no validation loss, no early stopping)
   * @param listener receives steps and epochs
   */
  public Result train(
      Policy policy,
      List<Continuation> train,
      List<Continuation> validation,
      SftListener listener) {
    checkNotNull(policy, "policy");
    checkNotNull(train, "train");
    checkNotNull(validation, "validation");
    checkNotNull(listener, "listener");
    checkArgument(!train.isEmpty(), "no training examples");
    checkArgument(!policy.frozen(), "the policy is frozen");
    int batches = (train.size() + config.batchSize() - 1) / config.batchSize();
    int totalSteps = batches * config.epochs();
    int warmup = (int) Math.floor(config.warmupFraction() * totalSteps);
    LearningRateSchedule schedule =
        totalSteps > warmup
            ? LearningRateSchedule.cosine(
                config.learningRate(),
                warmup,
                totalSteps,
                config.learningRate() * config.minLearningRateRatio())
            : LearningRateSchedule.constant(config.learningRate());
    SplittableRandom random = new SplittableRandom(config.seed());
    int[] order = new int[train.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    List<SftListener.Step> steps = new ArrayList<>();
    List<SftListener.Epoch> epochs = new ArrayList<>();
    double bestValidation = Double.POSITIVE_INFINITY;
    int bestEpoch = -1;
    byte[] bestState = null;
    int sinceBest = 0;
    boolean stoppedEarly = false;
    long trainingNanos = 0;
    long trainedExamples = 0;
    long step = 0;
    LOG.debug(
        "SFT: {} examples, {} validation, {} epochs of {} steps (batch {}), peak lr {}",
        train.size(),
        validation.size(),
        config.epochs(),
        batches,
        config.batchSize(),
        config.learningRate());
    for (int epoch = 0; epoch < config.epochs(); epoch++) {
      shuffle(order, random);
      double lossSum = 0;
      long epochNanos = 0;
      for (int b = 0; b < batches; b++) {
        int from = b * config.batchSize();
        int to = Math.min(train.size(), from + config.batchSize());
        List<Continuation> batch = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
          batch.add(train.get(order[i]));
        }
        double rate = schedule.rate(step);
        long start = System.nanoTime();
        UpdateResult result =
            policy.update(
                new UpdateRequest(
                    batch,
                    1.0,
                    TokenConstraint.none(),
                    TOKEN_MEAN_NLL,
                    rate,
                    config.maxGradNorm()));
        epochNanos += System.nanoTime() - start;
        double loss = result.evaluation().loss();
        lossSum += loss;
        SftListener.Step s =
            new SftListener.Step(step, epoch, loss, rate, result.gradNorm(), batch.size());
        steps.add(s);
        listener.onStep(s);
        if (step % config.logEvery() == 0 && LOG.isDebugEnabled()) {
          LOG.debug(
              "SFT step {} (epoch {}): loss {}, lr {}, grad norm {}",
              step,
              epoch,
              String.format("%.4f", loss),
              String.format("%.2e", rate),
              String.format("%.3f", result.gradNorm()));
        }
        step++;
      }
      trainingNanos += epochNanos;
      trainedExamples += train.size();
      double validationLoss =
          validation.isEmpty() ? Double.NaN : validationLoss(policy, validation);
      boolean best = !validation.isEmpty() && validationLoss < bestValidation;
      if (best) {
        bestValidation = validationLoss;
        bestEpoch = epoch;
        sinceBest = 0;
        if (config.patience() > 0) {
          bestState = saveState(policy);
        }
      } else {
        sinceBest++;
      }
      double throughput = train.size() / (epochNanos / 1e9);
      SftListener.Epoch e =
          new SftListener.Epoch(epoch, lossSum / batches, validationLoss, throughput, best);
      epochs.add(e);
      listener.onEpoch(e);
      if (LOG.isDebugEnabled()) {
        LOG.debug(
            "SFT epoch {}: train loss {}, validation loss {}, {} examples/s",
            epoch,
            String.format("%.4f", e.trainLoss()),
            String.format("%.4f", validationLoss),
            String.format("%.1f", throughput));
      }
      if (config.patience() > 0 && !validation.isEmpty() && sinceBest >= config.patience()) {
        stoppedEarly = epoch < config.epochs() - 1;
        break;
      }
    }
    if (bestState != null && bestEpoch != epochs.size() - 1) {
      LOG.debug("SFT: restoring the parameters of epoch {}", bestEpoch);
      loadState(policy, bestState);
    }
    if (validation.isEmpty()) {
      bestEpoch = epochs.size() - 1;
    }
    return new Result(
        steps, epochs, bestEpoch, stoppedEarly, trainedExamples / (trainingNanos / 1e9));
  }

  /** Token-mean negative log-likelihood of examples under a policy, without gradients. */
  public double validationLoss(Policy policy, List<Continuation> examples) {
    checkNotNull(policy, "policy");
    checkNotNull(examples, "examples");
    checkArgument(!examples.isEmpty(), "no examples");
    double sum = 0;
    long tokens = 0;
    for (int from = 0; from < examples.size(); from += config.validationBatchSize()) {
      List<Continuation> batch =
          examples.subList(from, Math.min(examples.size(), from + config.validationBatchSize()));
      for (double[] row : policy.logProbs(batch, 1.0, TokenConstraint.none())) {
        for (double lp : row) {
          sum -= lp;
          tokens++;
        }
      }
    }
    return sum / tokens;
  }

  /** The SFT loss: token-mean NLL over every completion token of the batch. */
  static final SequenceLoss TOKEN_MEAN_NLL =
      logProbs -> {
        long n = 0;
        double sum = 0;
        for (double[] row : logProbs) {
          n += row.length;
          for (double lp : row) {
            sum -= lp;
          }
        }
        checkArgument(n > 0, "no tokens to learn from");
        List<double[]> gradient = new ArrayList<>(logProbs.size());
        for (double[] row : logProbs) {
          double[] g = new double[row.length];
          Arrays.fill(g, -1.0 / n);
          gradient.add(g);
        }
        return new LossEvaluation(sum / n, gradient, Map.of("tokens", (double) n));
      };

  private static void shuffle(int[] order, SplittableRandom random) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  private static byte[] saveState(Policy policy) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      policy.save(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the best SFT state", e);
    }
    return out.toByteArray();
  }

  private static void loadState(Policy policy, byte[] state) {
    try {
      policy.load(new ByteArrayInputStream(state));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restore the best SFT state", e);
    }
  }
}
