package org.refinepoi.spark;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.refinepoi.core.features.CategoryEncoder;
import org.refinepoi.core.features.CoVisitCounts;
import org.refinepoi.core.features.FeatureBlock;
import org.refinepoi.core.features.FeatureRows;
import org.refinepoi.core.features.OneHotCategoryEncoder;
import org.refinepoi.core.features.PoiFeatureBuilder;
import org.refinepoi.core.math.FloatMatrix;

/**
 * POI feature vectors from a check-in table on Spark: the blocks of {@link PoiFeatureBuilder}, with
 * the same formulas ({@link FeatureRows}), the same block order and the same per-block
 * normalization. The catalogue statistics (mean and standard deviation of the coordinates) and the
 * per-POI counts are Spark aggregates; the vectors equal {@code PoiFeatureBuilder}'s {@code fit} on
 * the same data within 1e-6 per value (the coordinate means are summed in another order, and the
 * co-visit SVD multiplies in another order).
 *
 * <p>The co-visit (collaborative) block is off by default, as it needs a user column; {@link
 * Builder#collaborative} turns it on with a local builder's settings. Its pairs are counted on
 * Spark (each user's check-ins ordered by time, then POI id; sessions cut at the gap; pairs up to
 * the window apart), which is the part that grows with the check-ins. The counts are then collected
 * and PPMI and the randomized SVD run on the driver through {@link
 * PoiFeatureBuilder#collaborativeRows}, so the driver holds O(pairs + POIs x rank) numbers: at most
 * {@link #MAX_COLLABORATIVE_POIS} POIs and {@link #MAX_COVISIT_PAIRS} distinct pairs, checked
 * before anything is collected. A distributed SVD for larger catalogues is not built.
 *
 * <p>Input: check-ins with columns {@code poi_id} (string), {@code utc_epoch_second} (long) and
 * {@code utc_offset_minutes} (int, within +-18 h), plus the POI attributes {@code category}
 * (string), {@code latitude} and {@code longitude} (degrees) either on every check-in (they must
 * agree for a POI) or in a separate POI table ({@link #build(Dataset, Dataset)}); column names are
 * settable. Output: {@code poi_id} and {@code vector} ({@code array<float>}), one row per POI of
 * the catalogue; POIs without check-ins get zero time, popularity and collaborative blocks, as
 * locally. The collaborative block also reads {@code user_id} (string or integer). Defaults: every
 * block weight 1 but the collaborative one (off), location scales 16, 4 and 1 km, one-hot
 * categories.
 */
public final class SparkPoiFeatures {

  /** Most distinct categories accepted (the encoder's matrix lives on the driver). */
  public static final int MAX_CATEGORIES = 100_000;

  /** Most POIs the collaborative block is built for (its SVD runs on the driver). */
  public static final int MAX_COLLABORATIVE_POIS = 1_000_000;

  /** Most distinct co-visit pairs collected to the driver for the collaborative block. */
  public static final long MAX_COVISIT_PAIRS = 20_000_000;

  private final CategoryEncoder categoryEncoder;
  private final double categoryWeight;
  private final double locationWeight;
  private final double timeWeight;
  private final double popularityWeight;
  private final double[] locationScalesKm;
  private final String poiColumn;
  private final String categoryColumn;
  private final String latitudeColumn;
  private final String longitudeColumn;
  private final String timeColumn;
  private final String offsetColumn;
  private final String userColumn;
  private final PoiFeatureBuilder collaborative;

  private SparkPoiFeatures(Builder b) {
    this.categoryEncoder = b.categoryEncoder;
    this.categoryWeight = b.categoryWeight;
    this.locationWeight = b.locationWeight;
    this.timeWeight = b.timeWeight;
    this.popularityWeight = b.popularityWeight;
    this.locationScalesKm = b.locationScalesKm.clone();
    this.poiColumn = b.poiColumn;
    this.categoryColumn = b.categoryColumn;
    this.latitudeColumn = b.latitudeColumn;
    this.longitudeColumn = b.longitudeColumn;
    this.timeColumn = b.timeColumn;
    this.offsetColumn = b.offsetColumn;
    this.userColumn = b.userColumn;
    this.collaborative = b.collaborative;
  }

