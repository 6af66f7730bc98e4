package org.refinepoi.examples.report;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.html.HtmlEscapers;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.refinepoi.core.eval.MetricsReport;
import org.refinepoi.core.eval.MetricsTable;
import org.refinepoi.core.io.AtomicFiles;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.rl.grpo.StepMetrics;

/**
 * Writes a report as PNG pictures plus an {@code index.html} that shows them with captions saying
 * what each picture shows and how to read it, and the metrics table. Every picture is drawn from
 * plain data (arrays, maps, records), so a pipeline can call it without depending on how it
 * trained; {@link SomFigures} turns a trained hierarchical SOM into those data.
 *
 * <p>Use: create one writer per directory, call the {@code add...} methods in the order the
 * pictures should appear, then {@link #writeIndex()}. Each picture is written when added (to a
 * temporary file, then moved into place atomically). Runs headless ({@code java.awt.headless} is
 * set to true when the writer is created and the property is unset). Not thread-safe.
 */
public final class ReportWriter {

  /** File name of the HTML index. */
  public static final String INDEX = "index.html";

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final Pattern NUMERIC =
      Pattern.compile(
          "[-+\u2212]?[0-9][0-9,]*(\\.[0-9]+)?(e[-+]?[0-9]+)?%?( \\[.*\\])?( \u2713)?|n/a|-");
  private static final String FONT = Font.SANS_SERIF;
  private static final int LATTICE_BOX = 780;
  private static final int MAX_LEGEND = Colours.QUALITATIVE.length - 1;
  private static final float[][] DASHES = {
    null, {10f, 6f}, {3f, 5f}, {14f, 5f, 3f, 5f}, {6f, 3f}, {2f, 2f}
  };

  private final Path dir;
  private final String title;
  private final List<Section> sections = new ArrayList<>();
  private final Set<String> names = new HashSet<>();
  private MetricsTable metrics;
  private String subtitle = "";

  /** A part of the index: a picture or a block of HTML. */
  private sealed interface Section permits Picture, Block {
    String heading();
  }

  /** A picture in the index. */
  private record Picture(String file, String heading, String caption) implements Section {}

  /** A block of HTML (a table, example lists, the interactive map) with its anchor. */
  private record Block(String anchor, String heading, String html) implements Section {}

  /**
   * A writer into a directory (created when missing).
   *
   * @param dir the report directory
   * @param title the report's title (the HTML page title and heading)
   * @throws IOException when the directory cannot be created
   */
  public ReportWriter(Path dir, String title) throws IOException {
    checkNotNull(dir, "dir");
    checkNotNull(title, "title");
    checkArgument(!title.isBlank(), "a report needs a title");
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    Files.createDirectories(dir);
    this.dir = dir;
    this.title = title;
  }

  /** The report directory. */
  public Path directory() {
    return dir;
  }

  /** The PNG files written so far, in order. */
  public ImmutableList<Path> pictures() {
    return files().stream().map(dir::resolve).collect(ImmutableList.toImmutableList());
  }

  /**
   * Sets the line under the title (for example the dataset and the date); empty by default.
   *
   * @return this
   */
  public ReportWriter subtitle(String value) {
    this.subtitle = checkNotNull(value, "value");
    return this;
  }

  // ----------------------------------------------------------------- HTML

  /**
   * A section of ready HTML (a fragment: no {@code <html>} or {@code <body>}). The caller escapes
   * every text it puts in; the writer adds the heading and an anchor.
   *
   * @param name the anchor ({@code [a-z0-9-]}, unique among this report's names)
   * @param heading the section's heading
   * @param html the fragment
   */
  public void addHtml(String name, String heading, String html) {
    checkNotNull(heading, "heading");
    checkNotNull(html, "html");
    sections.add(new Block(reserveName(name), heading, html));
  }

  /**
   * A table section: a caption paragraph, then the table. Every text is escaped; cells that read as
   * numbers are right-aligned.
   *
   * @param name the anchor
   * @param heading the section's heading
   * @param caption what the table shows (may be empty)
   * @param header the column headings
   * @param rows the rows, each as long as {@code header}
   */
  public void addTable(
      String name, String heading, String caption, List<String> header, List<List<String>> rows) {
    addHtml(name, heading, tableHtml(caption, header, rows));
  }

  /** The HTML of {@link #addTable}'s table, for composing a section of several tables. */
  public static String tableHtml(String caption, List<String> header, List<List<String>> rows) {
    return tableHtml(caption, header, rows, true);
  }

  /**
   * {@link #tableHtml(String, List, List)}, with numbers right-aligned only when {@code
   * alignNumbers} (a key-value table reads better all left-aligned).
   */
  public static String tableHtml(
      String caption, List<String> header, List<List<String>> rows, boolean alignNumbers) {
    checkNotNull(caption, "caption");
    checkNotNull(header, "header");
    checkNotNull(rows, "rows");
    var esc = HtmlEscapers.htmlEscaper();
    StringBuilder h = new StringBuilder();
    if (!caption.isBlank()) {
      h.append("<p class=\"cap\">").append(esc.escape(caption)).append("</p>\n");
    }
    h.append("<table>\n<tr>");
    for (String c : header) {
      h.append("<th>").append(esc.escape(checkNotNull(c, "header cell"))).append("</th>");
    }
    h.append("</tr>\n");
    for (List<String> r : rows) {
      checkArgument(
          r.size() == header.size(),
          "a row of %s cells under %s headings",
          r.size(),
          header.size());
      h.append("<tr>");
      for (String c : r) {
        checkNotNull(c, "cell");
        h.append(alignNumbers && NUMERIC.matcher(c).matches() ? "<td class=\"n\">" : "<td>")
            .append(esc.escape(c))
            .append("</td>");
      }
      h.append("</tr>\n");
    }
    return h.append("</table>\n").toString();
  }

  // ---------------------------------------------------------------- U-matrix

