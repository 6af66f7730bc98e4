package org.refinepoi.rl.reward;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.refinepoi.core.sid.SemanticId;

/**
 * The ranking reward a GRPO run optimizes: weighted {@link RankingReward} terms over a parsed
 * answer, as a batch {@link RewardFunction}.
 *
 * <p><b>Gating</b> (default on): an answer that fails the strict format check ({@link
 * FormatReward#passes}) gets 0 on every term that is {@linkplain RankingReward#gatedByFormat()
 * gated} (all but the format term), so a malformed answer earns no ranking reward even when some of
 * its IDs hit.
 *
 * <p><b>Combination</b> (see {@link Combination}): {@link Combination#WEIGHTED_MEAN} (default) sums
 * {@code weight * term} and divides by the total weight, so the total stays in [0, 1]. The
 * group-normalizing combinations first normalize each term within its GRPO group, then take the
 * weighted mean: this keeps a term with a small spread from being drowned by one with a large
 * spread, and keeps different reward mixes from collapsing onto the same advantage
 * (docs/anchors.md).
 *
 * <p>A sample whose prompt has no ground truth (the truth function returns empty) is not
 * applicable: NaN total and NaN terms; it is left out of group statistics.
 *
 * <p>Diagnostics per sample: {@code list_length} (valid items), {@code entries} (all entries),
 * {@code well_formed} (1 or 0).
 *
 * @param <P> the prompt / metadata type
 * @param <C> the completion type
 */
public final class CompositeReward<P, C> implements RewardFunction<P, C> {

  /** How the weighted terms become one number. */
  public enum Combination {
    /** {@code sum(w_t * r_t) / sum(w_t)}; in [0, 1]. */
    WEIGHTED_MEAN,
    /**
     * Each term min-max normalized within its group ({@code (r - min) / (max - min)}, 0 when the
     * group's values are all equal), then the weighted mean; in [0, 1].
     */
    GROUP_MIN_MAX,
    /**
     * Each term z-scored within its group ({@code (r - mean) / (std + 1e-4)}, population std), then
     * the weighted mean. Centred, <em>not</em> in [0, 1]: an advantage-like signal, meant for GRPO
     * with reward scaling as the final step.
     */
    GROUP_Z_SCORE
  }

  /** The z-score's guard against a zero standard deviation (TRL's 1e-4). */
  public static final double Z_SCORE_EPS = 1e-4;

  private record Term(RankingReward reward, double weight) {}

  private final String name;
  private final Function<? super P, Optional<SemanticId>> truthOf;
  private final Function<? super C, ParsedAnswer> parse;
  private final ImmutableList<Term> terms;
  private final FormatReward gate;
  private final Combination combination;

  private CompositeReward(Builder<P, C> b) {
    this.name = b.name;
    this.truthOf = b.truthOf;
    this.parse = b.parse;
    this.terms = ImmutableList.copyOf(b.terms);
    this.gate = b.gateK > 0 ? FormatReward.strict(b.gateK) : null;
    this.combination = b.combination;
  }

  /**
   * A builder.
   *
   * @param truthOf the ground truth of a prompt, empty when the sample has none (not applicable)
   * @param parse reads a completion into a ranked list (for text, {@code parser::parse})
   */
  public static <P, C> Builder<P, C> builder(
      Function<? super P, Optional<SemanticId>> truthOf, Function<? super C, ParsedAnswer> parse) {
    return new Builder<>(truthOf, parse);
  }

  /**
   * The five terms of the paper with this project's default weights: format 1, reciprocal rank 1,
   * soft accuracy 1, diversity 0.5, length 0.5 (format gating on, {@link
   * Combination#WEIGHTED_MEAN}). The weights are not published in the paper; they are a documented
   * default, not a claim.
   */
  public static <P, C> Builder<P, C> paperTerms(
      Function<? super P, Optional<SemanticId>> truthOf,
      Function<? super C, ParsedAnswer> parse,
      SoftAccuracyReward softAccuracy,
      int k) {
    return CompositeReward.<P, C>builder(truthOf, parse)
        .add(FormatReward.strict(k), 1.0)
        .add(RankingRewards.reciprocalRank(k), 1.0)
        .add(softAccuracy, 1.0)
        .add(RankingRewards.diversity(), 0.5)
        .add(LengthReward.linear(k), 0.5)
        .gateOnFormat(k);
  }

  @Override
  public String name() {
    return name;
  }

  /** The term names, in order. */
  public List<String> termNames() {
    return terms.stream().map(t -> t.reward().name()).toList();
  }

