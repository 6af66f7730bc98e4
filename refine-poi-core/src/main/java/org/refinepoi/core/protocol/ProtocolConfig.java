package org.refinepoi.core.protocol;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the next-POI protocol (docs/method.md section 1). Immutable; build with {@link
 * #builder()}. The defaults are those of the standard protocol of GETNext / STHGCN / LLM4POI:
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@link #dropDuplicateCheckIns()}</td><td>false</td>
 *       <td>true: a check-in equal in user, POI, time and UTC offset to an earlier one is dropped
 *       before the filters (the load report counts them either way)</td></tr>
 *   <tr><td>{@link #minCheckInsPerUser()}</td><td>10</td>
 *       <td>users with fewer check-ins are dropped (0 or 1: no filter)</td></tr>
 *   <tr><td>{@link #minCheckInsPerPoi()}</td><td>10</td>
 *       <td>POIs with fewer check-ins are dropped (0 or 1: no filter)</td></tr>
 *   <tr><td>{@link #filterToFixedPoint()}</td><td>true</td>
 *       <td>repeat the two filters until nothing changes; false: one pass (POIs, then users)</td></tr>
 *   <tr><td>{@link #sessionGap()}</td><td>24 hours</td>
 *       <td>a new trajectory starts where the gap to the user's previous check-in exceeds this</td></tr>
 *   <tr><td>{@link #trainFraction()}</td><td>0.8</td>
 *       <td>the earliest check-ins (by time rank) forming the training split</td></tr>
 *   <tr><td>{@link #validationFraction()}</td><td>0.1</td>
 *       <td>the next check-ins forming the validation split; the rest is the test split</td></tr>
 *   <tr><td>{@link #sampleMode()}</td><td>{@link SampleMode#LAST_CHECK_IN}</td>
 *       <td>which check-ins of a trajectory are targets</td></tr>
 *   <tr><td>{@link #coldStartFraction()}</td><td>0.3</td>
 *       <td>share of users, fewest training trajectories first, flagged cold-start</td></tr>
 *   <tr><td>{@link #maxLongTermCheckIns()}</td><td>200</td>
 *       <td>long-term memory keeps at most this many most recent earlier check-ins</td></tr>
 * </table>
 */
public final class ProtocolConfig {

  private static final ProtocolConfig DEFAULTS = builder().build();

  private final int minCheckInsPerUser;
  private final int minCheckInsPerPoi;
  private final boolean filterToFixedPoint;
  private final Duration sessionGap;
  private final double trainFraction;
  private final double validationFraction;
  private final SampleMode sampleMode;
  private final double coldStartFraction;
  private final int maxLongTermCheckIns;
  private final boolean dropDuplicateCheckIns;

  private ProtocolConfig(Builder b) {
    this.minCheckInsPerUser = b.minCheckInsPerUser;
    this.minCheckInsPerPoi = b.minCheckInsPerPoi;
    this.filterToFixedPoint = b.filterToFixedPoint;
    this.sessionGap = b.sessionGap;
    this.trainFraction = b.trainFraction;
    this.validationFraction = b.validationFraction;
    this.sampleMode = b.sampleMode;
    this.coldStartFraction = b.coldStartFraction;
    this.maxLongTermCheckIns = b.maxLongTermCheckIns;
    this.dropDuplicateCheckIns = b.dropDuplicateCheckIns;
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The default protocol. */
  public static ProtocolConfig defaults() {
    return DEFAULTS;
  }

  /** A builder initialized with this configuration's values. */
  public Builder toBuilder() {
    return new Builder()
        .minCheckInsPerUser(minCheckInsPerUser)
        .minCheckInsPerPoi(minCheckInsPerPoi)
        .filterToFixedPoint(filterToFixedPoint)
        .sessionGap(sessionGap)
        .trainFraction(trainFraction)
        .validationFraction(validationFraction)
        .sampleMode(sampleMode)
        .coldStartFraction(coldStartFraction)
        .maxLongTermCheckIns(maxLongTermCheckIns)
        .dropDuplicateCheckIns(dropDuplicateCheckIns);
  }

  /**
   * Whether exact duplicate check-ins (equal in user, POI, time and UTC offset to an earlier one)
   * are dropped before the filters (default false: kept, as the published preprocessing does).
   */
  public boolean dropDuplicateCheckIns() {
    return dropDuplicateCheckIns;
  }

  /** Users with fewer check-ins are dropped (default 10). */
  public int minCheckInsPerUser() {
    return minCheckInsPerUser;
  }

  /** POIs with fewer check-ins are dropped (default 10). */
  public int minCheckInsPerPoi() {
    return minCheckInsPerPoi;
  }

  /** Whether the filters repeat until nothing changes (default true) or run once. */
  public boolean filterToFixedPoint() {
    return filterToFixedPoint;
  }

  /** The largest gap inside one trajectory (default 24 hours). */
  public Duration sessionGap() {
    return sessionGap;
  }

  /** Share of check-ins, earliest first, in the training split (default 0.8). */
  public double trainFraction() {
    return trainFraction;
  }

  /** Share of check-ins in the validation split (default 0.1); the rest is the test split. */
  public double validationFraction() {
    return validationFraction;
  }

  /** Which check-ins become targets (default {@link SampleMode#LAST_CHECK_IN}). */
  public SampleMode sampleMode() {
    return sampleMode;
  }

  /** Share of users flagged cold-start (default 0.3). */
  public double coldStartFraction() {
    return coldStartFraction;
  }

  /** Size limit of the long-term memory, most recent kept (default 200). */
  public int maxLongTermCheckIns() {
    return maxLongTermCheckIns;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProtocolConfig c
        && minCheckInsPerUser == c.minCheckInsPerUser
        && minCheckInsPerPoi == c.minCheckInsPerPoi
        && filterToFixedPoint == c.filterToFixedPoint
        && sessionGap.equals(c.sessionGap)
        && Double.compare(trainFraction, c.trainFraction) == 0
        && Double.compare(validationFraction, c.validationFraction) == 0
        && sampleMode == c.sampleMode
        && Double.compare(coldStartFraction, c.coldStartFraction) == 0
        && maxLongTermCheckIns == c.maxLongTermCheckIns
        && dropDuplicateCheckIns == c.dropDuplicateCheckIns;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        minCheckInsPerUser,
        minCheckInsPerPoi,
        filterToFixedPoint,
        sessionGap,
        trainFraction,
        validationFraction,
        sampleMode,
        coldStartFraction,
        maxLongTermCheckIns,
        dropDuplicateCheckIns);
  }

  @Override
  public String toString() {
    return "ProtocolConfig[minCheckInsPerUser=%d, minCheckInsPerPoi=%d, filterToFixedPoint=%s,"
            .formatted(minCheckInsPerUser, minCheckInsPerPoi, filterToFixedPoint)
        + " sessionGap=%s, trainFraction=%s, validationFraction=%s, sampleMode=%s,"
            .formatted(sessionGap, trainFraction, validationFraction, sampleMode)
        + " coldStartFraction=%s, maxLongTermCheckIns=%d, dropDuplicateCheckIns=%s]"
            .formatted(coldStartFraction, maxLongTermCheckIns, dropDuplicateCheckIns);
  }

  /** Builds a {@link ProtocolConfig}; each setter validates its argument. Not thread-safe. */
  public static final class Builder {
    private int minCheckInsPerUser = 10;
    private int minCheckInsPerPoi = 10;
    private boolean filterToFixedPoint = true;
    private Duration sessionGap = Duration.ofHours(24);
    private double trainFraction = 0.8;
    private double validationFraction = 0.1;
    private SampleMode sampleMode = SampleMode.LAST_CHECK_IN;
    private double coldStartFraction = 0.3;
    private int maxLongTermCheckIns = 200;
    private boolean dropDuplicateCheckIns;

    private Builder() {}

    /** Whether exact duplicate check-ins are dropped before the filters (default false: kept). */
    public Builder dropDuplicateCheckIns(boolean value) {
      this.dropDuplicateCheckIns = value;
      return this;
    }

    /** Minimum check-ins of a kept user, >= 0 (default 10). */
    public Builder minCheckInsPerUser(int value) {
      checkArgument(value >= 0, "minCheckInsPerUser must be >= 0, got %s", value);
      this.minCheckInsPerUser = value;
      return this;
    }

    /** Minimum check-ins of a kept POI, >= 0 (default 10). */
    public Builder minCheckInsPerPoi(int value) {
      checkArgument(value >= 0, "minCheckInsPerPoi must be >= 0, got %s", value);
      this.minCheckInsPerPoi = value;
      return this;
    }

    /** Filter to a fixed point (default true) or in one pass. */
    public Builder filterToFixedPoint(boolean value) {
      this.filterToFixedPoint = value;
      return this;
    }

    /** The largest gap inside one trajectory, positive (default 24 hours). */
    public Builder sessionGap(Duration value) {
      checkNotNull(value, "sessionGap");
      checkArgument(
          !value.isNegative() && !value.isZero(), "sessionGap must be positive, got %s", value);
      this.sessionGap = value;
      return this;
    }

    /** Share of check-ins in the training split, in (0, 1] (default 0.8). */
    public Builder trainFraction(double value) {
      checkArgument(value > 0 && value <= 1, "trainFraction must be in (0, 1], got %s", value);
      this.trainFraction = value;
      return this;
    }

    /** Share of check-ins in the validation split, in [0, 1) (default 0.1). */
    public Builder validationFraction(double value) {
      checkArgument(value >= 0 && value < 1, "validationFraction must be in [0, 1), got %s", value);
      this.validationFraction = value;
      return this;
    }

    /** Which check-ins become targets (default {@link SampleMode#LAST_CHECK_IN}). */
    public Builder sampleMode(SampleMode value) {
      this.sampleMode = checkNotNull(value, "sampleMode");
      return this;
    }

    /** Share of users flagged cold-start, in [0, 1] (default 0.3). */
    public Builder coldStartFraction(double value) {
      checkArgument(value >= 0 && value <= 1, "coldStartFraction must be in [0, 1], got %s", value);
      this.coldStartFraction = value;
      return this;
    }

    /** Size limit of the long-term memory, >= 0 (default 200). */
    public Builder maxLongTermCheckIns(int value) {
      checkArgument(value >= 0, "maxLongTermCheckIns must be >= 0, got %s", value);
      this.maxLongTermCheckIns = value;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @throws IllegalArgumentException if the train and validation fractions sum above 1
     */
    public ProtocolConfig build() {
      checkArgument(
          trainFraction + validationFraction <= 1 + 1e-12,
          "trainFraction + validationFraction must be <= 1, got %s + %s",
          trainFraction,
          validationFraction);
      return new ProtocolConfig(this);
    }
  }
}
