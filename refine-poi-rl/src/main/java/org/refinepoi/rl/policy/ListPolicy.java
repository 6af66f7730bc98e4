package org.refinepoi.rl.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * A ranked-list policy, as the list GRPO trainer ({@code org.refinepoi.rl.grpo.ListGrpoTrainer})
 * sees it: per prompt a candidate set with scores, rankings drawn from the {@link PlackettLuce}
 * distribution over those scores, and updates through a {@link SequenceLoss} over the rankings'
 * per-position log-probabilities (positions play the role tokens play in {@link Policy}). The test
 * list of such a policy is its most likely ranking ({@link CandidateScores#ranked()}), so what RL
 * trains is exactly what evaluation reads.
 *
 * <p>An implementation must score the candidate items of a {@link ListRollout} the same way in
 * {@link #score}, {@link #listLogProbs} and {@link #update} (the same parameters give the same
 * numbers), so that importance ratios compare like with like.
 *
 * <p>Not required to be thread-safe; a trainer calls it from one thread.
 *
 * @param <P> the prompt type
 */
public interface ListPolicy<P> extends AutoCloseable {

  /** Candidate sets with scores for prompts, without gradients; one per prompt, in order. */
  List<CandidateScores> score(List<P> prompts);

  /**
   * Per-position Plackett-Luce log-probabilities of rollouts at a temperature under the current
   * parameters, without gradients (old-policy and reference log-probabilities).
   */
  List<double[]> listLogProbs(List<ListRollout<P>> rollouts, double temperature);

  /**
   * One optimizer step that lowers {@code loss}, a function of the rollouts' per-position
   * log-probabilities at {@code temperature}.
   *
   * @param rollouts the rollouts, non-empty
   * @param temperature the temperature they were drawn at
   * @param loss the loss
   * @param learningRate the step size, finite and {@code >= 0}
   * @param maxGradNorm the global gradient-norm clip, {@code > 0} (infinity for none)
   * @throws IllegalStateException on a {@linkplain #frozen() frozen} policy
   */
  UpdateResult update(
      List<ListRollout<P>> rollouts,
      double temperature,
      SequenceLoss loss,
      double learningRate,
      double maxGradNorm);

  /** A frozen deep copy of the current parameters (the reference policy). */
  ListPolicy<P> snapshot();

  /** Whether this policy refuses {@link #update}. */
  boolean frozen();

  /** Discards the optimizer state (moments, step count), so the next update starts afresh. */
  void resetOptimizer();

  /** Writes the parameters and optimizer state in the implementation's versioned format. */
  void save(OutputStream out) throws IOException;

  /** Restores what {@link #save} wrote for the same architecture. */
  void load(InputStream in) throws IOException;

  /** Releases native resources; the default does nothing. */
  @Override
  default void close() {}
}
