package org.refinepoi.core.prompt;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.hash.Hashing;
import java.util.Objects;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;

/**
 * The closed token vocabulary of the built-in generative model (METHOD section 4, the token
 * rendering): special tokens, time tokens, optional hashed user tokens, and the tokens of semantic
 * IDs (one token per lattice cell per level, plus one per collision slot).
 *
 * <p>Layout of the integer ids, in this order: the {@link Special} tokens ({@link #PAD} is 0), 24
 * hour-of-day tokens, 7 day-of-week tokens (0 = Monday), {@code userBuckets} user tokens (none by
 * default), then for each ID level the cells of its lattice, then {@code slotCount} collision-slot
 * tokens. A semantic ID is therefore rendered as {@code levels + 1} tokens, whose names follow the
 * project's ID format ({@code <a_03_12><b_1_2><c_0>}: one token per level with the cell's row and
 * column, then the slot).
 *
 * <p>Immutable and thread-safe.
 */
public final class TokenVocabulary {

  /** The special tokens, in id order starting at 0. */
  public enum Special {
    /** Padding; ignored by attention and losses. */
    PAD("<pad>"),
    /** Beginning of a sequence. */
    BOS("<bos>"),
    /** End of an answer. */
    EOS("<eos>"),
    /** Separates the long-term memory, the current trajectory and the question. */
    SEP("<sep>"),
    /** Marks the start of the answer: the model writes semantic IDs after it. */
    ANSWER("<answer>");

    private final String text;

    Special(String text) {
      this.text = text;
    }

    /** The token's printable name. */
    public String text() {
      return text;
    }
  }

  /** Token id of {@link Special#PAD}: always 0. */
  public static final int PAD = Special.PAD.ordinal();

  /** Token id of {@link Special#BOS}. */
  public static final int BOS = Special.BOS.ordinal();

  /** Token id of {@link Special#EOS}. */
  public static final int EOS = Special.EOS.ordinal();

  /** Token id of {@link Special#SEP}. */
  public static final int SEP = Special.SEP.ordinal();

  /** Token id of {@link Special#ANSWER}. */
  public static final int ANSWER = Special.ANSWER.ordinal();

  /** Number of hour-of-day tokens. */
  public static final int HOURS = 24;

  /** Number of day-of-week tokens. */
  public static final int WEEKDAYS = 7;

  private static final int HOUR_BASE = Special.values().length;
  private static final int WEEKDAY_BASE = HOUR_BASE + HOURS;
  private static final int USER_BASE = WEEKDAY_BASE + WEEKDAYS;

  private final IdSpace idSpace;
  private final int slotCount;
  private final int userBuckets;
  private final int[] levelBase;
  private final int slotBase;
  private final int size;

  private TokenVocabulary(IdSpace idSpace, int slotCount, int userBuckets) {
    this.idSpace = idSpace;
    this.slotCount = slotCount;
    this.userBuckets = userBuckets;
    int levels = idSpace.levelCount();
    this.levelBase = new int[levels];
    long next = (long) USER_BASE + userBuckets;
    for (int l = 0; l < levels; l++) {
      levelBase[l] = (int) next;
      next += idSpace.level(l).size();
    }
    this.slotBase = (int) next;
    next += slotCount;
    checkArgument(next <= Integer.MAX_VALUE, "vocabulary too large: %s tokens", next);
    this.size = (int) next;
  }

  /**
   * A vocabulary for the IDs of an ID space.
   *
   * @param idSpace the lattices of the ID levels
   * @param slotCount number of collision slots to reserve tokens for: the largest collision slot of
   *     the ID index plus one; at least 1
   * @param userBuckets number of hashed user tokens; 0 (the default elsewhere) renders no user
   *     token
   */
  public static TokenVocabulary of(IdSpace idSpace, int slotCount, int userBuckets) {
    checkNotNull(idSpace, "idSpace");
    checkArgument(slotCount >= 1, "slotCount must be >= 1, got %s", slotCount);
    checkArgument(userBuckets >= 0, "userBuckets must be >= 0, got %s", userBuckets);
    return new TokenVocabulary(idSpace, slotCount, userBuckets);
  }

  /** Number of tokens (the model's vocabulary size). */
  public int size() {
    return size;
  }

  /** The ID space whose IDs this vocabulary renders. */
  public IdSpace idSpace() {
    return idSpace;
  }

  /** Number of collision-slot tokens. */
  public int slotCount() {
    return slotCount;
  }

  /** Number of hashed user tokens (0 when users are not rendered). */
  public int userBuckets() {
    return userBuckets;
  }

  /** Number of tokens of one semantic ID: one per level plus the slot. */
  public int idLength() {
    return levelBase.length + 1;
  }

  /** The token of an hour of day, 0-23. */
  public int hourToken(int hour) {
    checkElementIndex(hour, HOURS, "hour");
    return HOUR_BASE + hour;
  }

  /** The token of a day of week, 0 = Monday .. 6 = Sunday. */
  public int weekdayToken(int dayOfWeek) {
    checkElementIndex(dayOfWeek, WEEKDAYS, "day of week");
    return WEEKDAY_BASE + dayOfWeek;
  }

