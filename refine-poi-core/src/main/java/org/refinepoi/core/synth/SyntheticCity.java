package org.refinepoi.core.synth;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.synth.CityCategory.Family;
import org.refinepoi.core.synth.CityCategory.Group;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A synthetic city of POIs, users and check-ins with the structure real check-in logs have, the
 * SDK's embedded default data set. Generation is deterministic: the same settings give the same
 * {@link CheckInDataset}, value for value.
 *
 * <p>The model, in order of generation:
 *
 * <ul>
 *   <li><b>Neighbourhoods</b>: spatial clusters (Gaussian, 0.4–0.9 km spread) inside a disc around
 *       the centre, each of a type (downtown, residential, nightlife, parkside, shopping, campus)
 *       that fixes its mix over the nine category families of the 61-name catalogue (home, work,
 *       transit, food, nightlife, shopping, outdoors, fitness, arts and education).
 *   <li><b>POIs</b>: every category gets at least one POI; the rest draw a neighbourhood by size, a
 *       family from its mix and a category with a Zipf-like preference within the family; 5% lie
 *       scattered anywhere in the disc. Each POI has an attractiveness drawn from a Zipf law over a
 *       random ranking (popularity skew).
 *   <li><b>Users</b>: a home POI in a residential-leaning neighbourhood; a work anchor (an office
 *       for 75%, a campus for 15%, none for 10%); favourite nightlife, park and shopping districts
 *       near home; a chronotype shift, a loyalty (probability of revisiting a favourite) and an
 *       activity level (lognormal) that sets the user's share of the requested check-ins (at least
 *       12 each, at most 3 per day of the log, the excess going to the others; the total is exactly
 *       the requested number).
 *   <li><b>Days</b>: an active day follows a routine by weekday/weekend: coffee, transit at home,
 *       transit at work, office, coffee, lunch near work, back to the office, transit home, then
 *       gym, groceries, dinner near home or out, bars, home; weekends with brunch, parks, shopping,
 *       culture, dinner and nightlife. Each step happens with a personal probability, at a time
 *       around its slot (local time) after the previous one. A step goes to one of the user's
 *       favourite POIs for that activity (a few, revisited with Zipf weights) or, with probability
 *       1 - loyalty, explores a POI of the right categories weighted by attractiveness and a
 *       distance decay (0.8 km) from the current location or the activity's anchor. Favourites are
 *       drawn the same way around the anchor (1 km decay). Distance-weighted draws look at most 5
 *       decay lengths away (through a 1 km grid), which keeps generation linear in the check-ins.
 *   <li><b>Active days</b>: about quota / 3.5 days drawn at random from the span; a user whose days
 *       fall short draws more (if every day of the span is used, dates repeat).
 * </ul>
 *
 * The routine order gives first-order transitions real signal (station to office, office to lunch
 * spot, dinner to bar), and active days are spread over the span, so most 24-hour sessions are one
 * day's outing of several check-ins (consecutive active days can join into one session, as in real
 * logs). Times are local wall-clock times of {@link Builder#zone} converted to UTC with the zone's
 * offset (with its DST switches) recorded in every check-in.
 */
public final class SyntheticCity {

  private static final Logger log = LoggerFactory.getLogger(SyntheticCity.class);

  private static final double KM_PER_DEGREE_LAT = 110.574;
  private static final double KM_PER_DEGREE_LON_AT_EQUATOR = 111.320;
  private static final double EXPLORE_DECAY_KM = 0.8;
  private static final double FAVOURITE_DECAY_KM = 1.0;
  private static final double DISTRICT_DECAY_KM = 5.0;
  private static final double SCATTERED_FRACTION = 0.05;
  private static final int MIN_CHECK_INS_PER_USER = 12;

  /**
   * Distance-decayed choices only look this many decay lengths away (the weight there is e^-5 of
   * the weight at distance 0): a spatial grid then keeps generation linear in the check-ins.
   */
  private static final double NEIGHBOURHOOD_DECAYS = 5;

  private static final double EXPECTED_CHECK_INS_PER_DAY = 3.5;
  private static final int MAX_CHECK_INS_PER_DAY = 3;

  private final long seed;
  private final int users;
  private final int pois;
  private final int checkIns;
  private final int neighbourhoods;
  private final LocalDate startDate;
  private final int days;
  private final ZoneId zone;
  private final double centreLatitude;
  private final double centreLongitude;
  private final double radiusKm;
  private final double zipfExponent;
  private final String name;

  private SyntheticCity(Builder b) {
    this.seed = b.seed;
    this.users = b.users;
    this.pois = b.pois;
    this.checkIns = b.checkIns;
    this.neighbourhoods = b.neighbourhoods;
    this.startDate = b.startDate;
    this.days = b.days;
    this.zone = b.zone;
    this.centreLatitude = b.centreLatitude;
    this.centreLongitude = b.centreLongitude;
    this.radiusKm = b.radiusKm;
    this.zipfExponent = b.zipfExponent;
    this.name = b.name;
  }

  /** A builder with the documented defaults (the embedded demo city). */
  public static Builder builder() {
    return new Builder();
  }

  /** The embedded default city: {@code builder().build()}, seed 7. */
  public static SyntheticCity defaults() {
    return builder().build();
  }

  /**
   * Generates the data set. Deterministic in the settings; takes about a second at the defaults.
   */
  public CheckInDataset generate() {
    long startNanos = System.nanoTime();
    Generator generator = new Generator();
    CheckInDataset dataset = generator.run();
    if (log.isDebugEnabled()) {
      log.debug(
          "generated {} in {} ms",
          dataset,
          String.format("%.0f", (System.nanoTime() - startNanos) / 1e6));
    }
    return dataset;
  }

  /** The seed. */
  public long seed() {
    return seed;
  }

  /** The number of users. */
  public int users() {
    return users;
  }

  /** The number of POIs. */
  public int pois() {
    return pois;
  }

  /** The number of check-ins requested (the generated count equals it). */
  public int checkIns() {
    return checkIns;
  }

  @Override
  public String toString() {
    return "SyntheticCity[seed=%d, users=%d, pois=%d, checkIns=%d, neighbourhoods=%d, %s + %d days, %s]"
        .formatted(seed, users, pois, checkIns, neighbourhoods, startDate, days, zone);
  }

  /**
   * Settings of a synthetic city, validated when set. Defaults: seed 7, 1,000 users, 3,000 POIs,
   * 100,000 check-ins, 24 neighbourhoods, 224 days from Monday 2012-04-02 in {@code
   * America/New_York} (UTC-4, then UTC-5 after the DST switch of 2012-11-04), centre 40.30 N 74.40
   * W (a made-up city, not New York), radius 10 km, Zipf exponent 0.8 for POI attractiveness.
   */
  public static final class Builder {
    private long seed = 7;
    private int users = 1_000;
    private int pois = 3_000;
    private int checkIns = 100_000;
    private int neighbourhoods = 24;
    private LocalDate startDate = LocalDate.of(2012, 4, 2);
    private int days = 224;
    private ZoneId zone = ZoneId.of("America/New_York");
    private double centreLatitude = 40.30;
    private double centreLongitude = -74.40;
    private double radiusKm = 10;
    private double zipfExponent = 0.8;
    private String name = "synthetic-city";

    private Builder() {}

    /** The seed from which everything is drawn (default 7). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Number of users, at least 1 (default 1,000). */
    public Builder users(int users) {
      checkArgument(users >= 1, "users must be >= 1, got %s", users);
      this.users = users;
      return this;
    }

    /**
     * Number of POIs, at least twice the 61 categories (default 3,000). Every category gets one.
     */
    public Builder pois(int pois) {
      checkArgument(
          pois >= 2 * CityCategory.ALL.size(),
          "pois must be >= %s (twice the number of categories), got %s",
          2 * CityCategory.ALL.size(),
          pois);
      this.pois = pois;
      return this;
    }

    /** Number of check-ins to generate, at least one per user (default 100,000). */
    public Builder checkIns(int checkIns) {
      checkArgument(checkIns >= 1, "checkIns must be >= 1, got %s", checkIns);
      this.checkIns = checkIns;
      return this;
    }

    /** Number of neighbourhoods (spatial clusters), 1 to 500 (default 24). */
    public Builder neighbourhoods(int neighbourhoods) {
      checkArgument(
          neighbourhoods >= 1 && neighbourhoods <= 500,
          "neighbourhoods must be in [1, 500], got %s",
          neighbourhoods);
      this.neighbourhoods = neighbourhoods;
      return this;
    }

    /** First day of the log, local date (default 2012-04-02). */
    public Builder startDate(LocalDate startDate) {
      this.startDate = checkNotNull(startDate, "startDate");
      return this;
    }

    /** Length of the log in days, 7 to 3,650 (default 224). */
    public Builder days(int days) {
      checkArgument(days >= 7 && days <= 3_650, "days must be in [7, 3650], got %s", days);
      this.days = days;
      return this;
    }

    /** The city's time zone, which gives every check-in its UTC offset (default New York). */
    public Builder zone(ZoneId zone) {
      this.zone = checkNotNull(zone, "zone");
      return this;
    }

    /** The city centre in degrees (default 40.30, -74.40); the disc must stay within +-80 deg. */
    public Builder centre(double latitude, double longitude) {
      checkArgument(
          latitude >= -80 && latitude <= 80, "centre latitude must be in [-80, 80]: %s", latitude);
      checkArgument(
          longitude >= -170 && longitude <= 170,
          "centre longitude must be in [-170, 170]: %s",
          longitude);
      this.centreLatitude = latitude;
      this.centreLongitude = longitude;
      return this;
    }

    /** Radius of the city disc in km, 1 to 100 (default 10). */
    public Builder radiusKm(double radiusKm) {
      checkArgument(
          radiusKm >= 1 && radiusKm <= 100, "radiusKm must be in [1, 100], got %s", radiusKm);
      this.radiusKm = radiusKm;
      return this;
    }

    /** Exponent of the Zipf law of POI attractiveness, 0 (uniform) to 3 (default 0.8). */
    public Builder zipfExponent(double zipfExponent) {
      checkArgument(
          zipfExponent >= 0 && zipfExponent <= 3,
          "zipfExponent must be in [0, 3], got %s",
          zipfExponent);
      this.zipfExponent = zipfExponent;
      return this;
    }

    /** The data set's name (default {@code synthetic-city}). */
    public Builder name(String name) {
      checkNotNull(name, "name");
      checkArgument(!name.isBlank(), "name must not be blank");
      this.name = name;
      return this;
    }

    /**
     * Validates the combination and returns the city.
     *
     * @throws IllegalArgumentException when there are more neighbourhoods than POIs / 10, or more
     *     check-ins than 3 per user and day
     */
    public SyntheticCity build() {
      checkArgument(
          (long) checkIns <= (long) users * days * MAX_CHECK_INS_PER_DAY,
          "%s check-ins over %s users and %s days exceed %s per user and day",
          checkIns,
          users,
          days,
          MAX_CHECK_INS_PER_DAY);
      checkArgument(
          neighbourhoods <= Math.max(1, pois / 10),
          "%s neighbourhoods need at least %s POIs, got %s",
          neighbourhoods,
          neighbourhoods * 10,
          pois);
      return new SyntheticCity(this);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Generation

  /** Neighbourhood types and their mix over the families, in {@link Family} order. */
  private enum NeighbourhoodType {
    DOWNTOWN(1, 9, 3, 6, 2, 3, 1, 1, 1),
    RESIDENTIAL(8, 1, 2, 4, 1, 3, 2, 2, 0.5),
    NIGHTLIFE(2, 1, 2, 6, 8, 2, 0.5, 1, 2),
    PARKSIDE(3, 0.5, 1, 2, 0.5, 1, 8, 3, 1),
    SHOPPING(2, 2, 2, 4, 1, 8, 1, 1, 1),
    CAMPUS(2, 2, 1, 3, 1, 1, 2, 1, 7);

    final double[] mix;

    NeighbourhoodType(double... mix) {
      this.mix = mix;
    }

    double weight(Family family) {
      return mix[family.ordinal()];
    }
  }

  /** The first types in this order guarantee every kind of district once there are enough. */
  private static final NeighbourhoodType[] FIRST_TYPES = {
    NeighbourhoodType.DOWNTOWN,
    NeighbourhoodType.RESIDENTIAL,
    NeighbourhoodType.NIGHTLIFE,
    NeighbourhoodType.PARKSIDE,
    NeighbourhoodType.SHOPPING,
    NeighbourhoodType.RESIDENTIAL,
    NeighbourhoodType.CAMPUS
  };

  private record Neighbourhood(
      NeighbourhoodType type, double x, double y, double spread, double size) {}

  /** Where an activity's favourites lie. */
  private enum Anchor {
    HOME,
    WORK,
    NIGHTLIFE,
    PARK,
    SHOPPING
  }

  /** A routine step: which categories, around which anchor, whether to explore near here. */
  private enum Activity {
    COFFEE_HOME(Family.FOOD, Group.COFFEE, Anchor.HOME, false),
    COFFEE_WORK(Family.FOOD, Group.COFFEE, Anchor.WORK, true),
    TRANSIT_HOME(Family.TRANSIT, Group.ANY, Anchor.HOME, false),
    TRANSIT_WORK(Family.TRANSIT, Group.ANY, Anchor.WORK, false),
    MEETING(Family.WORK, Group.ANY, Anchor.WORK, true),
    LUNCH(Family.FOOD, Group.LUNCH, Anchor.WORK, true),
    LUNCH_HOME(Family.FOOD, Group.LUNCH, Anchor.HOME, true),
    GYM(Family.FITNESS, Group.ANY, Anchor.HOME, false),
    GROCERY(Family.SHOPPING, Group.GROCERY, Anchor.HOME, false),
    DINNER_HOME(Family.FOOD, Group.DINNER, Anchor.HOME, false),
    DINNER_OUT(Family.FOOD, Group.DINNER, Anchor.NIGHTLIFE, true),
    BAR(Family.NIGHTLIFE, Group.ANY, Anchor.NIGHTLIFE, true),
    BRUNCH(Family.FOOD, Group.COFFEE, Anchor.HOME, false),
    PARK(Family.OUTDOORS, Group.ANY, Anchor.PARK, true),
    SHOP(Family.SHOPPING, Group.RETAIL, Anchor.SHOPPING, true),
    CULTURE(Family.ARTS_EDUCATION, Group.CULTURE, Anchor.SHOPPING, true);

    final Family family;
    final Group group;
    final Anchor anchor;
    final boolean exploreNearCurrent;

    Activity(Family family, Group group, Anchor anchor, boolean exploreNearCurrent) {
      this.family = family;
      this.group = group;
      this.anchor = anchor;
      this.exploreNearCurrent = exploreNearCurrent;
    }

    boolean accepts(CityCategory c) {
      return c.family() == family && (group == Group.ANY || c.group() == group);
    }
  }

  /**
   * A step of a daily routine: an activity (or the fixed home/work POI when null) at an hour of the
   * local day with a base probability.
   */
  private record Step(Activity activity, Fixed fixed, double hour, double probability) {}

  private enum Fixed {
    NONE,
    HOME,
    WORK
  }

  private static Step step(Activity activity, double hour, double probability) {
    return new Step(activity, Fixed.NONE, hour, probability);
  }

  private static Step fixed(Fixed fixed, double hour, double probability) {
    return new Step(null, fixed, hour, probability);
  }

  private static final List<Step> WORKDAY =
      List.of(
          step(Activity.COFFEE_HOME, 7.4, 0.25),
          step(Activity.TRANSIT_HOME, 8.0, 0.5),
          step(Activity.TRANSIT_WORK, 8.6, 0.3),
          fixed(Fixed.WORK, 9.0, 0.75),
          step(Activity.COFFEE_WORK, 10.5, 0.25),
          step(Activity.MEETING, 11.0, 0.08),
          step(Activity.LUNCH, 12.4, 0.6),
          fixed(Fixed.WORK, 13.5, 0.4),
          step(Activity.TRANSIT_WORK, 18.0, 0.35),
          step(Activity.TRANSIT_HOME, 18.6, 0.2),
          step(Activity.GYM, 19.0, 0.18),
          step(Activity.GROCERY, 19.5, 0.15),
          step(Activity.DINNER_HOME, 20.0, 0.25),
          step(Activity.DINNER_OUT, 20.0, 0.12),
          step(Activity.BAR, 21.8, 0.15),
          fixed(Fixed.HOME, 22.8, 0.4));

  private static final List<Step> FREE_WEEKDAY =
      List.of(
          step(Activity.COFFEE_HOME, 9.0, 0.4),
          step(Activity.GROCERY, 10.5, 0.3),
          step(Activity.GYM, 11.0, 0.25),
          step(Activity.LUNCH_HOME, 12.8, 0.5),
          step(Activity.PARK, 14.5, 0.3),
          step(Activity.SHOP, 16.0, 0.25),
          step(Activity.DINNER_HOME, 19.5, 0.35),
          step(Activity.BAR, 21.5, 0.15),
          fixed(Fixed.HOME, 22.5, 0.5));

  private static final List<Step> WEEKEND =
      List.of(
          step(Activity.BRUNCH, 10.8, 0.5),
          step(Activity.GYM, 11.5, 0.12),
          step(Activity.PARK, 13.0, 0.45),
          step(Activity.SHOP, 15.0, 0.4),
          step(Activity.GROCERY, 16.5, 0.2),
          step(Activity.CULTURE, 17.0, 0.18),
          step(Activity.DINNER_OUT, 19.5, 0.35),
          step(Activity.DINNER_HOME, 19.8, 0.2),
          step(Activity.BAR, 22.0, 0.4),
          fixed(Fixed.HOME, 24.5, 0.4));

  /** A user's fixed traits. */
  private static final class User {
    int home;
    int work = -1; // -1: no work anchor
    double[][] anchors = new double[Anchor.values().length][];
    double shiftHours;
    double loyalty;
    double[] propensity = new double[Activity.values().length];
    int[][] favourites = new int[Activity.values().length][];
    double[][] favouriteWeights = new double[Activity.values().length][];
    int quota;
  }

  /** One generation run: all mutable state lives here, so the city object stays immutable. */
  private final class Generator {
    private final SplittableRandom random = new SplittableRandom(seed);
    private final double kmPerDegreeLon =
        KM_PER_DEGREE_LON_AT_EQUATOR * Math.cos(Math.toRadians(centreLatitude));
    private final List<Neighbourhood> hoods = new ArrayList<>();
    private final double[] poiX = new double[pois];
    private final double[] poiY = new double[pois];
    private final int[] poiCategory = new int[pois];
    private final double[] attractiveness = new double[pois];
    private final Map<Activity, Grid> candidates = new EnumMap<>(Activity.class);
    private final Map<Family, Grid> byFamily = new EnumMap<>(Family.class);
    private Grid campuses;

    CheckInDataset run() {
      placeNeighbourhoods();
      placePois();
      indexCandidates();
      List<User> people = createUsers();
      assignQuotas(people);
      List<CheckIn> log = new ArrayList<>(checkIns);
      for (int u = 0; u < people.size(); u++) {
        simulateUser(u, people.get(u), random.split(), log);
      }
      return CheckInDataset.of(name, buildPois(), userIds(), log);
    }

    private void placeNeighbourhoods() {
      for (int n = 0; n < neighbourhoods; n++) {
        NeighbourhoodType type =
            n < FIRST_TYPES.length ? FIRST_TYPES[n] : randomType(random.nextDouble());
        double x;
        double y;
        if (n == 0) {
          x = random.nextGaussian() * 0.1 * radiusKm;
          y = random.nextGaussian() * 0.1 * radiusKm;
        } else {
          // Uniform in the disc (0.85 R), keeping centres apart where possible.
          double[] best = null;
          double bestGap = -1;
          for (int attempt = 0; attempt < 20; attempt++) {
            double r = 0.85 * radiusKm * Math.sqrt(random.nextDouble());
            double a = 2 * Math.PI * random.nextDouble();
            double cx = r * Math.cos(a);
            double cy = r * Math.sin(a);
            double gap = Double.MAX_VALUE;
            for (Neighbourhood h : hoods) {
              gap = Math.min(gap, distance(h.x() - cx, h.y() - cy));
            }
            if (gap > bestGap) {
              bestGap = gap;
              best = new double[] {cx, cy};
            }
            if (gap > 1.5) {
              break;
            }
          }
          x = best[0];
          y = best[1];
        }
        double spread = 0.4 + 0.5 * random.nextDouble();
        double size = Math.exp(0.5 * random.nextGaussian()) * (n == 0 ? 2 : 1);
        hoods.add(new Neighbourhood(type, x, y, spread, size));
      }
    }

    private NeighbourhoodType randomType(double u) {
      if (u < 0.40) {
        return NeighbourhoodType.RESIDENTIAL;
      } else if (u < 0.55) {
        return NeighbourhoodType.DOWNTOWN;
      } else if (u < 0.70) {
        return NeighbourhoodType.NIGHTLIFE;
      } else if (u < 0.80) {
        return NeighbourhoodType.PARKSIDE;
      } else if (u < 0.90) {
        return NeighbourhoodType.SHOPPING;
      }
      return NeighbourhoodType.CAMPUS;
    }

    private void placePois() {
      List<CityCategory> categories = CityCategory.ALL;
      double[] hoodWeights = new double[hoods.size()];
      for (int p = 0; p < pois; p++) {
        int category;
        int hood;
        if (p < categories.size()) {
          // Guarantee every category: put it where its family is most at home.
          category = p;
          Family family = categories.get(p).family();
          for (int h = 0; h < hoods.size(); h++) {
            hoodWeights[h] = hoods.get(h).size() * hoods.get(h).type().weight(family);
          }
          hood = sample(hoodWeights, random);
        } else {
          for (int h = 0; h < hoods.size(); h++) {
            hoodWeights[h] = hoods.get(h).size();
          }
          hood = sample(hoodWeights, random);
          category = randomCategory(hoods.get(hood).type());
        }
        Neighbourhood n = hoods.get(hood);
        double x;
        double y;
        if (p >= categories.size() && random.nextDouble() < SCATTERED_FRACTION) {
          double r = radiusKm * Math.sqrt(random.nextDouble());
          double a = 2 * Math.PI * random.nextDouble();
          x = r * Math.cos(a);
          y = r * Math.sin(a);
        } else {
          x = n.x() + random.nextGaussian() * n.spread();
          y = n.y() + random.nextGaussian() * n.spread();
        }
        poiX[p] = x;
        poiY[p] = y;
        poiCategory[p] = category;
      }
      // Zipf attractiveness over a random ranking of the POIs.
      int[] rank = permutation(pois, random);
      for (int p = 0; p < pois; p++) {
        attractiveness[p] = 1.0 / Math.pow(rank[p] + 1, zipfExponent);
      }
    }

    private int randomCategory(NeighbourhoodType type) {
      Family[] families = Family.values();
      double[] weights = new double[families.length];
      for (int f = 0; f < families.length; f++) {
        weights[f] = type.weight(families[f]);
      }
      Family family = families[sample(weights, random)];
      List<CityCategory> all = CityCategory.ALL;
      double[] categoryWeights = new double[all.size()];
      int rankInFamily = 0;
      for (int c = 0; c < all.size(); c++) {
        if (all.get(c).family() == family) {
          categoryWeights[c] = 1.0 / (1 + rankInFamily++);
        }
      }
      return sample(categoryWeights, random);
    }

    private void indexCandidates() {
      for (Activity activity : Activity.values()) {
        candidates.put(activity, grid(poisWhere(c -> activity.accepts(c))));
      }
      for (Family family : Family.values()) {
        byFamily.put(family, grid(poisWhere(c -> c.family() == family)));
      }
      campuses = grid(poisWhere(c -> c.group() == Group.CAMPUS));
    }

    private Grid grid(int[] items) {
      return new Grid(items, poiX, poiY, radiusKm + 3);
    }

    private int[] poisWhere(Predicate<CityCategory> test) {
      return IntStream.range(0, pois)
          .filter(p -> test.test(CityCategory.ALL.get(poiCategory[p])))
          .toArray();
    }

    private List<User> createUsers() {
      List<User> people = new ArrayList<>(users);
      for (int u = 0; u < users; u++) {
        User user = new User();
        int homeHood = pickHood(Family.HOME, null);
        Neighbourhood hh = hoods.get(homeHood);
        double[] homeSpot = {
          hh.x() + random.nextGaussian() * hh.spread(), hh.y() + random.nextGaussian() * hh.spread()
        };
        user.home = pickNear(byFamily.get(Family.HOME), homeSpot, 0.3, false);
        user.anchors[Anchor.HOME.ordinal()] = position(user.home);
        double occupation = random.nextDouble();
        if (occupation < 0.75) {
          int workHood = pickHood(Family.WORK, null);
          user.work = pickNear(byFamily.get(Family.WORK), centre(workHood), 1.0, true);
        } else if (occupation < 0.90) {
          int campusHood = pickHood(Family.ARTS_EDUCATION, null);
          user.work = pickNear(campuses, centre(campusHood), 1.5, true);
        }
        user.anchors[Anchor.WORK.ordinal()] =
            user.work >= 0 ? position(user.work) : user.anchors[Anchor.HOME.ordinal()];
        double[] home = user.anchors[Anchor.HOME.ordinal()];
        user.anchors[Anchor.NIGHTLIFE.ordinal()] = centre(pickHood(Family.NIGHTLIFE, home));
        user.anchors[Anchor.PARK.ordinal()] = centre(pickHood(Family.OUTDOORS, home));
        user.anchors[Anchor.SHOPPING.ordinal()] = centre(pickHood(Family.SHOPPING, home));
        user.shiftHours = random.nextGaussian() * 0.6;
        user.loyalty = 0.6 + 0.3 * random.nextDouble();
        for (int a = 0; a < user.propensity.length; a++) {
          user.propensity[a] = Math.exp(0.6 * random.nextGaussian());
        }
        people.add(user);
      }
      return people;
    }

    /** A neighbourhood for a family, by size and mix, near {@code near} when given. */
    private int pickHood(Family family, double[] near) {
      double[] weights = new double[hoods.size()];
      for (int h = 0; h < hoods.size(); h++) {
        Neighbourhood n = hoods.get(h);
        weights[h] = n.size() * n.type().weight(family);
        if (near != null) {
          weights[h] *= Math.exp(-distance(n.x() - near[0], n.y() - near[1]) / DISTRICT_DECAY_KM);
        }
      }
      return sample(weights, random);
    }

    private double[] centre(int hood) {
      return new double[] {hoods.get(hood).x(), hoods.get(hood).y()};
    }

    private double[] position(int poi) {
      return new double[] {poiX[poi], poiY[poi]};
    }

    /** A POI among candidates, weighted by distance decay (and attractiveness when asked). */
    private int pickNear(Grid grid, double[] at, double decayKm, boolean byAttractiveness) {
      int[] among = grid.near(at[0], at[1], NEIGHBOURHOOD_DECAYS * decayKm, 1);
      double[] weights = new double[among.length];
      for (int i = 0; i < among.length; i++) {
        int p = among[i];
        double d = distance(poiX[p] - at[0], poiY[p] - at[1]);
        weights[i] = Math.exp(-d / decayKm) * (byAttractiveness ? attractiveness[p] : 1) + 1e-300;
      }
      return among[sample(weights, random)];
    }

    private void assignQuotas(List<User> people) {
      int n = people.size();
      double[] activity = new double[n];
      for (int u = 0; u < n; u++) {
        activity[u] = Math.exp(0.8 * random.nextGaussian());
      }
      // Shares proportional to activity, capped at MAX_CHECK_INS_PER_DAY per day of the log so
      // that no user needs more outings than there are days; the excess goes to the others.
      double cap = (double) MAX_CHECK_INS_PER_DAY * days;
      double[] share = new double[n];
      boolean[] capped = new boolean[n];
      double remaining = checkIns;
      for (int round = 0; round < 50 && remaining > 1e-9; round++) {
        double free = 0;
        for (int u = 0; u < n; u++) {
          free += capped[u] ? 0 : activity[u];
        }
        double next = 0;
        for (int u = 0; u < n; u++) {
          if (!capped[u]) {
            share[u] += remaining * activity[u] / free;
            if (share[u] >= cap) {
              next += share[u] - cap;
              share[u] = cap;
              capped[u] = true;
            }
          }
        }
        remaining = next;
      }
      // A floor keeps every user above the usual 10-check-in filter where the budget allows.
      int floor = Math.min(MIN_CHECK_INS_PER_USER, checkIns / n);
      double above = 0;
      for (int u = 0; u < n; u++) {
        above += Math.max(0, share[u] - floor);
      }
      double scale = above > 0 ? (checkIns - (double) floor * n) / above : 0;
      int assigned = 0;
      double[] fractional = new double[n];
      for (int u = 0; u < n; u++) {
        double quota = floor + Math.max(0, share[u] - floor) * scale;
        people.get(u).quota = (int) Math.floor(quota);
        fractional[u] = quota - Math.floor(quota);
        assigned += people.get(u).quota;
      }
      // Largest remainders get the leftover check-ins, so the quotas sum to exactly checkIns.
      Integer[] order = new Integer[n];
      for (int u = 0; u < n; u++) {
        order[u] = u;
      }
      Arrays.sort(order, (a, b) -> Double.compare(fractional[b], fractional[a]));
      for (int i = 0; assigned < checkIns; i = (i + 1) % n) {
        people.get(order[i]).quota++;
        assigned++;
      }
    }

    private void simulateUser(int u, User user, SplittableRandom rnd, List<CheckIn> log) {
      // Choose active days: about quota / EXPECTED_CHECK_INS_PER_DAY, more if those fall short.
      int[] dayOrder = permutation(days, rnd);
      int wanted = (int) Math.ceil(user.quota / EXPECTED_CHECK_INS_PER_DAY);
      int produced = 0;
      int next = 0;
      while (produced < user.quota) {
        int take = Math.min(Math.max(1, wanted), days - next);
        if (take <= 0) {
          // Every day used: start over (several outings' worth on the same dates).
          dayOrder = permutation(days, rnd);
          next = 0;
          continue;
        }
        int[] chosen = Arrays.copyOfRange(dayOrder, next, next + take);
        next += take;
        Arrays.sort(chosen);
        for (int day : chosen) {
          if (produced >= user.quota) {
            break;
          }
          produced +=
              simulateDay(u, user, startDate.plusDays(day), rnd, log, user.quota - produced);
        }
        wanted = (int) Math.ceil((user.quota - produced) / EXPECTED_CHECK_INS_PER_DAY);
      }
    }

    private int simulateDay(
        int u, User user, LocalDate date, SplittableRandom rnd, List<CheckIn> log, int limit) {
      boolean weekend = date.getDayOfWeek().getValue() >= 6;
      List<Step> routine = weekend ? WEEKEND : user.work >= 0 ? WORKDAY : FREE_WEEKDAY;
      double previousHour = -1;
      double[] here = null;
      int count = 0;
      for (Step s : routine) {
        if (count >= limit) {
          break;
        }
        double p =
            s.activity() == null
                ? s.probability()
                : Math.min(0.95, s.probability() * user.propensity[s.activity().ordinal()]);
        if (rnd.nextDouble() >= p) {
          continue;
        }
        int poi =
            switch (s.fixed()) {
              case HOME -> user.home;
              case WORK -> user.work;
              case NONE -> choosePoi(user, s.activity(), here, rnd);
            };
        double hour = s.hour() + user.shiftHours + rnd.nextGaussian() * 0.35;
        hour = Math.max(hour, previousHour + 0.1 + 0.2 * rnd.nextDouble());
        hour = Math.max(hour, 5.0);
        previousHour = hour;
        here = position(poi);
        long secondOfDay = Math.round(hour * 3600);
        LocalDateTime local = date.atStartOfDay().plusSeconds(secondOfDay);
        ZonedDateTime zoned = ZonedDateTime.of(local, zone);
        log.add(
            new CheckIn(u, poi, zoned.toEpochSecond(), zoned.getOffset().getTotalSeconds() / 60));
        count++;
      }
      return count;
    }

    private int choosePoi(User user, Activity activity, double[] here, SplittableRandom rnd) {
      int a = activity.ordinal();
      if (user.favourites[a] == null) {
        createFavourites(user, activity, rnd);
      }
      if (rnd.nextDouble() < user.loyalty) {
        return user.favourites[a][sample(user.favouriteWeights[a], rnd)];
      }
      double[] at =
          activity.exploreNearCurrent && here != null
              ? here
              : user.anchors[activity.anchor.ordinal()];
      int[] among =
          candidates.get(activity).near(at[0], at[1], NEIGHBOURHOOD_DECAYS * EXPLORE_DECAY_KM, 1);
      double[] weights = new double[among.length];
      for (int i = 0; i < among.length; i++) {
        int p = among[i];
        double d = distance(poiX[p] - at[0], poiY[p] - at[1]);
        weights[i] = attractiveness[p] * Math.exp(-d / EXPLORE_DECAY_KM) + 1e-300;
      }
      return among[sample(weights, rnd)];
    }

    private void createFavourites(User user, Activity activity, SplittableRandom rnd) {
      double[] at = user.anchors[activity.anchor.ordinal()];
      int[] among =
          candidates.get(activity).near(at[0], at[1], NEIGHBOURHOOD_DECAYS * FAVOURITE_DECAY_KM, 5);
      double[] weights = new double[among.length];
      for (int i = 0; i < among.length; i++) {
        int p = among[i];
        double d = distance(poiX[p] - at[0], poiY[p] - at[1]);
        weights[i] = attractiveness[p] * Math.exp(-d / FAVOURITE_DECAY_KM) + 1e-300;
      }
      int size = Math.min(among.length, 2 + rnd.nextInt(4));
      int[] favourites = new int[size];
      double[] favouriteWeights = new double[size];
      for (int k = 0; k < size; k++) {
        int i = sample(weights, rnd);
        favourites[k] = among[i];
        favouriteWeights[k] = 1.0 / (k + 1);
        weights[i] = 0; // without replacement
      }
      user.favourites[activity.ordinal()] = favourites;
      user.favouriteWeights[activity.ordinal()] = favouriteWeights;
    }

    private List<Poi> buildPois() {
      List<Poi> list = new ArrayList<>(pois);
      for (int p = 0; p < pois; p++) {
        CityCategory c = CityCategory.ALL.get(poiCategory[p]);
        double lat = centreLatitude + poiY[p] / KM_PER_DEGREE_LAT;
        double lon = centreLongitude + poiX[p] / kmPerDegreeLon;
        list.add(new Poi("syn-poi-%05d".formatted(p), c.id(), c.name(), lat, lon));
      }
      return list;
    }

    private List<String> userIds() {
      List<String> ids = new ArrayList<>(users);
      for (int u = 0; u < users; u++) {
        ids.add(Integer.toString(u + 1));
      }
      return ids;
    }
  }

  /**
   * A uniform 1 km grid over POIs for "candidates near a point" queries. Items keep a fixed order
   * (by cell, then by index), so queries and the draws made from them are deterministic.
   */
  private static final class Grid {
    private static final double CELL_KM = 1.0;

    private final int[] all;
    private final int side;
    private final double halfExtentKm;
    private final int[] cellStart;
    private final int[] items;

    Grid(int[] all, double[] x, double[] y, double halfExtentKm) {
      this.all = all;
      this.halfExtentKm = halfExtentKm;
      this.side = (int) Math.ceil(2 * halfExtentKm / CELL_KM);
      int[] cellOf = new int[all.length];
      int[] counts = new int[side * side + 1];
      for (int i = 0; i < all.length; i++) {
        cellOf[i] = cell(x[all[i]]) * side + cell(y[all[i]]);
        counts[cellOf[i] + 1]++;
      }
      for (int c = 0; c < side * side; c++) {
        counts[c + 1] += counts[c];
      }
      this.cellStart = counts.clone();
      this.items = new int[all.length];
      int[] fill = Arrays.copyOf(counts, side * side);
      for (int i = 0; i < all.length; i++) {
        items[fill[cellOf[i]]++] = all[i];
      }
    }

    private int cell(double coordinateKm) {
      int c = (int) Math.floor((coordinateKm + halfExtentKm) / CELL_KM);
      return Math.max(0, Math.min(side - 1, c));
    }

    /**
     * The items in the cells within {@code radiusKm} (a square) of a point; all items when fewer
     * than {@code minimum} lie there.
     */
    int[] near(double x, double y, double radiusKm, int minimum) {
      int x0 = cell(x - radiusKm);
      int x1 = cell(x + radiusKm);
      int y0 = cell(y - radiusKm);
      int y1 = cell(y + radiusKm);
      int count = 0;
      for (int cx = x0; cx <= x1; cx++) {
        count += cellStart[cx * side + y1 + 1] - cellStart[cx * side + y0];
      }
      if (count < minimum || count == all.length) {
        return all;
      }
      int[] out = new int[count];
      int k = 0;
      for (int cx = x0; cx <= x1; cx++) {
        int from = cellStart[cx * side + y0];
        int to = cellStart[cx * side + y1 + 1];
        System.arraycopy(items, from, out, k, to - from);
        k += to - from;
      }
      return out;
    }
  }

  /** Euclidean length of (dx, dy); Math.hypot's overflow care is not needed at city scale. */
  private static double distance(double dx, double dy) {
    return Math.sqrt(dx * dx + dy * dy);
  }

  /** An index drawn with probability proportional to non-negative weights (some positive). */
  static int sample(double[] weights, SplittableRandom random) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    checkArgument(total > 0, "no positive weight to sample from");
    double target = random.nextDouble() * total;
    double running = 0;
    int last = -1;
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] > 0) {
        running += weights[i];
        last = i;
        if (target < running) {
          return i;
        }
      }
    }
    return last;
  }

  private static int[] permutation(int n, SplittableRandom random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
