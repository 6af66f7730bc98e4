package org.refinepoi.core.sid;

import static org.refinepoi.core.sid.TokenSyntax.letter;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * What the built-in token formats share: the ID space, each level's row and column zero-padded to
 * the digits its lattice needs, one unpadded collision-slot token after the levels (its letter the
 * one after the last level's), and equality by format class and space. Immutable.
 */
abstract sealed class PaddedCellTokenFormat implements IdFormat
    permits LatticeTokenFormat, RowColumnTokenFormat {

  /** The ID space the format renders. */
  final IdSpace space;

  /** Digits of each level's row numbers. */
  final int[] rowWidth;

  /** Digits of each level's column numbers. */
  final int[] colWidth;

  /**
   * Computes the padding widths.
   *
   * @throws IllegalArgumentException when the space has more than 25 levels (letters run out)
   */
  PaddedCellTokenFormat(IdSpace space) {
    TokenSyntax.checkLevelCount(space);
    this.space = space;
    int n = space.levelCount();
    rowWidth = new int[n];
    colWidth = new int[n];
    for (int l = 0; l < n; l++) {
      rowWidth[l] = TokenSyntax.width(space.level(l).rows());
      colWidth[l] = TokenSyntax.width(space.level(l).cols());
    }
  }

  @Override
  public final IdSpace space() {
    return space;
  }

  /** The token of a collision slot, e.g. {@code <c_0>} after two levels. */
  final String slotToken(int slot) {
    return "<" + letter(space.levelCount()) + "_" + slot + ">";
  }

  /** Parses the collision-slot token at {@code index} (canonical, unpadded digits). */
  final int parseSlot(List<String> tokens, int index) {
    int n = space.levelCount();
    String body =
        TokenSyntax.body(
            tokens, index, letter(n), "the collision slot as <" + letter(n) + "_slot>");
    return TokenSyntax.canonical(body, tokens, index, "collision slot");
  }

  /** Appends the slot tokens {@code 0 .. slotCount-1}, which close every vocabulary. */
  final void addSlotTokens(ImmutableList.Builder<String> vocabulary, int slotCount) {
    for (int s = 0; s < slotCount; s++) {
      vocabulary.add(slotToken(s));
    }
  }

  @Override
  public final boolean equals(Object o) {
    return o != null
        && o.getClass() == getClass()
        && space.equals(((PaddedCellTokenFormat) o).space);
  }

  @Override
  public final int hashCode() {
    return 31 * name().hashCode() + space.hashCode();
  }

  @Override
  public final String toString() {
    return getClass().getSimpleName() + "[" + space + "]";
  }
}