  /**
   * A U-matrix heat map: every cell coloured by the mean distance between its prototype and its
   * lattice neighbours' prototypes. In a nested lattice (a TREE level below the first) each child
   * map's U-matrix is drawn inside its parent cell.
   *
   * @param name file stem ({@code [a-z0-9-]}, unique in this report)
   * @param heading the picture's heading
   * @param lattice the lattice(s) the values live on
   * @param values the U-matrix value of every cell path (cells without a value are drawn grey)
   * @return the PNG written
   * @throws IllegalArgumentException when no value is given, a value is negative or not finite, or
   *     a path lies outside the lattice
   */
  public Path addUMatrix(
      String name, String heading, NestedLattice lattice, Map<CellPath, Double> values)
      throws IOException {
    checkNotNull(lattice, "lattice");
    checkNotNull(values, "values");
    checkArgument(!values.isEmpty(), "U-matrix %s: no values", name);
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Map.Entry<CellPath, Double> e : values.entrySet()) {
      lattice.checkContains(e.getKey());
      double v = checkNotNull(e.getValue(), "value of %s", e.getKey());
      checkArgument(
          Double.isFinite(v) && v >= 0, "U-matrix %s: value %s at %s", name, v, e.getKey());
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    String file = reserve(name);
    double lo = min;
    double span = max > min ? max - min : 1;
    LatticePainter painter =
        new LatticePainter(
            lattice,
            p -> {
              Double v = values.get(p);
              return v == null ? null : Colours.sequential((v - lo) / span);
            });
    BufferedImage image = canvas(LATTICE_BOX + 330, LATTICE_BOX + 100);
    Graphics2D g = graphics(image);
    title(g, heading, describe(lattice, "child maps"));
    painter.paint(g, new Rectangle2D.Double(30, 80, LATTICE_BOX, LATTICE_BOX));
    colourBar(g, LATTICE_BOX + 80, 140, min, max, "mean distance to neighbours");
    g.dispose();
    write(image, file);
    String caption =
        "Each cell is a SOM unit, coloured by the mean feature-space distance between its"
            + " prototype and those of its lattice neighbours. Dark (low) regions are groups of"
            + " similar units (clusters of similar POIs); bright (high) ridges are borders where"
            + " the map jumps between different kinds of POIs."
            + (lattice.depth() > 1
                ? " Each parent cell holds the child map trained on its POIs (one colour scale"
                    + " for all of them); grey tiles are parents with no POIs, and a uniformly"
                    + " dark child map had POIs too few or too alike to spread its prototypes."
                : "");
    sections.add(new Picture(file, heading, caption));
    return dir.resolve(file);
  }

  // ---------------------------------------------------------- heat maps

  /**
   * One heat map of {@link #addLatticeHeatmaps}: a title and a value per lattice cell.
   *
   * @param title the panel's title
   * @param values one value per cell (NaN: no value, drawn as an empty cell)
   */
  public record HeatPanel(String title, double[] values) {
    /** Copies the values. */
    public HeatPanel {
      checkNotNull(title, "title");
      values = checkNotNull(values, "values").clone();
    }

    @Override
    public double[] values() {
      return values.clone();
    }
  }

  /**
   * A grid of heat maps over one lattice (component planes, a hit histogram), each panel with its
   * own colour scale (viridis, dark = low), its minimum and maximum written under it.
   *
   * @param name file stem
   * @param heading the picture's heading
   * @param caption what the picture shows and how to read it
   * @param lattice the lattice every panel is drawn on
   * @param panels one to twelve panels, each with one value per cell and at least one finite value
   * @param printValues whether to write each cell's value in it (when cells are large enough)
   * @return the PNG written
   */
  public Path addLatticeHeatmaps(
      String name,
      String heading,
      String caption,
      LatticeSpec lattice,
      List<HeatPanel> panels,
      boolean printValues)
      throws IOException {
    checkNotNull(heading, "heading");
    checkNotNull(caption, "caption");
    checkNotNull(lattice, "lattice");
    checkNotNull(panels, "panels");
    checkArgument(!panels.isEmpty() && panels.size() <= 12, "heat maps %s: 1 to 12 panels", name);
    double[][] ranges = new double[panels.size()][];
    for (int i = 0; i < panels.size(); i++) {
      double[] v = checkNotNull(panels.get(i), "panel").values();
      checkArgument(
          v.length == lattice.size(),
          "heat map %s: %s values for %s cells",
          panels.get(i).title(),
          v.length,
          lattice.size());
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (double x : v) {
        checkArgument(!Double.isInfinite(x), "heat map %s: infinite value", panels.get(i).title());
        if (!Double.isNaN(x)) {
          lo = Math.min(lo, x);
          hi = Math.max(hi, x);
        }
      }
      checkArgument(lo <= hi, "heat map %s: no value", panels.get(i).title());
      ranges[i] = new double[] {lo, hi};
    }
    String file = reserve(name);
    int cols = Math.min(panels.size(), 4);
    int rows = (panels.size() + cols - 1) / cols;
    int box = panels.size() == 1 ? 620 : 270;
    int cellW = box + 40;
    int cellH = box + 110;
    BufferedImage image = canvas(Math.max(30 + cols * cellW, 700), 100 + rows * cellH);
    Graphics2D g = graphics(image);
    title(g, heading, latticeName(lattice));
    NestedLattice single = NestedLattice.single(lattice);
    for (int i = 0; i < panels.size(); i++) {
      HeatPanel panel = panels.get(i);
      double[] v = panel.values();
      double lo = ranges[i][0];
      double span = ranges[i][1] > lo ? ranges[i][1] - lo : 1;
      int px = 30 + (i % cols) * cellW;
      int py = 100 + (i / cols) * cellH;
      g.setColor(Color.BLACK);
      String[] lines = panel.title().split("\n", 2);
      g.setFont(new Font(FONT, Font.BOLD, 14));
      g.drawString(shorten(lines[0], box / 8), px, py + 4);
      if (lines.length > 1) {
        g.setFont(new Font(FONT, Font.PLAIN, 13));
        g.drawString(shorten(lines[1], box / 7), px, py + 21);
      }
      Rectangle2D area = new Rectangle2D.Double(px, py + 30, box, box);
      LatticePainter painter =
          new LatticePainter(
              single,
              p -> {
                double x = v[p.cell(0)];
                return Double.isNaN(x) ? null : Colours.sequential((x - lo) / span);
              });
      painter.paint(g, area);
      if (printValues) {
        boolean integral = true;
        for (double x : v) {
          integral &= Double.isNaN(x) || x == Math.rint(x);
        }
        double cellPx = painter.centre(area, 0)[2];
        g.setFont(new Font(FONT, Font.PLAIN, (int) Math.clamp(cellPx / 5, 10, 22)));
        FontMetrics fm = g.getFontMetrics();
        for (int c = 0; c < lattice.size(); c++) {
          if (Double.isNaN(v[c])) {
            continue;
          }
          double[] centre = painter.centre(area, c);
          String text =
              integral ? String.valueOf((long) v[c]) : String.format(Locale.ROOT, "%.2g", v[c]);
          if (centre[2] < fm.stringWidth(text) + 4 || centre[2] < 16) {
            continue;
          }
          g.setColor((v[c] - lo) / span < 0.55 ? Color.WHITE : Color.BLACK);
          g.drawString(
              text,
              (float) (centre[0] - fm.stringWidth(text) / 2.0),
              (float) (centre[1] + fm.getAscent() / 2.0 - 1));
        }
      }
      int barY = py + 30 + box + 14;
      for (int k = 0; k < box; k++) {
        g.setColor(Colours.sequential((double) k / (box - 1)));
        g.fillRect(px + k, barY, 1, 12);
      }
      g.setColor(Color.DARK_GRAY);
      g.setFont(new Font(FONT, Font.PLAIN, 12));
      boolean whole = lo == Math.rint(lo) && ranges[i][1] == Math.rint(ranges[i][1]);
      String min = whole ? String.valueOf((long) lo) : formatTick(lo, ranges[i][1] - lo);
      String max =
          whole ? String.valueOf((long) ranges[i][1]) : formatTick(ranges[i][1], ranges[i][1] - lo);
      g.drawString(min, px, barY + 28);
      g.drawString(max, px + box - g.getFontMetrics().stringWidth(max), barY + 28);
    }
    g.dispose();
    write(image, file);
    sections.add(new Picture(file, heading, caption));
    return dir.resolve(file);
  }

