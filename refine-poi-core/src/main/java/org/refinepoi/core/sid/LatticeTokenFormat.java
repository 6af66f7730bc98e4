package org.refinepoi.core.sid;

import static com.google.common.base.Preconditions.checkArgument;
import static org.refinepoi.core.sid.TokenSyntax.letter;

import com.google.common.collect.ImmutableList;
import java.util.List;

/**
 * The default token format: one token per lattice level holding that level's row and column,
 * zero-padded to the digits the lattice needs, then the collision slot without padding. With a
 * 16×16 level then a 4×4 level, the ID with cells (3, 12) and (1, 2) and slot 0 reads {@code
 * <a_03_12><b_1_2><c_0>}. Level letters run a, b, c...; the slot takes the letter after the last
 * level. Parsing accepts exactly this canonical form.
 */
public final class LatticeTokenFormat extends PaddedCellTokenFormat {

  /** The name stored in index files. */
  public static final String NAME = "lattice";

  private LatticeTokenFormat(IdSpace space) {
    super(space);
  }

  /**
   * The lattice token format of an ID space.
   *
   * @throws IllegalArgumentException when the space has more than 25 levels (letters run out)
   */
  public static LatticeTokenFormat of(IdSpace space) {
    return new LatticeTokenFormat(space);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int tokensPerId() {
    return space.levelCount() + 1;
  }

  @Override
  public List<String> tokensOf(SemanticId id) {
    space.checkMember(id);
    ImmutableList.Builder<String> tokens = ImmutableList.builderWithExpectedSize(tokensPerId());
    for (int l = 0; l < space.levelCount(); l++) {
      LatticeSpec lattice = space.level(l);
      int cell = id.cell(l);
      tokens.add(levelToken(l, lattice.row(cell), lattice.col(cell)));
    }
    tokens.add(slotToken(id.collisionSlot()));
    return tokens.build();
  }

  @Override
  public SemanticId parseTokens(List<String> tokens) {
    int n = space.levelCount();
    TokenSyntax.checkTokenCount(
        tokens, n + 1, "one <x_row_col> token per level, then the <" + letter(n) + "_slot> token");
    int[] cells = new int[n];
    for (int l = 0; l < n; l++) {
      LatticeSpec lattice = space.level(l);
      String what = "level %d (%c) as <%c_row_col>".formatted(l, letter(l), letter(l));
      String body = TokenSyntax.body(tokens, l, letter(l), what);
      int sep = body.indexOf('_');
      if (sep < 0 || body.indexOf('_', sep + 1) >= 0) {
        throw new IdParseException(
            l,
            "token %d '%s': expected %s with exactly two fields, row and column"
                .formatted(l, tokens.get(l), what));
      }
      String label = "level %d (%c)".formatted(l, letter(l));
      int row =
          TokenSyntax.fixedWidth(
              body.substring(0, sep), rowWidth[l], lattice.rows(), tokens, l, "row of " + label);
      int col =
          TokenSyntax.fixedWidth(
              body.substring(sep + 1),
              colWidth[l],
              lattice.cols(),
              tokens,
              l,
              "column of " + label);
      cells[l] = lattice.cell(row, col);
    }
    return SemanticId.of(cells, parseSlot(tokens, n));
  }

  @Override
  public List<String> vocabulary(int slotCount) {
    checkArgument(slotCount >= 1, "slotCount must be >= 1, got %s", slotCount);
    ImmutableList.Builder<String> vocabulary = ImmutableList.builder();
    for (int l = 0; l < space.levelCount(); l++) {
      LatticeSpec lattice = space.level(l);
      for (int r = 0; r < lattice.rows(); r++) {
        for (int c = 0; c < lattice.cols(); c++) {
          vocabulary.add(levelToken(l, r, c));
        }
      }
    }
    addSlotTokens(vocabulary, slotCount);
    return vocabulary.build();
  }

  @Override
  public long latticeTokenCount() {
    long n = 0;
    for (LatticeSpec lattice : space.levels()) {
      n += lattice.size();
    }
    return n;
  }

  private String levelToken(int level, int row, int col) {
    return "<"
        + letter(level)
        + "_"
        + TokenSyntax.pad(row, rowWidth[level])
        + "_"
        + TokenSyntax.pad(col, colWidth[level])
        + ">";
  }
}
