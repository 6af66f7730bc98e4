package org.refinepoi.examples.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.refinepoi.core.sid.LatticeSpec;

/**
 * On any lattice shape, every cell is drawn where the lattice's plane coordinates put it (row 0 at
 * the top, odd hexagonal rows shifted half a cell) and in the colour asked for it.
 */
class LatticePainterPropertyTest {

  static final double SQRT3 = Math.sqrt(3);

  @Property(tries = 60)
  void everyCellCentreHasItsCellsColour(
      @ForAll @IntRange(min = 1, max = 9) int rows,
      @ForAll @IntRange(min = 1, max = 9) int cols,
      @ForAll boolean hexagonal) {
    LatticeSpec lattice =
        hexagonal ? LatticeSpec.hexagonal(rows, cols) : LatticeSpec.rectangular(rows, cols);
    int size = 600;
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    // A distinct colour per cell, so a cell drawn in another's place is caught.
    LatticePainter painter =
        new LatticePainter(
            NestedLattice.single(lattice), p -> new Color(40 + p.cell(0) * 2, 250 - p.cell(0), 90));
    painter.paint(g, new Rectangle2D.Double(0, 0, size, size));
    g.dispose();
    double unitsW = cols + (hexagonal && rows > 1 ? 0.5 : 0);
    double unitsH = hexagonal ? (rows - 1) * SQRT3 / 2 + 2 / SQRT3 : rows;
    double s = Math.min(size / unitsW, size / unitsH);
    double x0 = (size - s * unitsW) / 2;
    double y0 = (size - s * unitsH) / 2;
    for (int cell = 0; cell < lattice.size(); cell++) {
      double cx = x0 + (lattice.x(cell) + 0.5) * s;
      double cy =
          hexagonal
              ? y0 + (1 / SQRT3 + lattice.row(cell) * SQRT3 / 2) * s
              : y0 + (lattice.row(cell) + 0.5) * s;
      Color expected = new Color(40 + cell * 2, 250 - cell, 90);
      assertThat(new Color(image.getRGB((int) cx, (int) cy)))
          .as("cell %s of %s", cell, lattice)
          .isEqualTo(expected);
    }
    assertThat(painter.aspect())
        .isCloseTo(unitsW / unitsH, org.assertj.core.api.Assertions.within(1e-9));
  }
}
