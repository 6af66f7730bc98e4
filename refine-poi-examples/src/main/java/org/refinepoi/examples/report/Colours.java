package org.refinepoi.examples.report;

import java.awt.Color;
import org.refinepoi.core.sid.LatticeSpec;

/** Colour maps of the report: sequential, qualitative and a 2-D map over a lattice. */
final class Colours {

  private Colours() {}

  // Five key colours of the perceptually uniform "viridis" scale (dark purple to yellow).
  private static final Color[] SEQUENTIAL = {
    new Color(0x44, 0x01, 0x54),
    new Color(0x3b, 0x52, 0x8b),
    new Color(0x21, 0x91, 0x8c),
    new Color(0x5e, 0xc9, 0x62),
    new Color(0xfd, 0xe7, 0x25)
  };

  /** Twelve well-separated colours for categories (the last entries of a legend repeat none). */
  static final Color[] QUALITATIVE = {
    new Color(0x4e, 0x79, 0xa7),
    new Color(0xf2, 0x8e, 0x2b),
    new Color(0xe1, 0x57, 0x59),
    new Color(0x76, 0xb7, 0xb2),
    new Color(0x59, 0xa1, 0x4f),
    new Color(0xed, 0xc9, 0x48),
    new Color(0xb0, 0x7a, 0xa1),
    new Color(0xff, 0x9d, 0xa7),
    new Color(0x9c, 0x75, 0x5f),
    new Color(0x1b, 0x3a, 0x6b),
    new Color(0x8c, 0xd1, 0x7d),
    new Color(0xd3, 0x72, 0x95)
  };

  /**
   * Colour of "every other category" in a legend: a dark charcoal, far from the near-white of an
   * empty cell ({@link LatticePainter#EMPTY}) and from every colour of {@link #QUALITATIVE}.
   */
  static final Color OTHER = new Color(0x3c, 0x3c, 0x3c);

  /** The sequential colour of {@code t} in [0, 1] (clamped). */
  static Color sequential(double t) {
    double x = Math.clamp(t, 0.0, 1.0) * (SEQUENTIAL.length - 1);
    int i = Math.min((int) Math.floor(x), SEQUENTIAL.length - 2);
    return mix(SEQUENTIAL[i], SEQUENTIAL[i + 1], x - i);
  }

  /**
   * A colour for a lattice cell that changes smoothly over the lattice: the four corners are red,
   * blue, yellow and green and every cell blends them by its plane position, so neighbouring cells
   * get similar colours.
   */
  static Color latticePosition(LatticeSpec lattice, int cell) {
    double u = lattice.cols() <= 1 ? 0.5 : lattice.x(cell) / (lattice.width() - 0.5);
    double maxY = lattice.y(lattice.size() - 1);
    double v = maxY <= 0 ? 0.5 : lattice.y(cell) / maxY;
    u = Math.clamp(u, 0.0, 1.0);
    Color top = mix(new Color(0xd7, 0x19, 0x1c), new Color(0x2c, 0x7b, 0xd6), u);
    Color bottom = mix(new Color(0xf5, 0xd0, 0x1a), new Color(0x1a, 0x96, 0x41), u);
    return mix(top, bottom, v);
  }

  /** {@code a} blended towards {@code b} by {@code t} in [0, 1]. */
  static Color mix(Color a, Color b, double t) {
    return new Color(
        (int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
        (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
        (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
  }
}