  // ------------------------------------------------------ interactive map

  /**
   * An interactive map in the index itself (inline SVG and a few lines of script, no network):
   * every POI a dot at its longitude and latitude (equal ground distance on both axes), coloured by
   * its level-1 cell like {@link #addPoiMap}; hovering a dot shows its text and outlines the other
   * POIs of its cell; hovering a cell of the lattice key outlines that cell's POIs. Over {@value
   * #MAX_MAP_POIS} POIs, an evenly spaced subset of that many is drawn (the caption says so).
   *
   * @param name the anchor
   * @param heading the section's heading
   * @param caption what the map shows
   * @param lattice the level-1 lattice
   * @param longitudes every POI's longitude
   * @param latitudes every POI's latitude (same order)
   * @param cells every POI's level-1 cell (same order)
   * @param texts every POI's hover text (same order; lines split at {@code \n})
   */
  public void addInteractiveMap(
      String name,
      String heading,
      String caption,
      LatticeSpec lattice,
      double[] longitudes,
      double[] latitudes,
      int[] cells,
      List<String> texts) {
    checkNotNull(caption, "caption");
    checkNotNull(texts, "texts");
    checkArgument(
        texts.size() == cells.length, "%s hover texts for %s POIs", texts.size(), cells.length);
    String html = SvgMap.html(lattice, longitudes, latitudes, cells, texts, MAX_MAP_POIS, caption);
    addHtml(name, heading, html);
  }

  /** Most POIs {@link #addInteractiveMap} draws. */
  public static final int MAX_MAP_POIS = 30_000;