  @Override
  public RewardScores score(
      List<? extends P> prompts, List<? extends C> completions, int[] groups) {
    RewardFunction.checkBatch(prompts, completions, groups);
    int n = completions.size();
    int m = terms.size();
    double[][] raw = new double[m][n];
    double[] listLength = new double[n];
    double[] entries = new double[n];
    double[] wellFormed = new double[n];
    boolean[] applicable = new boolean[n];
    for (int i = 0; i < n; i++) {
      ParsedAnswer answer = checkNotNull(parse.apply(completions.get(i)), "parsed answer %s", i);
      listLength[i] = answer.items().size();
      entries[i] = answer.entryCount();
      wellFormed[i] = answer.wellFormed() ? 1 : 0;
      Optional<SemanticId> truth = truthOf.apply(prompts.get(i));
      applicable[i] = truth.isPresent();
      boolean failed = gate != null && !gate.passes(answer);
      for (int t = 0; t < m; t++) {
        RankingReward reward = terms.get(t).reward();
        if (!applicable[i]) {
          raw[t][i] = Double.NaN;
        } else if (failed && reward.gatedByFormat()) {
          raw[t][i] = 0.0;
        } else {
          double v = reward.score(answer, truth.get());
          checkState(
              v >= 0 && v <= 1, "term %s returned %s outside [0, 1]", reward.name(), (Object) v);
          raw[t][i] = v;
        }
      }
    }
    double[][] combined = raw;
    if (combination != Combination.WEIGHTED_MEAN) {
      combined = new double[m][];
      for (int t = 0; t < m; t++) {
        combined[t] = normalizeWithinGroups(raw[t], groups, combination);
      }
    }
    double totalWeight = terms.stream().mapToDouble(Term::weight).sum();
    double[] totals = new double[n];
    for (int i = 0; i < n; i++) {
      if (!applicable[i]) {
        totals[i] = Double.NaN;
        continue;
      }
      double sum = 0;
      for (int t = 0; t < m; t++) {
        sum += terms.get(t).weight() * combined[t][i];
      }
      totals[i] = sum / totalWeight;
    }
    Map<String, double[]> breakdown = new LinkedHashMap<>();
    for (int t = 0; t < m; t++) {
      breakdown.put(terms.get(t).reward().name(), raw[t]);
    }
    Map<String, double[]> diagnostics = new LinkedHashMap<>();
    diagnostics.put("list_length", listLength);
    diagnostics.put("entries", entries);
    diagnostics.put("well_formed", wellFormed);
    return new RewardScores(totals, breakdown, diagnostics);
  }

  /** Normalizes values within each group; NaN entries stay NaN and are left out. */
  static double[] normalizeWithinGroups(double[] values, int[] groups, Combination how) {
    Map<Integer, List<Integer>> members = new HashMap<>();
    for (int i = 0; i < values.length; i++) {
      if (!Double.isNaN(values[i])) {
        members.computeIfAbsent(groups[i], g -> new ArrayList<>()).add(i);
      }
    }
    double[] out = values.clone();
    for (List<Integer> group : members.values()) {
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      double mean = 0;
      for (int i : group) {
        min = Math.min(min, values[i]);
        max = Math.max(max, values[i]);
        mean += values[i];
      }
      mean /= group.size();
      double var = 0;
      for (int i : group) {
        var += (values[i] - mean) * (values[i] - mean);
      }
      double std = Math.sqrt(var / group.size());
      for (int i : group) {
        out[i] =
            switch (how) {
              case GROUP_MIN_MAX -> max > min ? (values[i] - min) / (max - min) : 0.0;
              case GROUP_Z_SCORE -> (values[i] - mean) / (std + Z_SCORE_EPS);
              case WEIGHTED_MEAN -> values[i];
            };
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return name + terms + " " + combination + (gate != null ? " gated" : "");
  }

  /** Builder of {@link CompositeReward}. */
  public static final class Builder<P, C> {
    private final Function<? super P, Optional<SemanticId>> truthOf;
    private final Function<? super C, ParsedAnswer> parse;
    private final List<Term> terms = new ArrayList<>();
    private String name = "ranking";
    private int gateK = 0;
    private Combination combination = Combination.WEIGHTED_MEAN;

    private Builder(
        Function<? super P, Optional<SemanticId>> truthOf,
        Function<? super C, ParsedAnswer> parse) {
      this.truthOf = checkNotNull(truthOf, "truthOf");
      this.parse = checkNotNull(parse, "parse");
    }

    /** Adds a term with a weight, finite and {@code >= 0}. Names must be unique. */
    public Builder<P, C> add(RankingReward reward, double weight) {
      checkNotNull(reward, "reward");
      checkArgument(
          Double.isFinite(weight) && weight >= 0, "weight must be finite and >= 0, got %s", weight);
      terms.add(new Term(reward, weight));
      return this;
    }

    /** Gates ranking terms on the strict format check with k items at most (default: off). */
    public Builder<P, C> gateOnFormat(int k) {
      checkArgument(k >= 1, "k must be >= 1, got %s", k);
      this.gateK = k;
      return this;
    }

    /** Turns gating off. */
    public Builder<P, C> noGating() {
      this.gateK = 0;
      return this;
    }

    /** The combination (default {@link Combination#WEIGHTED_MEAN}). */
    public Builder<P, C> combination(Combination value) {
      this.combination = checkNotNull(value, "combination");
      return this;
    }

    /** The reward's name for logs (default {@code "ranking"}). */
    public Builder<P, C> name(String value) {
      this.name = checkNotNull(value, "name");
      return this;
    }

    /**
     * Builds.
     *
     * @throws IllegalArgumentException without terms, with duplicate names, or zero total weight
     */
    public CompositeReward<P, C> build() {
      checkArgument(!terms.isEmpty(), "a composite reward needs at least one term");
      Set<String> names = new HashSet<>();
      for (Term t : terms) {
        checkArgument(names.add(t.reward().name()), "duplicate term name %s", t.reward().name());
      }
      checkArgument(
          terms.stream().mapToDouble(Term::weight).sum() > 0, "the total weight must be > 0");
      return new CompositeReward<>(this);
    }
  }
}
