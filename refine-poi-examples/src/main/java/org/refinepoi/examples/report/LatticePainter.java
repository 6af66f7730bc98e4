package org.refinepoi.examples.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.function.Function;
import org.refinepoi.core.sid.LatticeSpec;

/**
 * Draws a {@link NestedLattice} into a rectangle: square cells for rectangular lattices; hexagons
 * for a hexagonal innermost lattice; offset square tiles (odd rows shifted half a tile) for a
 * hexagonal outer lattice, with its child lattice inside each tile. Row 0 is at the top.
 */
final class LatticePainter {

  /** Colour of a cell or tile that has no value (no POI, no child map). */
  static final Color EMPTY = new Color(0xEE, 0xEE, 0xEE);

  private static final double SQRT3 = Math.sqrt(3);

  private final NestedLattice nested;
  private final Function<CellPath, Color> colour;

  /**
   * @param colour the colour of a full-length path, or null for "no value"
   */
  LatticePainter(NestedLattice nested, Function<CellPath, Color> colour) {
    this.nested = nested;
    this.colour = colour;
  }

  /** Width / height of the drawing in lattice units, to size the picture without distortion. */
  double aspect() {
    double w = 1;
    double h = 1;
    for (int l = 0; l < nested.depth(); l++) {
      LatticeSpec lat = nested.lattices().get(l);
      boolean innermost = l == nested.depth() - 1;
      w *= unitsWide(lat);
      h *= innermost && isHex(lat) ? hexUnitsHigh(lat) : lat.rows();
    }
    return w / h;
  }

  /**
   * The centre of a cell of a single lattice (depth 1) painted into {@code area}, and the cell's
   * size in pixels: {@code {x, y, size}}.
   */
  double[] centre(Rectangle2D area, int cell) {
    checkArgumentDepthOne();
    LatticeSpec lat = nested.lattices().getFirst();
    double unitsW = unitsWide(lat);
    double unitsH = isHex(lat) ? hexUnitsHigh(lat) : lat.rows();
    double s = Math.min(area.getWidth() / unitsW, area.getHeight() / unitsH);
    double x0 = area.getX() + (area.getWidth() - s * unitsW) / 2;
    double y0 = area.getY() + (area.getHeight() - s * unitsH) / 2;
    if (isHex(lat)) {
      return new double[] {
        x0 + (lat.x(cell) + 0.5) * s, y0 + (1 / SQRT3 + lat.row(cell) * SQRT3 / 2) * s, s
      };
    }
    return new double[] {x0 + (lat.col(cell) + 0.5) * s, y0 + (lat.row(cell) + 0.5) * s, s};
  }

  private void checkArgumentDepthOne() {
    if (nested.depth() != 1) {
      throw new IllegalArgumentException("cell centres are defined for a single lattice");
    }
  }

  /** Paints into the rectangle, keeping cells undistorted and centred. */
  void paint(Graphics2D g, Rectangle2D area) {
    paint(g, 0, null, area);
  }

  private void paint(Graphics2D g, int level, CellPath prefix, Rectangle2D area) {
    LatticeSpec lat = nested.lattices().get(level);
    boolean innermost = level == nested.depth() - 1;
    double unitsW = unitsWide(lat);
    if (innermost && isHex(lat)) {
      double unitsH = hexUnitsHigh(lat);
      double s = Math.min(area.getWidth() / unitsW, area.getHeight() / unitsH);
      double x0 = area.getX() + (area.getWidth() - s * unitsW) / 2;
      double y0 = area.getY() + (area.getHeight() - s * unitsH) / 2;
      double radius = s / SQRT3;
      for (int cell = 0; cell < lat.size(); cell++) {
        double cx = x0 + (lat.x(cell) + 0.5) * s;
        double cy = y0 + (1 / SQRT3 + lat.row(cell) * SQRT3 / 2) * s;
        Path2D hex = new Path2D.Double();
        for (int k = 0; k < 6; k++) {
          double a = Math.toRadians(-90 + 60 * k);
          double px = cx + radius * Math.cos(a);
          double py = cy + radius * Math.sin(a);
          if (k == 0) {
            hex.moveTo(px, py);
          } else {
            hex.lineTo(px, py);
          }
        }
        hex.closePath();
        fill(g, hex, colourOf(prefix, cell), s);
      }
      return;
    }
    double unitsH = lat.rows();
    double s = Math.min(area.getWidth() / unitsW, area.getHeight() / unitsH);
    double x0 = area.getX() + (area.getWidth() - s * unitsW) / 2;
    double y0 = area.getY() + (area.getHeight() - s * unitsH) / 2;
    for (int cell = 0; cell < lat.size(); cell++) {
      double shift = isHex(lat) && (lat.row(cell) & 1) == 1 ? 0.5 : 0;
      Rectangle2D tile =
          new Rectangle2D.Double(x0 + (lat.col(cell) + shift) * s, y0 + lat.row(cell) * s, s, s);
      if (innermost) {
        fill(g, tile, colourOf(prefix, cell), s);
      } else {
        CellPath path = prefix == null ? CellPath.of(cell) : prefix.child(cell);
        if (!nested.parents().contains(path)) {
          g.setColor(EMPTY);
          g.fill(tile);
          continue;
        }
        // A gap between parent tiles keeps the child maps visibly apart.
        double gap = Math.max(1.5, s * 0.04);
        Rectangle2D inner =
            new Rectangle2D.Double(
                tile.getX() + gap / 2,
                tile.getY() + gap / 2,
                tile.getWidth() - gap,
                tile.getHeight() - gap);
        paint(g, level + 1, path, inner);
      }
    }
  }

  private Color colourOf(CellPath prefix, int cell) {
    CellPath path = prefix == null ? CellPath.of(cell) : prefix.child(cell);
    Color c = colour.apply(path);
    return c == null ? EMPTY : c;
  }

  private static void fill(Graphics2D g, java.awt.Shape shape, Color c, double cellSize) {
    g.setColor(c);
    g.fill(shape);
    // Thin outlines only when cells are large enough for them not to drown the colours.
    if (cellSize >= 10) {
      g.setColor(new Color(255, 255, 255, 90));
      g.setStroke(new BasicStroke(0.6f));
      g.draw(shape);
    }
  }

  private static boolean isHex(LatticeSpec lat) {
    return lat.topology() == LatticeSpec.Topology.HEXAGONAL;
  }

  private static double unitsWide(LatticeSpec lat) {
    return lat.cols() + (isHex(lat) && lat.rows() > 1 ? 0.5 : 0);
  }

  private static double hexUnitsHigh(LatticeSpec lat) {
    return (lat.rows() - 1) * SQRT3 / 2 + 2 / SQRT3;
  }
}