  /** Whether GRPO steps hold a non-zero KL or clip fraction: otherwise that chart shows nothing. */
  static boolean hasKlOrClip(List<StepMetrics> steps) {
    for (StepMetrics s : steps) {
      double clip = s.clipLowFraction() + s.clipHighFraction();
      if ((Double.isFinite(s.kl()) && s.kl() != 0) || (Double.isFinite(clip) && clip != 0)) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------- category lattice

  /**
   * The lattice coloured by the dominant category of the POIs in each cell: the label most POIs in
   * the cell carry; the colour is paler the smaller that label's share of the cell. The eleven
   * labels dominating the most cells get their own colour, the rest share charcoal.
   *
   * @param name file stem
   * @param heading the picture's heading
   * @param lattice the lattice(s)
   * @param poiPaths the cell path of every POI
   * @param poiLabels the category label of every POI (same order)
   * @return the PNG written
   */
  public Path addCategoryLattice(
      String name,
      String heading,
      NestedLattice lattice,
      List<CellPath> poiPaths,
      List<String> poiLabels)
      throws IOException {
    checkNotNull(lattice, "lattice");
    checkNotNull(poiPaths, "poiPaths");
    checkNotNull(poiLabels, "poiLabels");
    checkArgument(!poiPaths.isEmpty(), "category lattice %s: no POIs", name);
    checkArgument(
        poiPaths.size() == poiLabels.size(),
        "category lattice %s: %s paths but %s labels",
        name,
        poiPaths.size(),
        poiLabels.size());
    Map<CellPath, Map<String, Integer>> counts = new HashMap<>();
    for (int i = 0; i < poiPaths.size(); i++) {
      CellPath p = checkNotNull(poiPaths.get(i), "path of POI %s", i);
      String label = checkNotNull(poiLabels.get(i), "label of POI %s", i);
      lattice.checkContains(p);
      counts.computeIfAbsent(p, k -> new HashMap<>()).merge(label, 1, Integer::sum);
    }
    Map<CellPath, String> dominant = new HashMap<>();
    Map<CellPath, Double> purity = new HashMap<>();
    Map<String, Integer> cellsPerLabel = new HashMap<>();
    for (Map.Entry<CellPath, Map<String, Integer>> e : counts.entrySet()) {
      String best = null;
      int bestCount = -1;
      int total = 0;
      for (Map.Entry<String, Integer> c : e.getValue().entrySet()) {
        total += c.getValue();
        // Ties go to the alphabetically first label, so the picture is deterministic.
        if (c.getValue() > bestCount
            || (c.getValue() == bestCount && c.getKey().compareTo(best) < 0)) {
          best = c.getKey();
          bestCount = c.getValue();
        }
      }
      dominant.put(e.getKey(), best);
      purity.put(e.getKey(), (double) bestCount / total);
      cellsPerLabel.merge(best, 1, Integer::sum);
    }
    List<Map.Entry<String, Integer>> ranked = new ArrayList<>(cellsPerLabel.entrySet());
    ranked.sort(
        Map.Entry.<String, Integer>comparingByValue()
            .reversed()
            .thenComparing(Map.Entry.comparingByKey()));
    Map<String, Color> colourOf = new LinkedHashMap<>();
    int otherCells = 0;
    for (int i = 0; i < ranked.size(); i++) {
      if (i < MAX_LEGEND || ranked.size() == MAX_LEGEND + 1) {
        colourOf.put(ranked.get(i).getKey(), Colours.QUALITATIVE[i]);
      } else {
        otherCells += ranked.get(i).getValue();
      }
    }
    String file = reserve(name);
    LatticePainter painter =
        new LatticePainter(
            lattice,
            p -> {
              String label = dominant.get(p);
              if (label == null) {
                return null;
              }
              Color base = colourOf.get(label);
              // "Other" is one solid charcoal, so it never looks like an empty (near-white) cell.
              return base == null
                  ? Colours.OTHER
                  : Colours.mix(base, Color.WHITE, (1 - purity.get(p)) * 0.65);
            });
    BufferedImage image = canvas(LATTICE_BOX + 420, LATTICE_BOX + 100);
    Graphics2D g = graphics(image);
    title(g, heading, describe(lattice, "occupied parent cells"));
    painter.paint(g, new Rectangle2D.Double(30, 80, LATTICE_BOX, LATTICE_BOX));
    int x = LATTICE_BOX + 60;
    int y = 110;
    g.setFont(new Font(FONT, Font.BOLD, 15));
    g.setColor(Color.BLACK);
    g.drawString("dominant category (cells)", x, y);
    y += 14;
    g.setFont(new Font(FONT, Font.PLAIN, 14));
    for (Map.Entry<String, Color> e : colourOf.entrySet()) {
      y += 26;
      legendSwatch(
          g,
          x,
          y,
          e.getValue(),
          shorten(e.getKey(), 34) + " (" + cellsPerLabel.get(e.getKey()) + ")");
    }
    if (otherCells > 0) {
      y += 26;
      legendSwatch(
          g,
          x,
          y,
          Colours.OTHER,
          (ranked.size() - MAX_LEGEND) + " other categories (" + otherCells + ")");
    }
    y += 26;
    legendSwatch(g, x, y, LatticePainter.EMPTY, "no POI");
    y += 44;
    g.setFont(new Font(FONT, Font.PLAIN, 13));
    g.setColor(Color.DARK_GRAY);
    g.drawString("Paler: the dominant category is a", x, y);
    g.drawString("smaller share of the cell's POIs.", x, y + 17);
    g.dispose();
    write(image, file);
    String caption =
        "Each cell is coloured by the category most of its POIs have (the number after a label"
            + " counts the cells it dominates); paler cells are mixed, near-white cells are empty, charcoal cells are dominated by a"
            + " category outside the legend."
            + " On a topology-preserving map, same-coloured cells form connected regions rather"
            + " than salt-and-pepper noise.";
    sections.add(new Picture(file, heading, caption));
    return dir.resolve(file);
  }

  // ------------------------------------------------------------- POI map

  /**
   * The POIs on a map (longitude, latitude), each coloured by its first-level cell; the colours
   * vary smoothly over the lattice (see the key drawn beside the map), so if the semantic IDs keep
   * geography, nearby POIs share similar colours.
   *
   * @param name file stem
   * @param heading the picture's heading
   * @param lattice the first-level lattice
   * @param longitudes each POI's longitude
   * @param latitudes each POI's latitude
   * @param cells each POI's first-level cell
   * @return the PNG written
   */
  public Path addPoiMap(
      String name,
      String heading,
      LatticeSpec lattice,
      double[] longitudes,
      double[] latitudes,
      int[] cells)
      throws IOException {
    checkNotNull(lattice, "lattice");
    checkNotNull(longitudes, "longitudes");
    checkNotNull(latitudes, "latitudes");
    checkNotNull(cells, "cells");
    int n = longitudes.length;
    checkArgument(n > 0, "POI map %s: no POIs", name);
    checkArgument(
        latitudes.length == n && cells.length == n,
        "POI map %s: %s longitudes, %s latitudes, %s cells",
        name,
        n,
        latitudes.length,
        cells.length);
    double minLon = Double.POSITIVE_INFINITY;
    double maxLon = Double.NEGATIVE_INFINITY;
    double minLat = Double.POSITIVE_INFINITY;
    double maxLat = Double.NEGATIVE_INFINITY;
    int[] perCell = new int[lattice.size()];
    for (int i = 0; i < n; i++) {
      checkArgument(
          Double.isFinite(longitudes[i]) && Math.abs(longitudes[i]) <= 180,
          "POI map %s: longitude %s of POI %s",
          name,
          longitudes[i],
          i);
      checkArgument(
          Double.isFinite(latitudes[i]) && Math.abs(latitudes[i]) <= 90,
          "POI map %s: latitude %s of POI %s",
          name,
          latitudes[i],
          i);
      checkArgument(
          cells[i] >= 0 && cells[i] < lattice.size(),
          "POI map %s: cell %s of POI %s outside the %sx%s lattice",
          name,
          cells[i],
          i,
          lattice.rows(),
          lattice.cols());
      minLon = Math.min(minLon, longitudes[i]);
      maxLon = Math.max(maxLon, longitudes[i]);
      minLat = Math.min(minLat, latitudes[i]);
      maxLat = Math.max(maxLat, latitudes[i]);
      perCell[cells[i]]++;
    }
    String file = reserve(name);
    // Equal ground distance per pixel in both directions (longitude shrinks by cos(latitude)).
    double midLat = Math.toRadians((minLat + maxLat) / 2);
    double spanX = Math.max((maxLon - minLon) * Math.cos(midLat), 1e-6);
    double spanY = Math.max(maxLat - minLat, 1e-6);
    double plot = 760;
    double plotW = spanX >= spanY ? plot : Math.max(260, plot * spanX / spanY);
    double plotH = spanY >= spanX ? plot : Math.max(260, plot * spanY / spanX);
    int chartW = (int) Math.round(plotW + 110);
    int chartH = (int) Math.round(plotH + 120);
    XYChart chart =
        new XYChartBuilder()
            .width(chartW)
            .height(chartH)
            .title(heading)
            .xAxisTitle("longitude")
            .yAxisTitle("latitude")
            .build();
    style(chart.getStyler());
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setMarkerSize(n > 20_000 ? 2 : n > 5_000 ? 3 : 5);
    double padX = (maxLon - minLon) * 0.02 + 1e-4;
    double padY = (maxLat - minLat) * 0.02 + 1e-4;
    chart.getStyler().setXAxisMin(minLon - padX).setXAxisMax(maxLon + padX);
    chart.getStyler().setYAxisMin(minLat - padY).setYAxisMax(maxLat + padY);
    chart.getStyler().setXAxisDecimalPattern("0.00").setYAxisDecimalPattern("0.00");
    for (int c = 0; c < lattice.size(); c++) {
      if (perCell[c] == 0) {
        continue;
      }
      double[] xs = new double[perCell[c]];
      double[] ys = new double[perCell[c]];
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (cells[i] == c) {
          xs[k] = longitudes[i];
          ys[k++] = latitudes[i];
        }
      }
      XYSeries s = chart.addSeries("cell " + c, xs, ys);
      s.setMarker(SeriesMarkers.CIRCLE);
      s.setMarkerColor(Colours.latticePosition(lattice, c));
    }
    BufferedImage map = BitmapEncoder.getBufferedImage(chart);
    int keyW = 320;
    BufferedImage image = canvas(map.getWidth() + keyW, Math.max(map.getHeight(), 420));
    Graphics2D g = graphics(image);
    g.drawImage(map, 0, 0, null);
    int kx = map.getWidth() + 20;
    g.setColor(Color.BLACK);
    g.setFont(new Font(FONT, Font.BOLD, 15));
    g.drawString("colour key: level-1 lattice", kx, 70);
    g.setFont(new Font(FONT, Font.PLAIN, 13));
    g.drawString(latticeName(lattice), kx, 90);
    g.drawString("(row 0 at the top)", kx, 107);
    NestedLattice single = NestedLattice.single(lattice);
    new LatticePainter(
            single,
            p -> perCell[p.cell(0)] == 0 ? null : Colours.latticePosition(lattice, p.cell(0)))
        .paint(g, new Rectangle2D.Double(kx, 120, keyW - 50, keyW - 50));
    g.setColor(Color.DARK_GRAY);
    g.drawString("light grey: cell without POIs", kx, 120 + keyW - 50 + 22);
    g.dispose();
    write(image, file);
    String caption =
        "Every POI at its longitude and latitude (equal ground distance per pixel on both"
            + " axes), coloured by its level-1 cell. The key beside the map shows the lattice:"
            + " cells close on the lattice have similar colours. Smooth colour regions on the map"
            + " mean the semantic IDs keep geography; speckled colours mean neighbouring POIs got"
            + " distant IDs.";
    sections.add(new Picture(file, heading, caption));
    return dir.resolve(file);
  }

  // ------------------------------------------------------- training curves

  /**
   * A line chart of training curves (for example SFT train and validation loss per step).
   *
   * @param name file stem
   * @param heading the picture's heading
   * @param caption what the picture shows and how to read it
   * @param xLabel x-axis title
   * @param yLabel y-axis title
   * @param curves the curves (each with at least one number); at most 12
   * @return the PNG written
   */
  public Path addLineChart(
      String name, String heading, String caption, String xLabel, String yLabel, List<Curve> curves)
      throws IOException {
    return lineChart(name, heading, caption, xLabel, yLabel, curves, List.of(), null);
  }

  /**
   * The SFT loss curves: training loss per optimizer step and validation loss (usually once per
   * epoch, placed at the step where the epoch ended).
   *
   * @param name file stem
   * @param run which training this was (shown in the heading; empty for none)
   * @param train training loss by step
   * @param validation validation loss by step (may hold no numbers when there was no validation)
   * @return the PNG written
   */
  public Path addSftLoss(String name, String run, Curve train, Curve validation)
      throws IOException {
    checkNotNull(train, "train");
    checkNotNull(validation, "validation");
    List<Curve> curves = new ArrayList<>(List.of(train));
    if (validation.finitePoints() > 0) {
      curves.add(validation);
    }
    return lineChart(
        name,
        heading("SFT loss", run),
        "Token-mean negative log-likelihood of the answer tokens. The training loss should fall"
            + " steadily; validation points (dots) that rise while training keeps falling mean"
            + " the policy memorises the training trajectories (over-fitting).",
        "optimizer step",
        "loss (nats per token)",
        curves,
        List.of(),
        null);
  }

  /**
   * GRPO rewards per step: the mean total reward and the mean of every reward term.
   *
   * @param name file stem
   * @param run which training this was (shown in the heading; empty for none)
   * @param steps the per-step metrics, in step order
   * @return the PNG written
   */
  public Path addGrpoRewards(String name, String run, List<StepMetrics> steps) throws IOException {
    checkNotNull(steps, "steps");
    checkArgument(!steps.isEmpty(), "GRPO rewards %s: no steps", name);
    List<Curve> curves = new ArrayList<>();
    curves.add(grpoCurve("total reward", steps, StepMetrics::rewardMean));
    Set<String> terms = new java.util.TreeSet<>();
    steps.forEach(s -> terms.addAll(s.termMeans().keySet()));
    for (String term : terms) {
      curves.add(grpoCurve(term, steps, s -> s.termMeans().getOrDefault(term, Double.NaN)));
    }
    curves.removeIf(c -> c.finitePoints() == 0);
    curves.replaceAll(ReportWriter::withLastValue);
    return lineChart(
        name,
        heading("GRPO reward per term", run),
        "Mean reward per GRPO step: the total and each reward term (ranking, format, ...)."
            + " A rising ranking term is learning; a format term stuck below its maximum means"
            + " answers often fail to parse; a flat total with rising terms can mean the terms"
            + " trade off against each other.",
        "GRPO step",
        "mean reward",
        curves,
        List.of(),
        null);
  }

  /**
   * GRPO stability per step: the KL divergence to the reference policy (left axis) and the fraction
   * of tokens whose ratio was clipped (right axis).
   *
   * @param name file stem
   * @param run which training this was (shown in the heading; empty for none)
   * @param steps the per-step metrics, in step order
   * @return the PNG written
   */
  public Path addGrpoKlAndClip(String name, String run, List<StepMetrics> steps)
      throws IOException {
    checkNotNull(steps, "steps");
    checkArgument(!steps.isEmpty(), "GRPO KL/clip %s: no steps", name);
    List<Curve> left = new ArrayList<>();
    left.add(grpoCurve("KL to reference", steps, StepMetrics::kl));
    left.removeIf(c -> c.finitePoints() == 0);
    List<Curve> right = new ArrayList<>();
    right.add(grpoCurve("clip fraction", steps, s -> s.clipLowFraction() + s.clipHighFraction()));
    right.removeIf(c -> c.finitePoints() == 0);
    return lineChart(
        name,
        heading("GRPO KL and clip fraction", run),
        "KL: how far the policy has moved from the SFT reference (per token, left axis); it should"
            + " grow slowly, a sudden jump is a sign of instability. Clip fraction: the share of"
            + " tokens whose probability ratio hit the clipping range (right axis); values far"
            + " above 0.2 mean the updates are too large (lower the learning rate).",
        "GRPO step",
        left.isEmpty() ? "" : "KL",
        left,
        right,
        "clip fraction");
  }

  /** The curve with its last value in its legend label, so overlapping curves stay readable. */
  private static Curve withLastValue(Curve c) {
    double[] y = c.finiteY();
    return new Curve(
        String.format(Locale.ROOT, "%s (last %.3f)", c.name(), y[y.length - 1]), c.x(), c.y());
  }

  private static String heading(String what, String run) {
    checkNotNull(run, "run");
    return run.isBlank() ? what : what + " (" + run + ")";
  }

  private static Curve grpoCurve(
      String name, List<StepMetrics> steps, java.util.function.ToDoubleFunction<StepMetrics> f) {
    double[] x = new double[steps.size()];
    double[] y = new double[steps.size()];
    for (int i = 0; i < x.length; i++) {
      StepMetrics s = checkNotNull(steps.get(i), "step %s", i);
      x[i] = s.step();
      double v = f.applyAsDouble(s);
      y[i] = Double.isInfinite(v) ? Double.NaN : v;
    }
    return new Curve(name, x, y);
  }

  private Path lineChart(
      String name,
      String heading,
      String caption,
      String xLabel,
      String yLabel,
      List<Curve> left,
      List<Curve> right,
      String rightLabel)
      throws IOException {
    checkNotNull(heading, "heading");
    checkNotNull(caption, "caption");
    checkNotNull(xLabel, "xLabel");
    checkNotNull(yLabel, "yLabel");
    checkNotNull(left, "curves");
    checkArgument(!left.isEmpty() || !right.isEmpty(), "line chart %s: no curve has a value", name);
    checkArgument(left.size() + right.size() <= 12, "line chart %s: more than 12 curves", name);
    for (Curve c : left) {
      checkArgument(
          checkNotNull(c, "curve").finitePoints() > 0,
          "line chart %s: curve %s has no value",
          name,
          c.name());
    }
    String file = reserve(name);
    XYChart chart =
        new XYChartBuilder()
            .width(1000)
            .height(560)
            .title(heading)
            .xAxisTitle(xLabel)
            .yAxisTitle(yLabel)
            .build();
    style(chart.getStyler());
    chart.getStyler().setXAxisTickMarkSpacingHint(90);
    int labelChars = 0;
    for (Curve c : left) {
      labelChars += c.name().length() + 6;
    }
    for (Curve c : right) {
      labelChars += c.name().length() + 6;
    }
    // One legend row below the chart while it fits; a column on the right otherwise.
    boolean below = labelChars <= 95;
    chart
        .getStyler()
        .setLegendPosition(below ? Styler.LegendPosition.OutsideS : Styler.LegendPosition.OutsideE);
    chart
        .getStyler()
        .setLegendLayout(below ? Styler.LegendLayout.Horizontal : Styler.LegendLayout.Vertical);
    // Leading zeros kept ("0.012", not ".012"); whole numbers without decimals.
    chart.getStyler().setYAxisDecimalPattern("0.####");
    int colour = 0;
    Set<String> used = new HashSet<>();
    for (int group = 0; group < 2; group++) {
      for (Curve c : group == 0 ? left : right) {
        checkArgument(used.add(c.name()), "line chart %s: two curves named %s", name, c.name());
        double[] xs = c.finiteX();
        double[] ys = c.finiteY();
        if (xs.length > 20 && xs[1] > xs[0]) {
          // XChart 3.8 puts a tick at every few data points when all x values are equally spaced
          // (a loss per optimizer step), and their labels run together; a first x nudged by a
          // thousandth of a step (invisible) makes it choose round ticks by the spacing hint.
          xs[0] += Math.max(1e-3 * (xs[1] - xs[0]), 2e-4);
        }
        XYSeries s = chart.addSeries(c.name(), xs, ys);
        Color col = Colours.QUALITATIVE[colour++ % Colours.QUALITATIVE.length];
        s.setLineColor(col);
        s.setMarkerColor(col);
        // Sparse curves (a validation point per epoch) get dots; dense ones are plain lines.
        boolean sparse = xs.length <= 40 && xs.length * 8 < maxPoints(left, right);
        s.setMarker(sparse || xs.length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        float width = xs.length > 300 ? 1.2f : 2f;
        // Each curve after the first gets its own dash pattern, so curves lying on top of each
        // other (reward terms that are all 1.0, say) still show every colour.
        float[] dash = DASHES[(colour - 1) % DASHES.length];
        s.setLineStyle(
            dash == null
                ? new BasicStroke(width)
                : new BasicStroke(
                    width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f));
        if (group == 1) {
          s.setYAxisGroup(1);
        }
      }
    }
    if (!right.isEmpty()) {
      // Fractions: from 0, so a constant 0 is drawn at the bottom rather than mid-axis.
      double maxRight = 0;
      for (Curve c : right) {
        for (double v : c.finiteY()) {
          maxRight = Math.max(maxRight, v);
        }
      }
      chart.getStyler().setYAxisMin(1, 0.0);
      chart.getStyler().setYAxisMax(1, Math.max(0.05, maxRight * 1.1));
      chart.getStyler().putYAxisGroupDecimalPatternMap(1, "0.####");
      chart.setYAxisGroupTitle(1, rightLabel);
      chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    }
    write(BitmapEncoder.getBufferedImage(chart), file);
    sections.add(new Picture(file, heading, caption));
    return dir.resolve(file);
  }

  private static int maxPoints(List<Curve> a, List<Curve> b) {
    int max = 0;
    for (Curve c : a) {
      max = Math.max(max, c.finitePoints());
    }
    for (Curve c : b) {
      max = Math.max(max, c.finitePoints());
    }
    return max;
  }

  // --------------------------------------------------------------- metrics

  /**
   * Bar charts of Acc@1, Acc@5, Acc@10, NDCG@10 and MRR per method, one per subset of the table
   * (overall, cold-start, ...) that has samples; the index also shows the table itself.
   *
   * @param namePrefix file stem prefix; the subset name is appended
   * @param table the metrics
   * @return the PNGs written
   */
  public List<Path> addMetrics(String namePrefix, MetricsTable table) throws IOException {
    return addMetrics(namePrefix, table, Map.of(), "");
  }

  /**
   * {@link #addMetrics(String, MetricsTable)} with each method's role (a column of the table; the
   * row of role {@code "final"} in bold) and a caption above the table.
   *
   * @param roles the role of each method name (methods without one get an empty cell); no column
   *     when empty
   * @param caption what the table shows (may be empty)
   */
  public List<Path> addMetrics(
      String namePrefix, MetricsTable table, Map<String, String> roles, String caption)
      throws IOException {
    checkNotNull(table, "table");
    checkNotNull(roles, "roles");
    checkNotNull(caption, "caption");
    checkArgument(!table.rows().isEmpty(), "metrics: the table has no rows");
    checkArgument(metrics == null, "metrics were already added to this report");
    metrics = table;
    sections.add(
        new Block(
            reserveName(namePrefix + "-table"), "Metrics", metricsHtml(table, roles, caption)));
    Map<String, List<MetricsTable.Row>> bySubset = new LinkedHashMap<>();
    for (MetricsTable.Row r : table.rows()) {
      bySubset.computeIfAbsent(r.subset(), k -> new ArrayList<>()).add(r);
    }
    List<String> categories = List.of("Acc@1", "Acc@5", "Acc@10", "NDCG@10", "MRR");
    List<Path> out = new ArrayList<>();
    for (Map.Entry<String, List<MetricsTable.Row>> e : bySubset.entrySet()) {
      List<MetricsTable.Row> rows =
          e.getValue().stream().filter(r -> !r.report().isEmpty()).toList();
      if (rows.isEmpty()) {
        continue;
      }
      String subset = e.getKey();
      String file =
          reserve(namePrefix + "-" + subset.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
      long n = rows.getFirst().report().count();
      CategoryChart chart =
          new CategoryChartBuilder()
              .width(1100)
              .height(600)
              .title("Ranking metrics, " + subset + " (" + n + " test samples)")
              .xAxisTitle("metric")
              .yAxisTitle("value (higher is better)")
              .build();
      style(chart.getStyler());
      chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
      chart.getStyler().setYAxisMin(0.0);
      chart.getStyler().setYAxisDecimalPattern("0.00");
      chart.getStyler().setAvailableSpaceFill(0.85);
      // No value labels on the bars: short bars clip them; the exact values are in the table.
      chart.getStyler().setLabelsVisible(false);
      Color[] colours = new Color[rows.size()];
      double max = 0;
      Set<String> used = new HashSet<>();
      for (int i = 0; i < rows.size(); i++) {
        MetricsTable.Row r = rows.get(i);
        MetricsReport m = r.report();
        String series = used.add(r.method()) ? r.method() : r.method() + " #" + (i + 1);
        List<Double> values = List.of(m.acc1(), m.acc5(), m.acc10(), m.ndcg10(), m.mrr());
        for (double v : values) {
          max = Math.max(max, v);
        }
        chart.addSeries(series, categories, values);
        colours[i] = Colours.QUALITATIVE[i % Colours.QUALITATIVE.length];
      }
      chart.getStyler().setSeriesColors(colours);
      chart.getStyler().setYAxisMax(Math.min(1.0, Math.max(0.05, max * 1.15)));
      write(BitmapEncoder.getBufferedImage(chart), file);
      sections.add(
          new Picture(
              file,
              "Ranking metrics (" + subset + ")",
              "One group of bars per metric, one bar per method, on the "
                  + subset
                  + " test samples. Acc@k: the true next POI is in the top k; NDCG@10 and MRR"
                  + " also reward ranking it higher. Compare a method's bars with the baselines'"
                  + " within a group; the exact values are in the table above."));
      out.add(dir.resolve(file));
    }
    return out;
  }

  // ----------------------------------------------------------------- index

  /**
   * Writes {@code index.html}: the title, a list of contents, then every section in the order it
   * was added (tables and HTML blocks as they are, pictures with their heading and caption).
   *
   * @return the index file
   */
  public Path writeIndex() throws IOException {
    checkArgument(!sections.isEmpty(), "the report has nothing to show");
    var esc = HtmlEscapers.htmlEscaper();
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.append("<title>").append(esc.escape(title)).append("</title>\n");
    h.append("<style>").append(CSS).append("</style>\n");
    h.append("</head>\n<body>\n<h1>").append(esc.escape(title)).append("</h1>\n");
    if (!subtitle.isBlank()) {
      h.append("<p class=\"sub\">").append(esc.escape(subtitle)).append("</p>\n");
    }
    h.append("<nav><strong>Contents</strong><ol>");
    int n = 0;
    for (Section s : sections) {
      h.append("<li><a href=\"#")
          .append(anchor(s, n++))
          .append("\">")
          .append(esc.escape(s.heading()))
          .append("</a></li>");
    }
    h.append("</ol></nav>\n");
    n = 0;
    for (Section s : sections) {
      String id = anchor(s, n++);
      switch (s) {
        case Picture p -> {
          h.append("<figure id=\"").append(id).append("\">\n<h2>");
          h.append(esc.escape(p.heading())).append("</h2>\n");
          h.append("<img src=\"")
              .append(esc.escape(p.file()))
              .append("\" alt=\"")
              .append(esc.escape(p.heading()))
              .append("\">\n<figcaption>")
              .append(esc.escape(p.caption()))
              .append("</figcaption>\n</figure>\n");
        }
        case Block b -> {
          h.append("<section id=\"").append(id).append("\">\n<h2>");
          h.append(esc.escape(b.heading())).append("</h2>\n");
          h.append(b.html()).append("</section>\n");
        }
      }
    }
    h.append("</body>\n</html>\n");
    Path target = dir.resolve(INDEX);
    AtomicFiles.write(target, h.toString().getBytes(StandardCharsets.UTF_8));
    return target;
  }

  private static String anchor(Section s, int n) {
    return switch (s) {
      case Picture p -> p.file().substring(0, p.file().length() - ".png".length());
      case Block b -> b.anchor();
    };
  }

  private static final String CSS =
      "body{font-family:sans-serif;max-width:1250px;margin:2em auto;padding:0 1em;color:#222}"
          + "img{max-width:100%;border:1px solid #ddd}figure,section{margin:2.2em 0}"
          + "figcaption,p.cap{color:#444;max-width:70em;margin:.4em 0}"
          + "p.sub{color:#555;margin-top:-.6em}"
          + "nav{background:#f6f6f6;border:1px solid #e2e2e2;padding:.6em 1em;columns:2}"
          + "nav ol{margin:.3em 0}"
          + "table{border-collapse:collapse;margin:.6em 0}"
          + "td,th{padding:.25em .6em;border:1px solid #ccc;vertical-align:top}"
          + "th{background:#f2f2f2;text-align:left}"
          + "td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
          + "tr.final td{font-weight:bold}tr.truth td{background:#e3f4e1}"
          + "td.win{background:#e3f4e1}code{font-size:90%}"
          + ".examples{display:grid;grid-template-columns:repeat(auto-fill,minmax(720px,1fr));"
          + "gap:1em}.example{border:1px solid #ddd;padding:.4em .8em}"
          + ".example h3{font-size:105%;margin:.3em 0}.example td{white-space:nowrap}"
          + ".example td:nth-child(3){white-space:normal}"
          + ".map{position:relative;display:inline-block;border:1px solid #ddd}"
          + ".map svg circle{stroke:none}.map svg circle.hl{stroke:#000;stroke-width:1.2}"
          + ".map svg circle:hover{stroke:#000;stroke-width:2}"
          + "#imap-tip{position:absolute;pointer-events:none;background:rgba(255,255,255,.95);"
          + "border:1px solid #888;padding:.3em .5em;font-size:85%;display:none;"
          + "white-space:pre}";

  private static String metricsHtml(MetricsTable table, Map<String, String> roles, String caption) {
    var esc = HtmlEscapers.htmlEscaper();
    StringBuilder h = new StringBuilder();
    if (!caption.isBlank()) {
      h.append("<p class=\"cap\">").append(esc.escape(caption)).append("</p>\n");
    }
    h.append("<table>\n<tr>");
    List<String> headers = new ArrayList<>(MetricsTable.HEADERS);
    if (!roles.isEmpty()) {
      headers.add(1, "role");
    }
    for (String header : headers) {
      h.append("<th>").append(esc.escape(header)).append("</th>");
    }
    h.append("</tr>\n");
    for (MetricsTable.Row r : table.rows()) {
      MetricsReport m = r.report();
      String role = roles.getOrDefault(r.method(), "");
      h.append(role.equals("final") ? "<tr class=\"final\">" : "<tr>");
      h.append("<td>").append(esc.escape(r.method())).append("</td><td>");
      if (!roles.isEmpty()) {
        h.append(esc.escape(role)).append("</td><td>");
      }
      h.append(esc.escape(r.subset())).append("</td><td class=\"n\">").append(m.count());
      for (double v :
          new double[] {m.acc1(), m.acc5(), m.acc10(), m.ndcg5(), m.ndcg10(), m.mrr()}) {
        h.append("</td><td class=\"n\">")
            .append(Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v));
      }
      h.append("</td></tr>\n");
    }
    return h.append("</table>\n").toString();
  }

  // --------------------------------------------------------------- helpers

  private String reserve(String name) {
    return reserveName(name) + ".png";
  }

  private String reserveName(String name) {
    checkNotNull(name, "name");
    checkArgument(
        NAME.matcher(name).matches(),
        "picture name %s must be 1-64 characters of a-z, 0-9 and '-'",
        name);
    checkArgument(names.add(name), "picture name %s is already used in this report", name);
    return name;
  }

  private void write(BufferedImage image, String file) throws IOException {
    AtomicFiles.writeStream(
        dir.resolve(file),
        out -> {
          if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer in this Java runtime");
          }
        });
  }

  private static BufferedImage canvas(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.dispose();
    return image;
  }

  private static Graphics2D graphics(BufferedImage image) {
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    return g;
  }

  private static void title(Graphics2D g, String heading, String subtitle) {
    checkNotNull(heading, "heading");
    g.setColor(Color.BLACK);
    g.setFont(new Font(FONT, Font.BOLD, 22));
    g.drawString(heading, 30, 36);
    g.setFont(new Font(FONT, Font.PLAIN, 14));
    g.setColor(Color.DARK_GRAY);
    g.drawString(subtitle, 30, 60);
  }

  private static void colourBar(Graphics2D g, int x, int y, double min, double max, String label) {
    int w = 28;
    int h = 560;
    for (int i = 0; i < h; i++) {
      // Top is the maximum, like a y axis.
      g.setColor(Colours.sequential(1 - (double) i / (h - 1)));
      g.fillRect(x, y + i, w, 1);
    }
    g.setColor(Color.DARK_GRAY);
    g.setStroke(new BasicStroke(1f));
    g.drawRect(x, y, w, h);
    g.setFont(new Font(FONT, Font.PLAIN, 13));
    FontMetrics fm = g.getFontMetrics();
    for (int k = 0; k <= 4; k++) {
      double v = max - (max - min) * k / 4;
      int ty = y + h * k / 4;
      g.drawLine(x + w, ty, x + w + 5, ty);
      g.drawString(formatTick(v, max - min), x + w + 8, ty + fm.getAscent() / 2 - 1);
    }
    g.setFont(new Font(FONT, Font.BOLD, 13));
    g.drawString(label, x - 20, y - 14);
  }

  private static String formatTick(double v, double span) {
    if (span == 0) {
      return String.format(Locale.ROOT, "%.4g", v);
    }
    int digits = Math.max(0, 2 - (int) Math.floor(Math.log10(span)));
    return String.format(Locale.ROOT, "%." + Math.min(digits, 6) + "f", v);
  }

  private static void legendSwatch(Graphics2D g, int x, int y, Color c, String text) {
    g.setColor(c);
    g.fillRect(x, y - 14, 22, 18);
    g.setColor(Color.GRAY);
    g.drawRect(x, y - 14, 22, 18);
    g.setColor(Color.BLACK);
    g.drawString(text, x + 32, y);
  }

  private static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
  }

