package org.refinepoi.rl.reward;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.List;
import java.util.OptionalDouble;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A reward over a batch, shaped like TRL's reward functions: prompts (with their metadata) and
 * completions in, one number or "not applicable" per sample out, with a per-term breakdown.
 *
 * <p>Samples of a GRPO group share a prompt; {@code groups[i]} says which group sample {@code i}
 * belongs to so that group-aware rewards ({@link CompositeReward} normalizing each term within the
 * group) can use it. Plain rewards ignore it.
 *
 * <p><b>Threads.</b> The trainer calls {@link #score} from one thread. The built-in rewards are
 * immutable and thread-safe as long as the functions given to them (truth lookup, parser) are.
 *
 * @param <P> the prompt / metadata type (for ranking rewards, something that knows the truth)
 * @param <C> the completion type (text, tokens, or an already parsed answer)
 */
public interface RewardFunction<P, C> {

  /** A short name for logs. */
  String name();

  /**
   * Scores a batch.
   *
   * @param prompts one per sample (repeated within a group)
   * @param completions one per sample
   * @param groups the group of each sample, one per sample
   * @return one total per sample (NaN = not applicable) and the breakdown
   */
  RewardScores score(List<? extends P> prompts, List<? extends C> completions, int[] groups);

  /** Scores a batch whose samples form a single group. */
  default RewardScores score(List<? extends P> prompts, List<? extends C> completions) {
    return score(prompts, completions, new int[completions.size()]);
  }

  /** This reward over another completion type, converted first (e.g. tokens to text). */
  default <D> RewardFunction<P, D> mapCompletions(Function<? super D, ? extends C> convert) {
    checkNotNull(convert, "convert");
    RewardFunction<P, C> self = this;
    return new RewardFunction<>() {
      @Override
      public String name() {
        return self.name();
      }

      @Override
      public RewardScores score(
          List<? extends P> prompts, List<? extends D> completions, int[] groups) {
        return self.score(prompts, completions.stream().map(convert).toList(), groups);
      }
    };
  }

  /**
   * A reward computed sample by sample.
   *
   * @param name the name
   * @param perSample the reward of one sample, empty when not applicable; finite when present
   */
  static <P, C> RewardFunction<P, C> perSample(
      String name, BiFunction<? super P, ? super C, OptionalDouble> perSample) {
    checkNotNull(name, "name");
    checkNotNull(perSample, "perSample");
    return new RewardFunction<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public RewardScores score(
          List<? extends P> prompts, List<? extends C> completions, int[] groups) {
        checkBatch(prompts, completions, groups);
        double[] values = new double[completions.size()];
        for (int i = 0; i < values.length; i++) {
          OptionalDouble v = perSample.apply(prompts.get(i), completions.get(i));
          values[i] = v.isPresent() ? v.getAsDouble() : Double.NaN;
        }
        return RewardScores.single(name, values);
      }
    };
  }

  /**
   * Checks that a batch's lists and group array have one entry per sample.
   *
   * @throws IllegalArgumentException naming the mismatch
   */
  static void checkBatch(List<?> prompts, List<?> completions, int[] groups) {
    checkNotNull(prompts, "prompts");
    checkNotNull(completions, "completions");
    checkNotNull(groups, "groups");
    checkArgument(
        prompts.size() == completions.size() && groups.length == completions.size(),
        "batch of %s prompts, %s completions, %s group ids",
        prompts.size(),
        completions.size(),
        groups.length);
  }
}
