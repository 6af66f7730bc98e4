package org.refinepoi.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableMap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the Gowalla check-ins of the Stanford SNAP collection ({@code
 * loc-gowalla_totalCheckins.txt}, Cho, Myers and Leskovec, KDD 2011): tab-separated, no header, one
 * check-in a line with 5 fields:
 *
 * <ol>
 *   <li>user id
 *   <li>check-in time in ISO-8601 UTC, for example {@code 2010-10-19T23:55:27Z} (a space instead of
 *       the {@code T}, a fraction of a second, or an explicit {@code +hh:mm} zone are accepted too;
 *       the time is converted to UTC)
 *   <li>latitude (degrees, in [-90, 90])
 *   <li>longitude (degrees, in [-180, 180])
 *   <li>location (POI) id
 * </ol>
 *
 * <p>The file has neither a venue category nor the local time. The choices this loader makes, each
 * set through its {@link Builder}:
 *
 * <ul>
 *   <li><b>Category.</b> Every POI gets {@link #UNKNOWN_CATEGORY} ({@value #UNKNOWN_CATEGORY_ID},
 *       {@value #UNKNOWN_CATEGORY_NAME}) unless the caller passes a side table from location id to
 *       {@link Category} (built for example from the {@code gowalla_spots_subset1.csv} file of the
 *       separate Gowalla crawl that the Gowalla-CA preprocessing of STHGCN, reused by LLM4POI,
 *       joins); locations missing from the table keep the unknown category, or their lines are left
 *       out with {@link Builder#onlyListedLocations} (what that preprocessing's inner join does).
 *   <li><b>UTC offset.</b> 0 by default (local time = UTC, which is wrong for almost every user, so
 *       set a zone for a regional cut). A fixed {@link ZoneOffset} or a region {@link ZoneId} may
 *       be given; a region's offset is computed for each check-in's own instant, so daylight saving
 *       is followed (for Gowalla-CA: {@code America/Los_Angeles}, -480 minutes in winter, -420 in
 *       summer). Offsets are rounded to whole minutes.
 *   <li><b>Bounding box.</b> Optional: a line whose coordinates fall outside the {@link
 *       BoundingBox} is validated like any other line, then left out. No box is standard for
 *       Gowalla-CA: the STHGCN preprocessing ({@code generate_ca_raw.py}) keeps check-ins inside
 *       the California <em>or</em> Nevada state polygons, which a box can only approximate; {@link
 *       BoundingBox#CALIFORNIA} is the rectangle around California's state boundary, which also
 *       takes in parts of Nevada, Oregon, Arizona and Mexico. The box does not cross the
 *       antimeridian.
 * </ul>
 *
 * <p>Order: SNAP lists each user's check-ins newest first. {@link CheckInDataset#of} sorts all
 * check-ins by time (stably), so the order of the lines does not matter except among check-ins with
 * the same second, which keep their file order.
 *
 * <p>As in {@link Tsmc2014Loader}: a POI's coordinates come from its first line; a later line with
 * other coordinates is kept as a check-in of that POI and counted as a conflict in the {@link
 * LoadReport}. Empty lines are skipped and counted; malformed lines fail a strict load with file
 * and line, or are skipped and counted by a lenient one; lines that are not valid UTF-8 are decoded
 * as Latin-1 (a category name from the side table is then Latin-1 encoded, with {@code ?} for
 * characters Latin-1 lacks). Lines left out by the box are not malformed: they are the {@code
 * linesRead - checkIns - blankLines - skippedLines} of the report (the file has no header), and
 * their number is logged; so are the lines left out for a location missing from the category table.
 *
 * <p>The file is streamed and parsed on bytes, with no regex or splitting into strings. Instances
 * are immutable and thread-safe; each {@link #load} call is independent.
 */
public final class GowallaLoader implements CheckInLoader {

  private static final Logger log = LoggerFactory.getLogger(GowallaLoader.class);

  private static final int FIELDS = 5;

  /** Category id of a POI whose category is not known. */
  public static final String UNKNOWN_CATEGORY_ID = "gowalla:unknown";

  /** Category name of a POI whose category is not known. */
  public static final String UNKNOWN_CATEGORY_NAME = "Unknown";

  /** The category of POIs without one: the SNAP file has none. */
  public static final Category UNKNOWN_CATEGORY =
      new Category(UNKNOWN_CATEGORY_ID, UNKNOWN_CATEGORY_NAME);

  /**
   * A venue category, as a side table gives it.
   *
   * @param id the category's identifier; not empty
   * @param name its human-readable name; not empty
   */
  public record Category(String id, String name) {

    /** Validates the fields. */
    public Category {
      checkNotNull(id, "category id");
      checkNotNull(name, "category name");
      checkArgument(!id.isEmpty(), "category id must not be empty");
      checkArgument(!name.isEmpty(), "name of category %s must not be empty", id);
    }
  }

  /**
   * A latitude/longitude rectangle, bounds included, that does not cross the antimeridian.
   *
   * @param minLatitude southern bound in degrees, in [-90, 90]
   * @param maxLatitude northern bound, >= {@code minLatitude}
   * @param minLongitude western bound in degrees, in [-180, 180]
   * @param maxLongitude eastern bound, >= {@code minLongitude}
   */
  public record BoundingBox(
      double minLatitude, double maxLatitude, double minLongitude, double maxLongitude) {

    /**
     * The rectangle around California's state boundary (about 32.53 to 42.01 N, 124.48 to 114.13 W,
     * from the US Census state extents, rounded outwards). Not a standard cut of Gowalla-CA: see
     * the class comment.
     */
    public static final BoundingBox CALIFORNIA = new BoundingBox(32.5, 42.1, -124.5, -114.1);

    /** Validates the bounds (finite, in range, min not above max). */
    public BoundingBox {
      checkArgument(
          minLatitude >= -90 && maxLatitude <= 90 && minLatitude <= maxLatitude,
          "latitude bounds must satisfy -90 <= min <= max <= 90, got [%s, %s]",
          minLatitude,
          maxLatitude);
      checkArgument(
          minLongitude >= -180 && maxLongitude <= 180 && minLongitude <= maxLongitude,
          "longitude bounds must satisfy -180 <= min <= max <= 180, got [%s, %s]",
          minLongitude,
          maxLongitude);
    }

    /** Whether the point lies in the box, bounds included. */
    public boolean contains(double latitude, double longitude) {
      return latitude >= minLatitude
          && latitude <= maxLatitude
          && longitude >= minLongitude
          && longitude <= maxLongitude;
    }
  }

  private final ZoneId zone;
  private final Optional<BoundingBox> box;
  private final ImmutableMap<String, Category> categories;
  private final Category unknownCategory;
  private final boolean onlyListedLocations;

  /** A loader with the defaults: UTC offset 0, no bounding box, every category unknown. */
  public GowallaLoader() {
    this(builder());
  }

  private GowallaLoader(Builder builder) {
    this.zone = builder.zone;
    this.box = Optional.ofNullable(builder.box);
    this.categories = ImmutableMap.copyOf(builder.categories);
    this.unknownCategory = builder.unknownCategory;
    this.onlyListedLocations = builder.onlyListedLocations;
  }

  /** A builder starting from the defaults of {@link #GowallaLoader()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The zone whose offset is given to each check-in. */
  public ZoneId zone() {
    return zone;
  }

  /** The box lines must fall in to be kept; empty when every line is kept. */
  public Optional<BoundingBox> boundingBox() {
    return box;
  }

  /** The side table of categories by location id (empty by default). */
  public ImmutableMap<String, Category> categories() {
    return categories;
  }

  /** The category of locations missing from the side table. */
  public Category unknownCategory() {
    return unknownCategory;
  }

  /** Whether lines at a location missing from the category table are left out. */
  public boolean onlyListedLocations() {
    return onlyListedLocations;
  }

  /**
   * Builds a {@link GowallaLoader}; the defaults are those of {@link
   * GowallaLoader#GowallaLoader()}.
   */
  public static final class Builder {
    private ZoneId zone = ZoneOffset.UTC;
    private BoundingBox box;
    private Map<String, Category> categories = Map.of();
    private Category unknownCategory = UNKNOWN_CATEGORY;
    private boolean onlyListedLocations;

    private Builder() {}

    /**
     * The zone that gives each check-in its UTC offset (default UTC): a {@link ZoneOffset} for a
     * fixed offset, or a region such as {@code America/Los_Angeles}, whose offset is taken at each
     * check-in's instant.
     */
    public Builder zone(ZoneId zone) {
      this.zone = checkNotNull(zone, "zone");
      return this;
    }

    /** Keeps only the lines whose coordinates fall in {@code box} (default: keep all). */
    public Builder boundingBox(BoundingBox box) {
      this.box = checkNotNull(box, "box");
      return this;
    }

    /**
     * Categories by location id (default: none, every POI gets the unknown category).
     *
     * @throws IllegalArgumentException on an empty location id
     */
    public Builder categories(Map<String, Category> categories) {
      checkNotNull(categories, "categories");
      for (Map.Entry<String, Category> e : categories.entrySet()) {
        checkNotNull(e.getKey(), "a location id of the category table is null");
        checkArgument(!e.getKey().isEmpty(), "the category table has an empty location id");
        checkNotNull(e.getValue(), "category of location %s", e.getKey());
      }
      this.categories = categories;
      return this;
    }

    /** The category of locations without one (default {@link #UNKNOWN_CATEGORY}). */
    public Builder unknownCategory(Category category) {
      this.unknownCategory = checkNotNull(category, "category");
      return this;
    }

    /**
     * Whether lines at a location missing from the {@linkplain #categories category table} are left
     * out (default false: they keep the unknown category).
     */
    public Builder onlyListedLocations(boolean only) {
      this.onlyListedLocations = only;
      return this;
    }

    /**
     * The loader.
     *
     * @throws IllegalArgumentException if only listed locations are asked for without a table
     */
    public GowallaLoader build() {
      checkArgument(
          !onlyListedLocations || !categories.isEmpty(),
          "onlyListedLocations needs a non-empty category table");
      return new GowallaLoader(this);
    }
  }

  @Override
  public LoadResult load(Path file, LoadOptions options) throws IOException {
    checkNotNull(file, "file");
    checkNotNull(options, "options");
    String fileName = file.toString();
    CheckInAccumulator acc =
        new CheckInAccumulator(fileName, String.valueOf(file.getFileName()), options);
    LineParser parser = new LineParser(acc);
    long lines = 0;
    try (ByteLineReader reader = new ByteLineReader(Files.newInputStream(file), fileName)) {
      while (reader.next()) {
        lines = reader.lineNumber();
        int from = reader.lineStart();
        int to = reader.lineEnd();
        if (reader.problem() != null) {
          acc.malformed(lines, reader.problem());
          continue;
        }
        if (from == to) {
          acc.blankLine();
          continue;
        }
        try {
          parser.parse(reader.buffer(), from, to, lines);
        } catch (BadFieldException e) {
          acc.malformed(lines, e.getMessage());
        }
      }
    }
    if (box.isPresent()) {
      log.debug("{}: {} lines outside {} left out", fileName, parser.outsideBox, box.orElseThrow());
    }
    if (!categories.isEmpty()) {
      log.debug(
          "{}: {} lines have a location missing from the category table ({})",
          fileName,
          parser.unknownCategoryLines,
          onlyListedLocations ? "left out" : "kept as " + unknownCategory.id());
    }
    return acc.finish(lines);
  }

  /** Parses lines into the accumulator, reusing its buffers; one per load. */
  private final class LineParser {
    private final CheckInAccumulator acc;
    private final ZoneOffsetCache offsets = new ZoneOffsetCache(zone);
    private final int[] starts = new int[FIELDS];
    private final int[] ends = new int[FIELDS];
    // Category ids and names by index in categoryIndex, in UTF-8 and in Latin-1.
    private final ByteSliceIndex categoryIndex = new ByteSliceIndex();
    private final List<byte[][]> categoryBytes = new ArrayList<>();
    private final byte[][] unknownBytes;
    private byte[] scratch = new byte[256];
    long outsideBox;
    long unknownCategoryLines;

    LineParser(CheckInAccumulator acc) {
      this.acc = acc;
      for (Map.Entry<String, Category> e : categories.entrySet()) {
        byte[] id = e.getKey().getBytes(StandardCharsets.UTF_8);
        int hash = ByteSliceIndex.hash(id, 0, id.length);
        if (categoryIndex.find(id, 0, id.length, hash) < 0) {
          categoryIndex.add(id, 0, id.length, hash);
          categoryBytes.add(encode(e.getValue()));
        }
      }
      unknownBytes = encode(unknownCategory);
    }

    private static byte[][] encode(Category c) {
      return new byte[][] {
        c.id().getBytes(StandardCharsets.UTF_8),
        c.name().getBytes(StandardCharsets.UTF_8),
        c.id().getBytes(StandardCharsets.ISO_8859_1),
        c.name().getBytes(StandardCharsets.ISO_8859_1)
      };
    }

    void parse(byte[] b, int from, int to, long lineNumber) throws BadFieldException {
      int split = FieldParsing.splitTabs(b, from, to, starts, ends);
      int fields = split & FieldParsing.FIELD_COUNT;
      if (fields != FIELDS) {
        throw new BadFieldException(
            "expected "
                + FIELDS
                + " tab-separated fields (user, time, latitude, longitude, location id), found "
                + fields);
      }
      FieldParsing.checkId(b, starts[0], ends[0], "user id");
      FieldParsing.checkId(b, starts[4], ends[4], "location id");
      long time = FieldParsing.parseIsoTime(b, starts[1], ends[1]);
      if (box.isPresent()) {
        double latitude = FieldParsing.parseDouble(b, starts[2], ends[2], "latitude");
        double longitude = FieldParsing.parseDouble(b, starts[3], ends[3], "longitude");
        FieldParsing.checkCoordinates(latitude, longitude);
        if (!box.orElseThrow().contains(latitude, longitude)) {
          outsideBox++;
          return;
        }
      }
      // Only a line with a byte >= 0x80 can be invalid UTF-8.
      boolean latin1 = (split & FieldParsing.NON_ASCII) != 0 && !FieldParsing.isUtf8(b, from, to);
      byte[][] category = unknownBytes;
      if (!categoryBytes.isEmpty()) {
        int known =
            categoryIndex.find(b, starts[4], ends[4], ByteSliceIndex.hash(b, starts[4], ends[4]));
        if (known >= 0) {
          category = categoryBytes.get(known);
        } else {
          unknownCategoryLines++;
          if (onlyListedLocations) {
            return;
          }
        }
      }
      byte[] categoryId = category[latin1 ? 2 : 0];
      byte[] categoryName = category[latin1 ? 3 : 1];
      // The accumulator reads a POI's id and attributes from one array, the attributes adjacent
      // so that one byte comparison covers them: lay out "id|catId\tcatName\tlat\tlon". The tabs
      // keep distinct field values from joining into equal bytes.
      int idLength = ends[4] - starts[4];
      int latLength = ends[2] - starts[2];
      int lonLength = ends[3] - starts[3];
      int needed = idLength + categoryId.length + categoryName.length + latLength + lonLength + 3;
      if (scratch.length < needed) {
        scratch = Arrays.copyOf(scratch, 2 * needed);
      }
      int at = 0;
      System.arraycopy(b, starts[4], scratch, at, idLength);
      at += idLength;
      int catIdFrom = at;
      System.arraycopy(categoryId, 0, scratch, at, categoryId.length);
      at += categoryId.length;
      int catIdTo = at;
      scratch[at++] = '\t';
      int catNameFrom = at;
      System.arraycopy(categoryName, 0, scratch, at, categoryName.length);
      at += categoryName.length;
      int catNameTo = at;
      scratch[at++] = '\t';
      int latFrom = at;
      System.arraycopy(b, starts[2], scratch, at, latLength);
      at += latLength;
      int latTo = at;
      scratch[at++] = '\t';
      int lonFrom = at;
      System.arraycopy(b, starts[3], scratch, at, lonLength);
      at += lonLength;
      int poi =
          acc.poi(
              scratch,
              0,
              idLength,
              scratch,
              catIdFrom,
              at,
              catIdFrom,
              catIdTo,
              catNameFrom,
              catNameTo,
              latFrom,
              latTo,
              lonFrom,
              at,
              latin1,
              lineNumber);
      int user = acc.user(b, starts[0], ends[0], latin1);
      acc.add(user, poi, time, offsets.minutesAt(time), latin1);
    }
  }
}