  private static String describe(NestedLattice lattice, String parents) {
    if (lattice.depth() == 1) {
      return latticeName(lattice.lattices().getFirst());
    }
    StringBuilder sb = new StringBuilder();
    for (int l = 0; l < lattice.depth(); l++) {
      sb.append(l == 0 ? "" : " inside each cell of ")
          .append(latticeName(lattice.lattices().get(lattice.depth() - 1 - l)));
    }
    sb.append(" (").append(lattice.parents().size()).append(" child maps)");
    return sb.toString();
  }

  private static String latticeName(LatticeSpec lat) {
    return lat.rows()
        + " \u00d7 "
        + lat.cols()
        + (lat.topology() == LatticeSpec.Topology.HEXAGONAL ? " hexagonal" : " rectangular")
        + (lat.toroidal() ? " torus" : " lattice");
  }

  private static void style(Styler styler) {
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setLegendBorderColor(Color.LIGHT_GRAY);
    styler.setChartTitleFont(new Font(FONT, Font.BOLD, 20));
    styler.setChartTitleBoxBackgroundColor(Color.WHITE);
    styler.setLegendFont(new Font(FONT, Font.PLAIN, 14));
    styler.setAntiAlias(true);
    styler.setChartPadding(14);
    if (styler instanceof org.knowm.xchart.style.AxesChartStyler a) {
      a.setAxisTickLabelsFont(new Font(FONT, Font.PLAIN, 13));
      a.setAxisTitleFont(new Font(FONT, Font.PLAIN, 15));
      a.setPlotGridLinesColor(new Color(0xE4, 0xE4, 0xE4));
    }
  }

  @Override
  public String toString() {
    return "ReportWriter[" + dir.getFileName() + ", " + sections.size() + " pictures]";
  }

  /** The picture files, in order. */
  List<String> files() {
    return sections.stream()
        .filter(s -> s instanceof Picture)
        .map(s -> ((Picture) s).file())
        .toList();
  }
}