  private double collaborativeWeight() {
    return collaborative == null ? 0 : collaborative.collaborativeWeight();
  }

  /** A builder with the documented defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The features of the POIs of a check-in table that carries the POI attributes on every row.
   *
   * @throws IllegalArgumentException when a column is missing or of the wrong type, the table is
   *     empty, or a check-in or POI is invalid (named in the message)
   */
  public Features build(Dataset<Row> checkIns) {
    checkNotNull(checkIns, "checkIns");
    StructType s = checkIns.schema();
    Columns.requireString(s, poiColumn, "POI id");
    Columns.requireString(s, categoryColumn, "category");
    Columns.requireNumeric(s, latitudeColumn, "latitude");
    Columns.requireNumeric(s, longitudeColumn, "longitude");
    Dataset<Row> catalogue =
        checkIns
            .groupBy(col(poiColumn).as("poi_id"))
            .agg(
                min(categoryColumn).as("category"),
                max(categoryColumn).as("category_max"),
                min(latitudeColumn).cast("double").as("latitude"),
                max(latitudeColumn).cast("double").as("latitude_max"),
                min(longitudeColumn).cast("double").as("longitude"),
                max(longitudeColumn).cast("double").as("longitude_max"));
    List<Row> conflict =
        catalogue
            .where(
                col("category")
                    .notEqual(col("category_max"))
                    .or(col("latitude").notEqual(col("latitude_max")))
                    .or(col("longitude").notEqual(col("longitude_max"))))
            .limit(1)
            .collectAsList();
    if (!conflict.isEmpty()) {
      Row r = conflict.get(0);
      throw InvalidRowException.named(
          "POI '" + r.getString(0) + "'",
          "its check-ins disagree on its category or coordinates ("
              + r.getString(1)
              + " / "
              + r.getString(2)
              + ", latitude "
              + r.get(3)
              + " / "
              + r.get(4)
              + ", longitude "
              + r.get(5)
              + " / "
              + r.get(6)
              + "); pass a POI table instead");
    }
    return build(checkIns, catalogue.select("poi_id", "category", "latitude", "longitude"), false);
  }

  /**
   * The features of the POIs of a POI table (columns {@code poi_id}, {@code category}, {@code
   * latitude}, {@code longitude} under the configured names), with the behavioural blocks counted
   * from a check-in table (columns {@code poi_id}, {@code utc_epoch_second}, {@code
   * utc_offset_minutes}). Check-ins of POIs outside the table are refused.
   *
   * @throws IllegalArgumentException when a column is missing or of the wrong type, a table is
   *     empty, or a check-in or POI is invalid (named in the message)
   */
  public Features build(Dataset<Row> checkIns, Dataset<Row> pois) {
    checkNotNull(checkIns, "checkIns");
    checkNotNull(pois, "pois");
    StructType s = pois.schema();
    Columns.requireString(s, poiColumn, "POI id");
    Columns.requireString(s, categoryColumn, "category");
    Columns.requireNumeric(s, latitudeColumn, "latitude");
    Columns.requireNumeric(s, longitudeColumn, "longitude");
    Dataset<Row> catalogue =
        pois.select(
            col(poiColumn).as("poi_id"),
            col(categoryColumn).as("category"),
            col(latitudeColumn).cast("double").as("latitude"),
            col(longitudeColumn).cast("double").as("longitude"));
    List<Row> repeated =
        catalogue.groupBy("poi_id").count().where(col("count").gt(1)).limit(1).collectAsList();
    if (!repeated.isEmpty()) {
      throw InvalidRowException.named(
          "POI '" + repeated.get(0).getString(0) + "'",
          "it appears " + repeated.get(0).getLong(1) + " times in the POI table");
    }
    return build(checkIns, catalogue, true);
  }

