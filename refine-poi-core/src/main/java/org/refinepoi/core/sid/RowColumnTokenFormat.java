package org.refinepoi.core.sid;

import static com.google.common.base.Preconditions.checkArgument;
import static org.refinepoi.core.sid.TokenSyntax.letter;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * A token format with the row and the column of each level as separate tokens, then the collision
 * slot: with a 16×16 level then a 4×4 level, cells (3, 12) and (1, 2) and slot 0 read {@code
 * <a_r03><a_c12><b_r1><b_c2><c_0>}. A model then shares the row (and column) embeddings across
 * cells, at the price of twice as many decoding steps. Padding and letters as in {@link
 * LatticeTokenFormat}; parsing accepts exactly this canonical form.
 */
public final class RowColumnTokenFormat extends PaddedCellTokenFormat {

  /** The name stored in index files. */
  public static final String NAME = "row-column";

  private RowColumnTokenFormat(IdSpace space) {
    super(space);
  }

  /**
   * The row-column token format of an ID space.
   *
   * @throws IllegalArgumentException when the space has more than 25 levels (letters run out)
   */
  public static RowColumnTokenFormat of(IdSpace space) {
    return new RowColumnTokenFormat(space);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int tokensPerId() {
    return 2 * space.levelCount() + 1;
  }

  @Override
  public List<String> tokensOf(SemanticId id) {
    space.checkMember(id);
    ImmutableList.Builder<String> tokens = ImmutableList.builderWithExpectedSize(tokensPerId());
    for (int l = 0; l < space.levelCount(); l++) {
      LatticeSpec lattice = space.level(l);
      int cell = id.cell(l);
      tokens.add(rowToken(l, lattice.row(cell)));
      tokens.add(colToken(l, lattice.col(cell)));
    }
    tokens.add(slotToken(id.collisionSlot()));
    return tokens.build();
  }

  @Override
  public SemanticId parseTokens(List<String> tokens) {
    int n = space.levelCount();
    TokenSyntax.checkTokenCount(
        tokens,
        2 * n + 1,
        "a <x_rROW> and a <x_cCOL> token per level, then the <" + letter(n) + "_slot> token");
    int[] cells = new int[n];
    for (int l = 0; l < n; l++) {
      LatticeSpec lattice = space.level(l);
      String label = "level %d (%c)".formatted(l, letter(l));
      int row = field(tokens, 2 * l, l, 'r', rowWidth[l], lattice.rows(), "row of " + label);
      int col = field(tokens, 2 * l + 1, l, 'c', colWidth[l], lattice.cols(), "column of " + label);
      cells[l] = lattice.cell(row, col);
    }
    return SemanticId.of(cells, parseSlot(tokens, 2 * n));
  }

  private static int field(
      List<String> tokens, int index, int level, char kind, int width, int bound, String label) {
    String what = "the %s as <%c_%c...>".formatted(label, letter(level), kind);
    String body = TokenSyntax.body(tokens, index, letter(level), what);
    if (body.isEmpty() || body.charAt(0) != kind) {
      throw new IdParseException(
          index, "token %d '%s': expected %s".formatted(index, tokens.get(index), what));
    }
    return TokenSyntax.fixedWidth(body.substring(1), width, bound, tokens, index, label);
  }

  @Override
  public List<String> vocabulary(int slotCount) {
    checkArgument(slotCount >= 1, "slotCount must be >= 1, got %s", slotCount);
    ImmutableList.Builder<String> vocabulary = ImmutableList.builder();
    for (int l = 0; l < space.levelCount(); l++) {
      LatticeSpec lattice = space.level(l);
      for (int r = 0; r < lattice.rows(); r++) {
        vocabulary.add(rowToken(l, r));
      }
      for (int c = 0; c < lattice.cols(); c++) {
        vocabulary.add(colToken(l, c));
      }
    }
    addSlotTokens(vocabulary, slotCount);
    return vocabulary.build();
  }

  @Override
  public long latticeTokenCount() {
    long n = 0;
    for (LatticeSpec lattice : space.levels()) {
      n += (long) lattice.rows() + lattice.cols();
    }
    return n;
  }

  private String rowToken(int level, int row) {
    return "<" + letter(level) + "_r" + TokenSyntax.pad(row, rowWidth[level]) + ">";
  }

  private String colToken(int level, int col) {
    return "<" + letter(level) + "_c" + TokenSyntax.pad(col, colWidth[level]) + ">";
  }
}