  /**
   * The token of a user: its bucket under a fixed hash (murmur3) modulo {@link #userBuckets()}.
   *
   * @throws IllegalStateException when the vocabulary has no user tokens
   */
  public int userToken(int user) {
    checkArgument(user >= 0, "user index must be >= 0, got %s", user);
    if (userBuckets == 0) {
      throw new IllegalStateException("this vocabulary has no user tokens (userBuckets = 0)");
    }
    int hash = Hashing.murmur3_32_fixed().hashInt(user).asInt();
    return USER_BASE + Math.floorMod(hash, userBuckets);
  }

  /** The token of a lattice cell at an ID level. */
  public int cellToken(int level, int cell) {
    checkElementIndex(level, levelBase.length, "level");
    checkElementIndex(cell, idSpace.level(level).size(), "cell at level " + level);
    return levelBase[level] + cell;
  }

  /** The token of a collision slot. */
  public int slotToken(int slot) {
    checkElementIndex(slot, slotCount, "collision slot (raise slotCount)");
    return slotBase + slot;
  }

  /**
   * The {@link #idLength()} tokens of a semantic ID.
   *
   * @throws IllegalArgumentException when the ID does not belong to the ID space or its slot has no
   *     token
   */
  public int[] idTokens(SemanticId id) {
    idSpace.checkMember(id);
    checkArgument(
        id.collisionSlot() < slotCount,
        "ID %s: collision slot %s has no token (slotCount = %s)",
        id,
        id.collisionSlot(),
        slotCount);
    int[] tokens = new int[idLength()];
    for (int l = 0; l < levelBase.length; l++) {
      tokens[l] = levelBase[l] + id.cell(l);
    }
    tokens[levelBase.length] = slotBase + id.collisionSlot();
    return tokens;
  }

  /**
   * Whether a token may stand at a position inside an ID: a cell token of that level for {@code
   * position < levels}, a slot token for {@code position == levels}.
   */
  public boolean isIdToken(int token, int position) {
    checkElementIndex(position, idLength(), "position inside an ID");
    if (position < levelBase.length) {
      return token >= levelBase[position]
          && token < levelBase[position] + idSpace.level(position).size();
    }
    return token >= slotBase && token < slotBase + slotCount;
  }

  /**
   * The semantic ID written by {@link #idLength()} tokens starting at {@code from}.
   *
   * @throws IllegalArgumentException when a token is not the expected ID token for its position
   */
  public SemanticId decodeId(int[] tokens, int from) {
    checkNotNull(tokens, "tokens");
    checkArgument(
        from >= 0 && from + idLength() <= tokens.length,
        "need %s ID tokens from position %s, the sequence has %s",
        idLength(),
        from,
        tokens.length);
    int levels = levelBase.length;
    int[] cells = new int[levels];
    for (int l = 0; l < levels; l++) {
      int t = tokens[from + l];
      checkArgument(isIdToken(t, l), "token %s (%s) is not a level-%s ID token", t, safeName(t), l);
      cells[l] = t - levelBase[l];
    }
    int t = tokens[from + levels];
    checkArgument(isIdToken(t, levels), "token %s (%s) is not a slot token", t, safeName(t));
    return SemanticId.of(cells, t - slotBase);
  }

  /**
   * The printable name of a token: {@code <bos>}, {@code <h_13>} (hour), {@code <w_2>} (weekday),
   * {@code <u_7>} (user bucket), {@code <a_03_12>} (level-0 cell at row 3, column 12), {@code
   * <c_0>} (the slot of a two-level ID).
   */
  public String tokenName(int token) {
    checkElementIndex(token, size, "token");
    if (token < HOUR_BASE) {
      return Special.values()[token].text();
    }
    if (token < WEEKDAY_BASE) {
      return "<h_" + (token - HOUR_BASE) + ">";
    }
    if (token < USER_BASE) {
      return "<w_" + (token - WEEKDAY_BASE) + ">";
    }
    if (token < USER_BASE + userBuckets) {
      return "<u_" + (token - USER_BASE) + ">";
    }
    if (token >= slotBase) {
      return "<" + levelLetter(levelBase.length) + "_" + (token - slotBase) + ">";
    }
    int level = levelBase.length - 1;
    while (token < levelBase[level]) {
      level--;
    }
    LatticeSpec lattice = idSpace.level(level);
    int cell = token - levelBase[level];
    int digits = Integer.toString(Math.max(lattice.rows(), lattice.cols()) - 1).length();
    String fmt = "<%s_%0" + digits + "d_%0" + digits + "d>";
    return fmt.formatted(levelLetter(level), lattice.row(cell), lattice.col(cell));
  }

  private String safeName(int token) {
    return token >= 0 && token < size ? tokenName(token) : "out of vocabulary";
  }

  private static String levelLetter(int level) {
    return level < 26 ? String.valueOf((char) ('a' + level)) : "l" + level;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenVocabulary other
        && slotCount == other.slotCount
        && userBuckets == other.userBuckets
        && idSpace.equals(other.idSpace);
  }

  @Override
  public int hashCode() {
    return Objects.hash(idSpace, slotCount, userBuckets);
  }

  @Override
  public String toString() {
    return "TokenVocabulary[%d tokens, %s, %d slots, %d user buckets]"
        .formatted(size, idSpace, slotCount, userBuckets);
  }
}
