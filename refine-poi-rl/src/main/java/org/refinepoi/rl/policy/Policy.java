package org.refinepoi.rl.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * An autoregressive policy over integer token ids, as the GRPO and SFT trainers see it. It knows
 * nothing of rewards or semantic IDs; tensors stay inside implementations.
 *
 * <p><b>Distribution.</b> Given a prompt and the completion so far, the policy defines next-token
 * probabilities over {@code [0, vocabularySize())}; the temperature and the {@link TokenConstraint}
 * reshape them as {@link SamplingConfig} describes. A completion ends when the policy emits its
 * {@linkplain #endToken() end token} (included in the completion), when the constraint allows
 * nothing, or at {@code maxTokens}.
 *
 * <p><b>Training.</b> {@link #update} takes one optimizer step on a {@link SequenceLoss}, a pure
 * function of per-token log-probabilities, which the policy differentiates through its own
 * log-probabilities (see the package comment). With DJL this is: forward under a {@code
 * GradientCollector}, gather {@code logp} of the given tokens, evaluate the loss on a copy, then
 * {@code backward(sum(g * logp))}, clip, and {@code Trainer.step()} with the request's learning
 * rate.
 *
 * <p><b>Determinism.</b> For the same parameters, inputs and seed an implementation returns the
 * same completions (on the same hardware and thread count); {@link #save}/{@link #load} round-trip
 * everything {@code update} depends on (parameters and optimizer state), so that a resumed run
 * continues like an uninterrupted one.
 *
 * <p><b>Threads.</b> A policy is not required to be thread-safe; a trainer calls it from one
 * thread.
 */
public interface Policy extends AutoCloseable {

  /** Number of token ids; every token is in {@code [0, vocabularySize())}. */
  int vocabularySize();

  /** The token that ends a completion. */
  int endToken();

  /**
   * Samples {@code groupSize} completions for each prompt.
   *
   * @param prompts the prompts, non-empty, each non-empty
   * @param groupSize completions per prompt, {@code >= 1}
   * @param config temperature, top-p, length limit and seed
   * @param constraint which tokens may come next ({@link TokenConstraint#none()} for none)
   * @return one list per prompt, in prompt order, each of {@code groupSize} completions
   */
  List<List<Completion>> sample(
      List<TokenSequence> prompts,
      int groupSize,
      SamplingConfig config,
      TokenConstraint constraint);

  /**
   * Per-token log-probabilities of given continuations under the current parameters, without
   * gradients (for old-policy and reference log-probabilities, and for evaluation).
   *
   * @param batch the continuations
   * @param temperature the temperature (see {@link SamplingConfig})
   * @param constraint the constraint mask (a token the constraint forbids makes the call fail)
   * @return one array per continuation, one entry per completion token
   */
  List<double[]> logProbs(List<Continuation> batch, double temperature, TokenConstraint constraint);

  /**
   * One optimizer step that lowers {@code request.loss()}.
   *
   * @throws IllegalStateException on a {@linkplain #frozen() frozen} policy
   */
  UpdateResult update(UpdateRequest request);

  /**
   * A frozen deep copy of the current parameters: it samples and scores like this policy does now
   * and never changes when this one trains (the GRPO reference policy). {@link #update} on it
   * throws; {@link #load} works (so a checkpointed reference can be restored into it).
   */
  Policy snapshot();

  /** Whether this policy refuses {@link #update} (a {@link #snapshot()}). */
  boolean frozen();

  /**
   * Writes everything needed to continue training identically (parameters, optimizer state) in the
   * implementation's versioned format. The stream is not closed.
   */
  void save(OutputStream out) throws IOException;

  /**
   * Restores state written by {@link #save} of a policy with the same architecture.
   *
   * @throws IOException when the data is corrupt, of another format version, or of another
   *     architecture, with a message saying which
   */
  void load(InputStream in) throws IOException;

  /** Releases native resources; the default does nothing. */
  @Override
  default void close() {}
}
