package org.refinepoi.examples.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.eval.MetricsReport;
import org.refinepoi.core.eval.MetricsTable;
import org.refinepoi.core.sid.LatticeSpec;

/** Pictures drawn from small hand-made inputs: exact pixels where they are known, and bad input. */
class ReportWriterTest {

  @TempDir Path dir;

  // The lattice box of lattice pictures: x 30..810, y 80..860.
  static final int BOX_X = 30;
  static final int BOX_Y = 80;
  static final int BOX = 780;

  static Map<CellPath, Double> values(double... v) {
    Map<CellPath, Double> out = new HashMap<>();
    for (int i = 0; i < v.length; i++) {
      out.put(CellPath.of(i), v[i]);
    }
    return out;
  }

  static Color at(BufferedImage image, double x, double y) {
    return new Color(image.getRGB((int) Math.round(x), (int) Math.round(y)));
  }

  @Test
  void uMatrixCellsCarryTheirValuesColour() throws IOException {
    ReportWriter w = new ReportWriter(dir, "t");
    Path png =
        w.addUMatrix(
            "u",
            "U",
            NestedLattice.single(LatticeSpec.rectangular(2, 2)),
            values(0.0, 1.0, 2.0, 3.0));
    BufferedImage image = PngChecks.readPng(png);
    assertThat(image.getWidth()).isEqualTo(1110);
    assertThat(image.getHeight()).isEqualTo(880);
    double s = BOX / 2.0;
    // Row 0 at the top: cell 0 top-left (lowest value, darkest), cell 3 bottom-right (brightest).
    assertThat(at(image, BOX_X + s / 2, BOX_Y + s / 2)).isEqualTo(Colours.sequential(0));
    assertThat(at(image, BOX_X + 1.5 * s, BOX_Y + 0.5 * s)).isEqualTo(Colours.sequential(1 / 3.0));
    assertThat(at(image, BOX_X + 0.5 * s, BOX_Y + 1.5 * s)).isEqualTo(Colours.sequential(2 / 3.0));
    assertThat(at(image, BOX_X + 1.5 * s, BOX_Y + 1.5 * s)).isEqualTo(Colours.sequential(1));
  }

  @Test
  void hexagonalCellsSitOnOffsetRows() throws IOException {
    ReportWriter w = new ReportWriter(dir, "t");
    LatticeSpec hex = LatticeSpec.hexagonal(2, 2);
    Path png = w.addUMatrix("u", "U", NestedLattice.single(hex), values(0, 0, 0, 3));
    BufferedImage image = PngChecks.readPng(png);
    // 2.5 units wide, (sqrt3/2 + 2/sqrt3) units high; the width binds.
    double s = BOX / 2.5;
    double y0 = BOX_Y + (BOX - s * (Math.sqrt(3) / 2 + 2 / Math.sqrt(3))) / 2;
    double rowY1 = y0 + (1 / Math.sqrt(3) + Math.sqrt(3) / 2) * s;
    // Cell 3 (row 1, col 1) is shifted half a cell right: its centre is at x = 2 units.
    assertThat(at(image, BOX_X + 2.0 * s, rowY1)).isEqualTo(Colours.sequential(1));
    // Left of row 1's first hexagon is background, not a cell.
    assertThat(at(image, BOX_X + 0.2 * s, rowY1)).isEqualTo(Color.WHITE);
  }

  @Test
  void mosaicDrawsChildMapsInsideTheirParentsAndGreysParentsWithoutOne() throws IOException {
    ReportWriter w = new ReportWriter(dir, "t");
    NestedLattice nested =
        new NestedLattice(
            List.of(LatticeSpec.rectangular(1, 2), LatticeSpec.rectangular(1, 2)),
            Set.of(CellPath.of(1)));
    Map<CellPath, Double> v = new HashMap<>();
    v.put(CellPath.of(1, 0), 0.0);
    v.put(CellPath.of(1, 1), 1.0);
    BufferedImage image = PngChecks.readPng(w.addUMatrix("u", "U", nested, v));
    double s = BOX / 2.0; // parent tiles 390 px, centred vertically
    double cy = BOX_Y + BOX / 2.0;
    assertThat(at(image, BOX_X + s / 2, cy)).isEqualTo(LatticePainter.EMPTY);
    assertThat(at(image, BOX_X + s + s / 4, cy)).isEqualTo(Colours.sequential(0));
    assertThat(at(image, BOX_X + s + 3 * s / 4, cy)).isEqualTo(Colours.sequential(1));
  }

  @Test
  void categoryCellsTakeTheDominantLabelPalerWhenMixed() throws IOException {
    ReportWriter w = new ReportWriter(dir, "t");
    List<CellPath> paths =
        List.of(CellPath.of(0), CellPath.of(1), CellPath.of(1), CellPath.of(1), CellPath.of(1));
    List<String> labels = List.of("Park", "Bar", "Bar", "Park", "Bar");
    BufferedImage image =
        PngChecks.readPng(
            w.addCategoryLattice(
                "c", "C", NestedLattice.single(LatticeSpec.rectangular(1, 3)), paths, labels));
    assertThat(image.getWidth()).isEqualTo(1200);
    double s = BOX / 3.0;
    double cy = BOX_Y + BOX / 2.0;
    // Each label dominates one cell; the tie is broken alphabetically: Bar first colour.
    assertThat(at(image, BOX_X + s / 2, cy)).isEqualTo(Colours.QUALITATIVE[1]);
    assertThat(at(image, BOX_X + 1.5 * s, cy))
        .isEqualTo(Colours.mix(Colours.QUALITATIVE[0], Color.WHITE, 0.25 * 0.65));
    assertThat(at(image, BOX_X + 2.5 * s, cy)).isEqualTo(LatticePainter.EMPTY);
  }

