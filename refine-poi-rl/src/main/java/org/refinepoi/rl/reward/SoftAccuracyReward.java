package org.refinepoi.rl.reward;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import java.util.List;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.SemanticId;

/**
 * Soft accuracy, the topology-aware term: partial credit for listing IDs near the truth on the SOM
 * lattices. Its value is {@code max over the first k items (rank r) of discount(r) * sim(item,
 * truth)}.
 *
 * <p><b>Similarity.</b> Two IDs are compared at the first level where they differ (as {@link
 * IdSpace#distance} does). Equal IDs: 1. Only the collision slot differs: {@code slotSimilarity}.
 * Lattice level {@code l} differs, with lattice distance {@code d} between the two cells: a value
 * in the level's band {@code [floor_l, ceiling_l]}, {@code ceiling_l} for adjacent cells ({@code d
 * <= 1}) falling towards {@code floor_l} as {@code d} grows:
 *
 * <ul>
 *   <li>{@link Decay#LINEAR} (default): {@code ceiling - (ceiling - floor) * (d - 1) / (diameter -
 *       1)}, reaching the floor at the lattice's diameter;
 *   <li>{@link Decay#EXPONENTIAL}: {@code floor + (ceiling - floor) * exp(-(d - 1) / lengthScale)}.
 * </ul>
 *
 * The bands must nest: {@code ceiling_l <= floor_{l+1}} and {@code ceiling_last <= slotSimilarity <
 * 1}. Then the similarity never rises as the ID distance grows, and anything but an exact match is
 * worth less than 1. Defaults for {@code L} lattice levels split {@code [0, 0.5]} evenly: {@code
 * floor_l = 0.5 l / L}, {@code ceiling_l = 0.5 (l + 1) / L}, {@code slotSimilarity = 0.5} (two
 * levels: level 1 in [0, 0.25], level 2 in [0.25, 0.5], same leaf 0.5). The rank discount defaults
 * to {@link RankDiscount#LOG2}, so an exact hit at rank r earns the NDCG value. These are this
 * project's choices; the paper does not publish its formula.
 *
 * <p>Immutable and thread-safe; values are in [0, 1].
 */
public final class SoftAccuracyReward implements RankingReward {

  /** How similarity decays with lattice distance within a level's band. */
  public enum Decay {
    /** Linear from the ceiling (adjacent cells) to the floor (the lattice's diameter). */
    LINEAR,
    /** Exponential from the ceiling towards the floor with a length scale in lattice units. */
    EXPONENTIAL
  }

  private final IdSpace space;
  private final int k;
  private final RankDiscount discount;
  private final Decay decay;
  private final double lengthScale;
  private final double[] floors;
  private final double[] ceilings;
  private final double[] diameters;
  private final double slotSimilarity;

  private SoftAccuracyReward(Builder b) {
    this.space = b.space;
    this.k = b.k;
    this.discount = b.discount;
    this.decay = b.decay;
    this.lengthScale = b.lengthScale;
    this.floors = b.floors.clone();
    this.ceilings = b.ceilings.clone();
    this.slotSimilarity = b.slotSimilarity;
    this.diameters = new double[space.levelCount()];
    for (int l = 0; l < diameters.length; l++) {
      diameters[l] = space.level(l).diameter();
    }
  }

  /** A builder with the documented defaults. */
  public static Builder builder(IdSpace space, int k) {
    return new Builder(space, k);
  }

  @Override
  public String name() {
    return "soft_accuracy";
  }

  /** The similarity of two IDs of the space, in [0, 1], 1 only when equal. */
  public double similarity(SemanticId listed, SemanticId truth) {
    int level = listed.firstDifferingLevel(truth);
    if (level < 0) {
      return 1.0;
    }
    if (level == space.levelCount()) {
      return slotSimilarity;
    }
    double d = space.level(level).distance(listed.cell(level), truth.cell(level));
    double excess = Math.max(0.0, d - 1.0);
    double hi = ceilings[level];
    double lo = floors[level];
    return switch (decay) {
      case LINEAR -> {
        double span = diameters[level] - 1.0;
        double t = span <= 0 ? 0.0 : Math.min(1.0, excess / span);
        yield hi - (hi - lo) * t;
      }
      case EXPONENTIAL -> lo + (hi - lo) * Math.exp(-excess / lengthScale);
    };
  }

