package org.refinepoi.rl.reward;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;

/**
 * The text form of semantic IDs the parser reads and writes (METHOD section 3): one token per
 * lattice level holding the row and column of that level's cell, then the collision slot, letters
 * {@code a, b, c, ...} by level: {@code <a_03_12><b_1_2><c_0>} is cell (3, 12) of a 16×16 level 1,
 * cell (1, 2) of a 4×4 level 2, slot 0.
 *
 * <p>Writing pads row and column with zeros to the number of digits of the lattice's largest row
 * and column index; reading accepts any number of digits (a model that drops a padding zero names
 * the same cell). At most 25 lattice levels (the slot takes the next letter).
 */
public final class SidTokenFormat {

  private final IdSpace space;
  private final int[] rowDigits;
  private final int[] colDigits;

  /** The format of an ID space. */
  public SidTokenFormat(IdSpace space) {
    this.space = checkNotNull(space, "space");
    checkArgument(space.levelCount() <= 25, "at most 25 levels, got %s", space.levelCount());
    rowDigits = new int[space.levelCount()];
    colDigits = new int[space.levelCount()];
    for (int l = 0; l < space.levelCount(); l++) {
      LatticeSpec lattice = space.level(l);
      rowDigits[l] = Integer.toString(lattice.rows() - 1).length();
      colDigits[l] = Integer.toString(lattice.cols() - 1).length();
    }
  }

  /** The ID space. */
  public IdSpace space() {
    return space;
  }

  /** The letter of a level's token; {@code levelCount()} gives the slot's letter. */
  public char letter(int level) {
    checkArgument(level >= 0 && level <= space.levelCount(), "level out of range: %s", level);
    return (char) ('a' + level);
  }

  /** The token text of an ID, for example {@code <a_03_12><b_1_2><c_0>}. */
  public String format(SemanticId id) {
    space.checkMember(id);
    StringBuilder sb = new StringBuilder();
    for (int l = 0; l < space.levelCount(); l++) {
      LatticeSpec lattice = space.level(l);
      int cell = id.cell(l);
      sb.append('<')
          .append(letter(l))
          .append('_')
          .append(pad(lattice.row(cell), rowDigits[l]))
          .append('_')
          .append(pad(lattice.col(cell), colDigits[l]))
          .append('>');
    }
    return sb.append('<')
        .append(letter(space.levelCount()))
        .append('_')
        .append(id.collisionSlot())
        .append('>')
        .toString();
  }

  private static String pad(int value, int digits) {
    String s = Integer.toString(value);
    return "0".repeat(Math.max(0, digits - s.length())) + s;
  }
}