  @Test
  void trainingCurvesSkipNaNGapsAndRefuseEmptyCurves() throws IOException {
    ReportWriter w = new ReportWriter(dir, "t");
    Curve withGap =
        new Curve("loss", new double[] {0, 1, 2, 3}, new double[] {3, Double.NaN, 2, 1});
    assertThat(withGap.finitePoints()).isEqualTo(3);
    BufferedImage image =
        PngChecks.readPng(w.addLineChart("l", "L", "caption", "step", "loss", List.of(withGap)));
    assertThat(image.getWidth()).isEqualTo(1000);
    assertThat(image.getHeight()).isEqualTo(560);
    Curve empty = Curve.ofSteps("nothing", new double[] {Double.NaN});
    assertThatThrownBy(() -> w.addLineChart("e", "E", "c", "x", "y", List.of(empty)))
        .hasMessageContaining("nothing")
        .hasMessageContaining("no value");
    assertThatThrownBy(() -> new Curve("bad", new double[] {0, 1}, new double[] {1}))
        .hasMessageContaining("2 x values but 1 y values");
    assertThatThrownBy(
            () -> new Curve("inf", new double[] {0}, new double[] {Double.POSITIVE_INFINITY}))
        .hasMessageContaining("infinite");
  }

  @Test
  void metricsChartsSkipEmptySubsetsAndTheIndexShowsTheTable() throws IOException {
    ReportWriter w = new ReportWriter(dir, "Report <one> & two");
    MetricsReport a = new MetricsReport(100, 0.1, 0.3, 0.4, 0.2, 0.25, 0.2);
    MetricsReport b = new MetricsReport(100, 0.2, 0.5, 0.6, 0.3, 0.35, 0.3);
    MetricsTable table =
        MetricsTable.ofRows(
            List.of(
                new MetricsTable.Row("A", MetricsTable.OVERALL, a),
                new MetricsTable.Row("B<b>", MetricsTable.OVERALL, b),
                new MetricsTable.Row("A", MetricsTable.COLD_START, MetricsReport.EMPTY),
                new MetricsTable.Row("B<b>", MetricsTable.COLD_START, MetricsReport.EMPTY)));
    List<Path> pngs = w.addMetrics("metrics", table);
    assertThat(pngs)
        .extracting(p -> p.getFileName().toString())
        .containsExactly("metrics-overall.png");
    w.writeIndex();
    PngChecks.checkReport(dir, pngs);
    String html = Files.readString(dir.resolve(ReportWriter.INDEX));
    assertThat(html)
        .contains("<title>Report &lt;one&gt; &amp; two</title>")
        .contains("<td>B&lt;b&gt;</td>")
        .contains("<td class=\"n\">0.3500</td>")
        .contains("n/a")
        .doesNotContain("<b>");
    assertThatThrownBy(() -> w.addMetrics("again", table)).hasMessageContaining("already");
  }

  @Test
  void refusesBadInputAtTheBoundary() throws IOException {
    ReportWriter w = new ReportWriter(dir, "t");
    NestedLattice two = NestedLattice.single(LatticeSpec.rectangular(1, 2));
    assertThatThrownBy(() -> w.addUMatrix("Bad Name", "U", two, values(1, 2)))
        .hasMessageContaining("a-z, 0-9");
    assertThatThrownBy(() -> w.addUMatrix("u", "U", two, values(1, Double.NaN)))
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> w.addUMatrix("u", "U", two, values(1, 2, 3)))
        .hasMessageContaining("outside the 1x2 lattice");
    assertThatThrownBy(() -> w.addUMatrix("u", "U", two, Map.of()))
        .hasMessageContaining("no values");
    w.addUMatrix("u", "U", two, values(1, 1)); // equal values: one colour, still drawn
    assertThatThrownBy(() -> w.addUMatrix("u", "U", two, values(1, 2)))
        .hasMessageContaining("already used");
    assertThatThrownBy(
            () -> w.addCategoryLattice("c", "C", two, List.of(CellPath.of(0)), List.of()))
        .hasMessageContaining("1 paths but 0 labels");
    assertThatThrownBy(
            () ->
                w.addPoiMap(
                    "m",
                    "M",
                    LatticeSpec.rectangular(1, 2),
                    new double[] {10},
                    new double[] {95},
                    new int[] {0}))
        .hasMessageContaining("latitude 95.0 of POI 0");
    assertThatThrownBy(
            () ->
                w.addPoiMap(
                    "m",
                    "M",
                    LatticeSpec.rectangular(1, 2),
                    new double[] {10},
                    new double[] {45},
                    new int[] {2}))
        .hasMessageContaining("cell 2 of POI 0 outside the 1x2 lattice");
    assertThatThrownBy(
            () ->
                new NestedLattice(
                    List.of(LatticeSpec.rectangular(2, 2), LatticeSpec.rectangular(2, 2)),
                    Set.of(CellPath.of(4))))
        .hasMessageContaining("cell 4 outside the 2x2 lattice of level 0");
    assertThatThrownBy(() -> new ReportWriter(dir, "x").writeIndex())
        .hasMessageContaining("nothing to show");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("u.png");
    }
  }

  @Test
  void cellPathsAreValueKeys() {
    CellPath p = CellPath.of(3, 1);
    assertThat(p).isEqualTo(CellPath.of(3).child(1)).hasSameHashCodeAs(CellPath.of(3, 1));
    assertThat(p.prefix(1)).isEqualTo(CellPath.of(3));
    assertThat(p.toString()).isEqualTo("[3, 1]");
    assertThatThrownBy(() -> CellPath.of()).hasMessageContaining("at least one level");
    assertThatThrownBy(() -> CellPath.of(-1)).hasMessageContaining(">= 0");
  }
}