  private Features build(Dataset<Row> checkIns, Dataset<Row> catalogue, boolean checkMembership) {
    StructType s = checkIns.schema();
    Columns.requireString(s, poiColumn, "POI id");
    Columns.requireIntegral(s, timeColumn, "check-in time (UTC epoch seconds)");
    Columns.requireIntegral(s, offsetColumn, "UTC offset (minutes)");
    if (collaborativeWeight() > 0) {
      Columns.require(s, userColumn, "user id");
    }
    checkArgument(
        categoryWeight + locationWeight + timeWeight + popularityWeight + collaborativeWeight() > 0,
        "every block weight is 0: nothing to build");
    refuseFirst(
        catalogue.where(
            col("poi_id")
                .isNull()
                .or(col("category").isNull())
                .or(col("latitude").isNull().or(col("latitude").isNaN()))
                .or(col("longitude").isNull().or(col("longitude").isNaN()))
                .or(abs(col("latitude")).gt(90))
                .or(abs(col("longitude")).gt(180))),
        r ->
            InvalidRowException.named(
                "POI '" + r.getString(0) + "'",
                "needs an id, a category and coordinates in range (latitude "
                    + r.get(2)
                    + ", longitude "
                    + r.get(3)
                    + ")"));
    Dataset<Row> visits =
        checkIns.select(
            col(poiColumn).as("poi_id"),
            col(timeColumn).cast("long").as("t"),
            col(offsetColumn).cast("long").as("offset"));
    refuseFirst(
        visits.where(
            col("poi_id")
                .isNull()
                .or(col("t").isNull())
                .or(col("offset").isNull())
                .or(abs(col("offset")).gt(18 * 60))),
        r ->
            InvalidRowException.named(
                "check-in of POI '" + r.get(0) + "' at " + r.get(1),
                "needs a POI id, a time and a UTC offset within +-18 h (offset " + r.get(2) + ")"));
    if (checkMembership) {
      refuseFirst(
          visits.join(
              catalogue, visits.col("poi_id").equalTo(catalogue.col("poi_id")), "left_anti"),
          r ->
              InvalidRowException.named(
                  "check-in of POI '" + r.get(0) + "' at " + r.get(1),
                  "the POI is not in the POI table"));
    }
    long poiCount = catalogue.count();
    checkArgument(poiCount > 0, "no POIs to build features for");
    checkArgument(
        !visits.isEmpty() || timeWeight + popularityWeight + collaborativeWeight() == 0,
        "no check-ins");

    // Category block: the encoder's rows of the sorted distinct names (as PoiFeatureBuilder).
    List<String> names = new ArrayList<>();
    FloatMatrix encoded = null;
    if (categoryWeight > 0) {
      long distinct = catalogue.select("category").distinct().count();
      checkArgument(
          distinct <= MAX_CATEGORIES,
          "%s distinct categories; at most %s are supported",
          distinct,
          MAX_CATEGORIES);
      for (Row r : catalogue.select("category").distinct().sort("category").collectAsList()) {
        names.add(r.getString(0));
      }
      encoded = categoryEncoder.encode(names);
      checkArgument(
          encoded.rows() == names.size(),
          "category encoder %s returned %s rows for %s names",
          categoryEncoder.description(),
          encoded.rows(),
          names.size());
    }
    // Location block: the catalogue's mean and population deviation of the coordinates.
    FeatureRows.LocationFrame frame = null;
    if (locationWeight > 0) {
      Row st =
          catalogue
              .agg(
                  avg("latitude"),
                  avg("longitude"),
                  stddev_pop("latitude"),
                  stddev_pop("longitude"))
              .first();
      frame =
          FeatureRows.LocationFrame.of(
              st.getDouble(0), st.getDouble(1), st.getDouble(2), st.getDouble(3), locationScalesKm);
    }
    // Visit-time counts per POI and bin, from local time = UTC + offset.
    Column local = col("t").plus(col("offset").multiply(60));
    Column hour = pmod(local, lit(86400L)).divide(3600).cast("int");
    Column dow = pmod(floor(local.divide(86400.0)).plus(3), lit(7L)); // 1970-01-01 was a Thursday
    Column bin = when(dow.geq(5), hour.plus(24)).otherwise(hour);
    Dataset<Row> perPoi =
        visits
            .groupBy(col("poi_id"), bin.as("bin"))
            .agg(count(lit(1)).as("n"))
            .groupBy("poi_id")
            .agg(collect_list(struct(col("bin"), col("n"))).as("bins"), sum("n").as("visits"));
    Row maxRow = perPoi.agg(max("visits")).first();
    int maxVisits = maxRow.isNullAt(0) ? 0 : Math.toIntExact(maxRow.getLong(0));

    List<FeatureBlock> layout = new ArrayList<>();
    int width = 0;
    if (categoryWeight > 0) {
      layout.add(
          new FeatureBlock(
              PoiFeatureBuilder.CATEGORY,
              width,
              encoded.cols(),
              categoryWeight,
              categoryEncoder.description() + " over " + names.size() + " categories"));
      width += encoded.cols();
    }
    if (locationWeight > 0) {
      layout.add(
          new FeatureBlock(
              PoiFeatureBuilder.LOCATION,
              width,
              frame.width(),
              locationWeight,
              "standardized lat/lon as angles + sin/cos codes at "
                  + java.util.Arrays.toString(frame.scalesKm())
                  + " km"));
      width += frame.width();
    }
    if (timeWeight > 0) {
      layout.add(
          new FeatureBlock(
              PoiFeatureBuilder.TIME,
              width,
              FeatureRows.TIME_BINS,
              timeWeight,
              "local hour x {weekday, weekend} histogram, add-one smoothing"));
      width += FeatureRows.TIME_BINS;
    }
    if (popularityWeight > 0) {
      layout.add(
          new FeatureBlock(
              PoiFeatureBuilder.POPULARITY,
              width,
              2,
              popularityWeight,
              "log(1 + visits) as an angle in [0, pi/2], max " + maxVisits + " visits"));
      width += 2;
    }
    Dataset<Row> joined =
        catalogue
            .join(perPoi, catalogue.col("poi_id").equalTo(perPoi.col("poi_id")), "left")
            .select(
                catalogue.col("poi_id"),
                col("category"),
                col("latitude"),
                col("longitude"),
                col("bins"),
                col("visits"));
    if (collaborativeWeight() > 0) {
      CollaborativeBlock block = collaborativeBlock(checkIns, catalogue, poiCount);
      layout.add(
          new FeatureBlock(
              PoiFeatureBuilder.COLLABORATIVE,
              width,
              collaborative.svdDimensions(),
              collaborativeWeight(),
              block.detail()));
      width += collaborative.svdDimensions();
      Dataset<Row> rows = block.rows();
      joined =
          joined
              .join(rows, joined.col("poi_id").equalTo(rows.col("covisit_poi")), "left")
              .select(
                  joined.col("poi_id"),
                  col("category"),
                  col("latitude"),
                  col("longitude"),
                  col("bins"),
                  col("visits"),
                  col("covisit"));
    }
    VectorMaker maker =
        new VectorMaker(
            width,
            categoryWeight,
            names,
            encoded,
            locationWeight,
            frame,
            timeWeight,
            popularityWeight,
            maxVisits,
            collaborativeWeight());
    Dataset<Row> vectors =
        joined.map((MapFunction<Row, Row>) maker::row, Encoders.row(Features.SCHEMA));
    return new Features(vectors, layout, poiCount);
  }