  /** Soft accuracy of a ranked list (only the first k items count). */
  public double score(List<SemanticId> list, SemanticId truth) {
    checkNotNull(list, "list");
    checkNotNull(truth, "truth");
    double best = 0.0;
    int n = Math.min(k, list.size());
    for (int i = 0; i < n; i++) {
      double d = discount.at(i + 1);
      if (d <= best) {
        break; // discounts never rise, similarity is at most 1
      }
      best = Math.max(best, d * similarity(list.get(i), truth));
    }
    return best;
  }

  @Override
  public double score(ParsedAnswer answer, SemanticId truth) {
    return score(answer.items(), truth);
  }

  @Override
  public String toString() {
    return "soft_accuracy(k="
        + k
        + ", "
        + discount
        + ", "
        + decay
        + ", floors="
        + Arrays.toString(floors)
        + ", ceilings="
        + Arrays.toString(ceilings)
        + ", slot="
        + slotSimilarity
        + ")";
  }

  /** Builder of {@link SoftAccuracyReward}; defaults in the class comment. */
  public static final class Builder {
    private final IdSpace space;
    private final int k;
    private RankDiscount discount = RankDiscount.LOG2;
    private Decay decay = Decay.LINEAR;
    private double lengthScale = 1.0;
    private final double[] floors;
    private final double[] ceilings;
    private double slotSimilarity = 0.5;

    private Builder(IdSpace space, int k) {
      this.space = checkNotNull(space, "space");
      checkArgument(k >= 1, "k must be >= 1, got %s", k);
      this.k = k;
      int levels = space.levelCount();
      floors = new double[levels];
      ceilings = new double[levels];
      for (int l = 0; l < levels; l++) {
        floors[l] = 0.5 * l / levels;
        ceilings[l] = 0.5 * (l + 1) / levels;
      }
    }

    /** The rank discount (default {@link RankDiscount#LOG2}). */
    public Builder discount(RankDiscount value) {
      this.discount = checkNotNull(value, "discount");
      return this;
    }

    /** The decay within a band (default {@link Decay#LINEAR}). */
    public Builder decay(Decay value) {
      this.decay = checkNotNull(value, "decay");
      return this;
    }

    /** The exponential decay's length scale in lattice units, {@code > 0} (default 1). */
    public Builder lengthScale(double value) {
      checkArgument(Double.isFinite(value) && value > 0, "lengthScale must be > 0, got %s", value);
      this.lengthScale = value;
      return this;
    }

    /** The band of a lattice level (0 = coarsest): {@code 0 <= floor <= ceiling < 1}. */
    public Builder band(int level, double floor, double ceiling) {
      checkArgument(level >= 0 && level < floors.length, "level out of range: %s", level);
      checkArgument(
          floor >= 0 && floor <= ceiling && ceiling < 1,
          "need 0 <= floor <= ceiling < 1, got [%s, %s]",
          floor,
          ceiling);
      floors[level] = floor;
      ceilings[level] = ceiling;
      return this;
    }

    /** The similarity of IDs differing only in the collision slot, in [0, 1) (default 0.5). */
    public Builder slotSimilarity(double value) {
      checkArgument(value >= 0 && value < 1, "slotSimilarity must be in [0, 1), got %s", value);
      this.slotSimilarity = value;
      return this;
    }

    /**
     * Builds, checking that the bands nest.
     *
     * @throws IllegalArgumentException when a band overlaps the next finer one
     */
    public SoftAccuracyReward build() {
      for (int l = 0; l + 1 < floors.length; l++) {
        checkArgument(
            ceilings[l] <= floors[l + 1],
            "band of level %s ends at %s above the floor %s of level %s: similarity would rise"
                + " with distance",
            l,
            ceilings[l],
            floors[l + 1],
            l + 1);
      }
      checkArgument(
          ceilings[floors.length - 1] <= slotSimilarity,
          "band of the last level ends at %s above the slot similarity %s",
          ceilings[floors.length - 1],
          slotSimilarity);
      return new SoftAccuracyReward(this);
    }
  }
}
