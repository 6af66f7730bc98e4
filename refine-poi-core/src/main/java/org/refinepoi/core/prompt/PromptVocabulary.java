package org.refinepoi.core.prompt;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.hash.Hashing;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.refinepoi.core.sid.IdFormat;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeTokenFormat;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.core.sid.TokenVocabulary;

/**
 * The closed token vocabulary of the built-in generative model (docs/architecture.md, prompts, the
 * token rendering): special tokens, time tokens, optional hashed user tokens, and the tokens of
 * semantic IDs (one token per lattice cell per level, plus one per collision slot).
 *
 * <p>Layout of the integer ids, in this order: the {@link Special} tokens ({@link #PAD} is 0), 24
 * hour-of-day tokens, 7 day-of-week tokens (0 = Monday), {@code userBuckets} user tokens (none by
 * default), then the tokens of an {@link IdFormat} in the order of its {@link TokenVocabulary} (for
 * the default lattice format: each level's cells, then {@code slotCount} collision slots). A
 * semantic ID is therefore rendered as {@link IdFormat#tokensPerId()} tokens, exactly the tokens
 * the text prompts use ({@code <a_03_12><b_1_2><c_0>}).
 *
 * <p>Immutable and thread-safe.
 */
public final class PromptVocabulary {

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

  private final IdFormat format;
  private final TokenVocabulary idTokens;
  private final int slotCount;
  private final int userBuckets;
  private final int idBase;
  private final int size;

  private PromptVocabulary(IdFormat format, int slotCount, int userBuckets) {
    this.format = format;
    this.slotCount = slotCount;
    this.userBuckets = userBuckets;
    this.idTokens = TokenVocabulary.of(format, slotCount);
    this.idBase = USER_BASE + userBuckets;
    long total = (long) idBase + idTokens.size();
    checkArgument(total <= Integer.MAX_VALUE, "vocabulary too large: %s tokens", total);
    this.size = (int) total;
  }

  /**
   * A vocabulary whose IDs are written in an ID format.
   *
   * @param format how IDs are written (for example the ID index's format)
   * @param slotCount number of collision slots to reserve tokens for: the largest collision slot of
   *     the ID index plus one; at least 1
   * @param userBuckets number of hashed user tokens; 0 renders no user token
   */
  public static PromptVocabulary of(IdFormat format, int slotCount, int userBuckets) {
    checkNotNull(format, "format");
    checkArgument(slotCount >= 1, "slotCount must be >= 1, got %s", slotCount);
    checkArgument(userBuckets >= 0, "userBuckets must be >= 0, got %s", userBuckets);
    return new PromptVocabulary(format, slotCount, userBuckets);
  }

  /**
   * The vocabulary of an ID index: its format, and a token for each collision slot it uses (the
   * same ID tokens as {@link SemanticIdIndex#vocabulary()}, after the prompt's own tokens).
   *
   * @param userBuckets number of hashed user tokens; 0 renders no user token
   */
  public static PromptVocabulary of(SemanticIdIndex index, int userBuckets) {
    checkNotNull(index, "index");
    return of(index.format(), Math.max(1, index.slotCount()), userBuckets);
  }

  /** A vocabulary for the IDs of an ID space in the default format ({@link LatticeTokenFormat}). */
  public static PromptVocabulary of(IdSpace idSpace, int slotCount, int userBuckets) {
    checkNotNull(idSpace, "idSpace");
    return of(LatticeTokenFormat.of(idSpace), slotCount, userBuckets);
  }

  /** Number of tokens (the model's vocabulary size). */
  public int size() {
    return size;
  }

  /** The ID format whose tokens this vocabulary contains. */
  public IdFormat format() {
    return format;
  }

  /** The ID space whose IDs this vocabulary renders. */
  public IdSpace idSpace() {
    return format.space();
  }

  /** Number of collision-slot tokens. */
  public int slotCount() {
    return slotCount;
  }

  /** Number of hashed user tokens (0 when users are not rendered). */
  public int userBuckets() {
    return userBuckets;
  }

  /** Number of tokens of one semantic ID ({@link IdFormat#tokensPerId()}). */
  public int idLength() {
    return format.tokensPerId();
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

  /** The token of an ID-format token string such as {@code <a_03_12>}. */
  public int idToken(String formatToken) {
    return idBase + idTokens.id(formatToken);
  }

  /** Whether a token is one of the ID-format tokens (of any position). */
  public boolean isIdToken(int token) {
    return token >= idBase && token < size;
  }

  /**
   * The {@link #idLength()} tokens of a semantic ID.
   *
   * @throws IllegalArgumentException when the ID does not belong to the ID space or its slot has no
   *     token
   */
  public int[] idTokens(SemanticId id) {
    checkNotNull(id, "id");
    checkArgument(
        id.collisionSlot() < slotCount,
        "ID %s: collision slot %s has no token (slotCount = %s)",
        id,
        id.collisionSlot(),
        slotCount);
    int[] tokens = idTokens.encode(format.tokensOf(id));
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] += idBase;
    }
    return tokens;
  }

  /**
   * The semantic ID written by {@link #idLength()} tokens starting at {@code from}.
   *
   * @throws IllegalArgumentException when a token is not an ID token or the tokens do not form an
   *     ID of the format (the message names the offending token)
   */
  public SemanticId decodeId(int[] tokens, int from) {
    checkNotNull(tokens, "tokens");
    checkArgument(
        from >= 0 && from + idLength() <= tokens.length,
        "need %s ID tokens from position %s, the sequence has %s",
        idLength(),
        from,
        tokens.length);
    List<String> strings = new ArrayList<>(idLength());
    for (int i = from; i < from + idLength(); i++) {
      int t = tokens[i];
      checkArgument(isIdToken(t), "token %s (%s) is not an ID token", t, safeName(t));
      strings.add(idTokens.token(t - idBase));
    }
    return format.parseTokens(strings);
  }

  /**
   * The printable name of a token: {@code <bos>}, {@code <h_13>} (hour), {@code <w_2>} (weekday),
   * {@code <u_7>} (user bucket), or the ID format's token (for example {@code <a_03_12>}).
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
    if (token < idBase) {
      return "<u_" + (token - USER_BASE) + ">";
    }
    return idTokens.token(token - idBase);
  }

  private String safeName(int token) {
    return token >= 0 && token < size ? tokenName(token) : "out of vocabulary";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PromptVocabulary other
        && slotCount == other.slotCount
        && userBuckets == other.userBuckets
        && format.equals(other.format);
  }

  @Override
  public int hashCode() {
    return Objects.hash(format, slotCount, userBuckets);
  }

  @Override
  public String toString() {
    return "PromptVocabulary[%d tokens, %s, %d slots, %d user buckets]"
        .formatted(size, format.name(), slotCount, userBuckets);
  }
}