  /** The collaborative block's raw rows ({@code covisit_poi}, {@code covisit}) and its detail. */
  private record CollaborativeBlock(Dataset<Row> rows, String detail) {}

  private CollaborativeBlock collaborativeBlock(
      Dataset<Row> checkIns, Dataset<Row> catalogue, long poiCount) {
    checkArgument(
        poiCount <= MAX_COLLABORATIVE_POIS,
        "%s POIs; the collaborative block is built for at most %s (its SVD runs on the driver)",
        poiCount,
        MAX_COLLABORATIVE_POIS);
    Dataset<Row> visits =
        checkIns.select(
            col(userColumn).cast("string").as("u"),
            col(poiColumn).as("p"),
            col(timeColumn).cast("long").as("t"));
    refuseFirst(
        visits.where(col("u").isNull()),
        r ->
            InvalidRowException.named(
                "check-in of POI '" + r.get(1) + "' at " + r.get(2), "needs a user id"));
    long maxGapSeconds = Math.round(collaborative.sessionGapHours() * 3600);
    WindowSpec byUser = Window.partitionBy("u").orderBy("t", "p");
    Column gap = col("t").minus(lag("t", 1).over(byUser));
    Dataset<Row> sessions =
        visits
            .withColumn("starts", when(gap.isNull().or(gap.gt(maxGapSeconds)), 1).otherwise(0))
            .withColumn(
                "session",
                sum("starts")
                    .over(byUser.rowsBetween(Window.unboundedPreceding(), Window.currentRow())));
    WindowSpec bySession = Window.partitionBy("u", "session").orderBy("t", "p");
    Column[] previous = new Column[collaborative.coVisitWindow()];
    for (int back = 0; back < previous.length; back++) {
      previous[back] = lag("p", back + 1).over(bySession);
    }
    Dataset<Row> pairs =
        sessions
            // The window values first: a generator cannot share its operator with them.
            .withColumn("previous", array(previous))
            .select(col("p"), explode(col("previous")).as("q"))
            .where(col("q").isNotNull().and(col("q").notEqual(col("p"))))
            .groupBy(least(col("p"), col("q")).as("a"), greatest(col("p"), col("q")).as("b"))
            .agg(count(lit(1)).as("n"))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long distinct = pairs.count();
      checkArgument(
          distinct <= MAX_COVISIT_PAIRS,
          "%s distinct co-visit pairs; at most %s are collected for the collaborative block",
          distinct,
          MAX_COVISIT_PAIRS);
      List<String> ids = new ArrayList<>(Math.toIntExact(poiCount));
      for (Row r : catalogue.select("poi_id").sort("poi_id").collectAsList()) {
        ids.add(r.getString(0));
      }
      Map<String, Integer> index = new HashMap<>(ids.size() * 2);
      for (int i = 0; i < ids.size(); i++) {
        index.put(ids.get(i), i);
      }
      int m = Math.toIntExact(distinct);
      int[] first = new int[m];
      int[] second = new int[m];
      long[] counts = new long[m];
      int e = 0;
      for (Row r : pairs.collectAsList()) {
        Integer a = index.get(r.getString(0));
        Integer b = index.get(r.getString(1));
        if (a == null || b == null) {
          // Check-ins of POIs outside the catalogue are refused earlier when a table is given.
          throw InvalidRowException.named(
              "co-visit of POIs '" + r.getString(0) + "' and '" + r.getString(1) + "'",
              "a POI is not in the catalogue");
        }
        first[e] = a;
        second[e] = b;
        counts[e++] = r.getLong(2);
      }
      PoiFeatureBuilder.CollaborativeRows rows =
          collaborative.collaborativeRows(ids, CoVisitCounts.of(ids.size(), first, second, counts));
      List<Row> out = new ArrayList<>(ids.size());
      for (int i = 0; i < ids.size(); i++) {
        out.add(RowFactory.create(ids.get(i), Seqs.of(rows.rows()[i])));
      }
      StructType schema =
          new StructType()
              .add("covisit_poi", DataTypes.StringType, false)
              .add("covisit", DataTypes.createArrayType(DataTypes.DoubleType, false), false);
      return new CollaborativeBlock(
          checkIns.sparkSession().createDataFrame(out, schema), rows.detail());
    } finally {
      pairs.unpersist();
    }
  }

  private static void refuseFirst(
      Dataset<Row> bad, java.util.function.Function<Row, InvalidRowException> error) {
    List<Row> first = bad.limit(1).collectAsList();
    if (!first.isEmpty()) {
      throw error.apply(first.get(0));
    }
  }

  /** Builds one POI's vector on an executor. */
  private static final class VectorMaker implements java.io.Serializable {
    @java.io.Serial private static final long serialVersionUID = 1L;

    private final int width;
    private final double categoryWeight;
    private final java.util.HashMap<String, Integer> categoryIndex = new java.util.HashMap<>();
    private final FloatMatrix encoded;
    private final double locationWeight;
    private final FeatureRows.LocationFrame frame;
    private final double timeWeight;
    private final double popularityWeight;
    private final int maxVisits;
    private final double collaborativeWeight;

    VectorMaker(
        int width,
        double categoryWeight,
        List<String> names,
        FloatMatrix encoded,
        double locationWeight,
        FeatureRows.LocationFrame frame,
        double timeWeight,
        double popularityWeight,
        int maxVisits,
        double collaborativeWeight) {
      this.width = width;
      this.categoryWeight = categoryWeight;
      for (int i = 0; i < names.size(); i++) {
        categoryIndex.put(names.get(i), i);
      }
      this.encoded = encoded;
      this.locationWeight = locationWeight;
      this.frame = frame;
      this.timeWeight = timeWeight;
      this.popularityWeight = popularityWeight;
      this.maxVisits = maxVisits;
      this.collaborativeWeight = collaborativeWeight;
    }

    Row row(Row r) {
      float[] v = new float[width];
      int offset = 0;
      if (categoryWeight > 0) {
        float[] e = encoded.row(categoryIndex.get(r.getString(1)));
        double[] raw = new double[e.length];
        for (int j = 0; j < e.length; j++) {
          raw[j] = e[j];
        }
        FeatureRows.writeNormalized(raw, categoryWeight, v, offset);
        offset += e.length;
      }
      if (locationWeight > 0) {
        FeatureRows.writeNormalized(
            frame.row(r.getDouble(2), r.getDouble(3)), locationWeight, v, offset);
        offset += frame.width();
      }
      int visits = r.isNullAt(5) ? 0 : Math.toIntExact(r.getLong(5));
      if (timeWeight > 0) {
        int[] counts = null;
        if (!r.isNullAt(4)) {
          counts = new int[FeatureRows.TIME_BINS];
          for (Row b : r.<Row>getList(4)) {
            counts[b.getInt(0)] = Math.toIntExact(b.getLong(1));
          }
        }
        FeatureRows.writeNormalized(FeatureRows.timeRow(counts, visits), timeWeight, v, offset);
        offset += FeatureRows.TIME_BINS;
      }
      if (popularityWeight > 0) {
        FeatureRows.writeNormalized(
            FeatureRows.popularityRow(visits, maxVisits), popularityWeight, v, offset);
        offset += 2;
      }
      if (collaborativeWeight > 0 && !r.isNullAt(6)) {
        List<Double> row = r.getList(6);
        double[] raw = new double[row.size()];
        for (int j = 0; j < raw.length; j++) {
          raw[j] = row.get(j);
        }
        FeatureRows.writeNormalized(raw, collaborativeWeight, v, offset);
      }
      return RowFactory.create(r.getString(0), Seqs.of(v));
    }
  }

  /**
   * Features of a catalogue: the vectors ({@link #SCHEMA}) and their block layout.
   *
   * @param vectors one row per POI: {@code poi_id}, {@code vector}
   * @param blocks the block layout, in column order
   * @param pois number of POIs
   */
  public record Features(Dataset<Row> vectors, List<FeatureBlock> blocks, long pois) {

    /** Schema of {@link #vectors}: {@code poi_id string, vector array<float>}. */
    public static final StructType SCHEMA =
        new StructType()
            .add("poi_id", DataTypes.StringType, false)
            .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    /** Copies the layout. */
    public Features {
      checkNotNull(vectors, "vectors");
      blocks = List.copyOf(blocks);
    }

    /** Total width of a vector. */
    public int dimension() {
      return blocks.stream().mapToInt(FeatureBlock::width).sum();
    }
  }

  /** Builds a {@link SparkPoiFeatures}; see the class comment for the defaults. */
  public static final class Builder {
    private CategoryEncoder categoryEncoder = new OneHotCategoryEncoder();
    private double categoryWeight = 1;
    private double locationWeight = 1;
    private double timeWeight = 1;
    private double popularityWeight = 1;
    private double[] locationScalesKm = {16, 4, 1};
    private String poiColumn = "poi_id";
    private String categoryColumn = "category";
    private String latitudeColumn = "latitude";
    private String longitudeColumn = "longitude";
    private String timeColumn = "utc_epoch_second";
    private String offsetColumn = "utc_offset_minutes";
    private String userColumn = "user_id";
    private PoiFeatureBuilder collaborative;

    private Builder() {}

    /**
     * Adds the co-visit (collaborative) block with the collaborative weight, co-visit window,
     * session gap, PPMI and SVD settings of a local builder, so that it equals that builder's
     * block; {@code null} or a builder whose collaborative weight is 0 leaves the block out (the
     * default). The settings are read when the features are built.
     */
    public Builder collaborative(PoiFeatureBuilder settings) {
      this.collaborative = settings;
      return this;
    }

    /** The user id column, read by the collaborative block only (default {@code user_id}). */
    public Builder userColumn(String value) {
      this.userColumn = name(value);
      return this;
    }

    /** The category encoder, run once on the driver (default one-hot). */
    public Builder categoryEncoder(CategoryEncoder value) {
      this.categoryEncoder = checkNotNull(value, "categoryEncoder");
      return this;
    }

    /** Weight of the category block, >= 0 (default 1; 0 drops it). */
    public Builder categoryWeight(double value) {
      this.categoryWeight = weight(value, "category");
      return this;
    }

    /** Weight of the location block, >= 0 (default 1; 0 drops it). */
    public Builder locationWeight(double value) {
      this.locationWeight = weight(value, "location");
      return this;
    }

    /** Weight of the visit-time block, >= 0 (default 1; 0 drops it). */
    public Builder timeWeight(double value) {
      this.timeWeight = weight(value, "time");
      return this;
    }

    /** Weight of the popularity block, >= 0 (default 1; 0 drops it). */
    public Builder popularityWeight(double value) {
      this.popularityWeight = weight(value, "popularity");
      return this;
    }

    /** Wavelengths in km of the multi-scale location code, each > 0 (default 16, 4, 1). */
    public Builder locationScalesKm(double... value) {
      this.locationScalesKm = FeatureRows.checkScalesKm(value);
      return this;
    }

    /** The POI id column (default {@code poi_id}). */
    public Builder poiColumn(String value) {
      this.poiColumn = name(value);
      return this;
    }

    /** The category name column (default {@code category}). */
    public Builder categoryColumn(String value) {
      this.categoryColumn = name(value);
      return this;
    }

    /** The latitude column, degrees (default {@code latitude}). */
    public Builder latitudeColumn(String value) {
      this.latitudeColumn = name(value);
      return this;
    }

    /** The longitude column, degrees (default {@code longitude}). */
    public Builder longitudeColumn(String value) {
      this.longitudeColumn = name(value);
      return this;
    }

    /** The check-in time column, UTC epoch seconds (default {@code utc_epoch_second}). */
    public Builder timeColumn(String value) {
      this.timeColumn = name(value);
      return this;
    }

    /** The UTC offset column, minutes (default {@code utc_offset_minutes}). */
    public Builder offsetColumn(String value) {
      this.offsetColumn = name(value);
      return this;
    }

    private static double weight(double value, String block) {
      return FeatureRows.checkWeight(value, block);
    }

    private static String name(String value) {
      checkNotNull(value, "column");
      checkArgument(!value.isBlank(), "column name must not be blank");
      return value;
    }

    /** The feature builder. */
    public SparkPoiFeatures build() {
      return new SparkPoiFeatures(this);
    }
  }
}
