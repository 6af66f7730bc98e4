package org.refinepoi.rl.reward;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.rl.reward.ParseProblem.Reason;

/**
 * Reads a model's text answer, {@code <think>...</think><answer>...</answer>}, into a ranked list
 * of semantic IDs ({@link SidTokenFormat}), recording every problem.
 *
 * <p>Rules: the first {@code <answer>} block is read (to its {@code </answer>}, which must be
 * there); the think block is not required. Inside, separators (whitespace, commas, semicolons) are
 * ignored and IDs are assembled from their tokens by level letter, so {@code
 * <a_1_2><b_0_1><c_0>,<a_...>} and IDs written back to back both parse. Parsing is lenient: a bad
 * token or ID is recorded as a {@link ParseProblem} and skipped, the valid IDs are kept; a reward
 * that wants strictness gates on {@link ParsedAnswer#wellFormed()} (see {@link CompositeReward}).
 * An ID is valid when its cells fit the lattices and, when a catalogue predicate is given, it names
 * a known POI. More than {@code maxItems} entries is a {@link Reason#TOO_MANY_ITEMS} problem.
 *
 * <p>Thread-safe and allocation-light; no regular expressions on the hot path.
 */
public final class AnswerParser {

  private static final String OPEN = "<answer>";
  private static final String CLOSE = "</answer>";

  private final IdSpace space;
  private final int maxItems;
  private final Predicate<SemanticId> known;

  /**
   * A parser for an ID space.
   *
   * @param space the ID space
   * @param maxItems the most items an answer may hold (k), {@code >= 1}
   * @param known which IDs name a POI (for example {@code index::contains}); {@code id -> true}
   *     accepts every ID that fits the lattices
   */
  public AnswerParser(IdSpace space, int maxItems, Predicate<SemanticId> known) {
    this.space = checkNotNull(space, "space");
    checkArgument(maxItems >= 1, "maxItems must be >= 1, got %s", maxItems);
    this.maxItems = maxItems;
    this.known = checkNotNull(known, "known");
  }

  /** A parser that accepts every ID fitting the lattices. */
  public AnswerParser(IdSpace space, int maxItems) {
    this(space, maxItems, id -> true);
  }

  /** The largest number of items allowed (k). */
  public int maxItems() {
    return maxItems;
  }

  /** Parses a full model output (think block optional, answer block required). */
  public ParsedAnswer parse(String text) {
    checkNotNull(text, "text");
    int open = text.indexOf(OPEN);
    if (open < 0) {
      return ParsedAnswer.missing("no " + OPEN + " tag");
    }
    int close = text.indexOf(CLOSE, open + OPEN.length());
    if (close < 0) {
      return ParsedAnswer.missing("no " + CLOSE + " after " + OPEN);
    }
    return parseList(text.substring(open + OPEN.length(), close));
  }

  /** Parses the inside of an answer block: ID tokens and separators. */
  public ParsedAnswer parseList(String body) {
    checkNotNull(body, "body");
    int levels = space.levelCount();
    List<SemanticId> items = new ArrayList<>();
    List<ParseProblem> problems = new ArrayList<>();
    int entries = 0;
    int[] cells = new int[levels];
    int expected = 0; // the level whose token comes next; 0 = between IDs
    boolean cellsValid = true;
    StringBuilder current = new StringBuilder();
    int i = 0;
    int n = body.length();
    while (i < n) {
      char ch = body.charAt(i);
      if (isSeparator(ch)) {
        i++;
        continue;
      }
      if (ch != '<') {
        int end = i;
        while (end < n && !isSeparator(body.charAt(end)) && body.charAt(end) != '<') {
          end++;
        }
        problems.add(new ParseProblem(Reason.UNKNOWN_TOKEN, body.substring(i, end)));
        if (expected > 0) {
          // the ID under construction is cut short: an entry of its own
          problems.add(new ParseProblem(Reason.MALFORMED_ID, current.toString()));
          entries++;
          expected = 0;
        }
        entries++;
        i = end;
        continue;
      }
      int end = body.indexOf('>', i);
      if (end < 0) {
        problems.add(new ParseProblem(Reason.UNKNOWN_TOKEN, body.substring(i)));
        entries++;
        break;
      }
      String token = body.substring(i, end + 1);
      i = end + 1;
      Token parsed = readToken(token, levels);
      if (parsed == null) {
        problems.add(new ParseProblem(Reason.UNKNOWN_TOKEN, token));
        if (expected > 0) {
          // the unknown token spoils the ID under construction: one bad entry
          problems.add(new ParseProblem(Reason.MALFORMED_ID, current + token));
          expected = 0;
        }
        entries++;
        continue;
      }
      if (parsed.level != expected) {
        if (expected > 0) {
          // an ID cut short; the token may start the next ID
          problems.add(new ParseProblem(Reason.MALFORMED_ID, current.toString()));
          entries++;
          expected = 0;
        }
        if (parsed.level != 0) {
          problems.add(new ParseProblem(Reason.MALFORMED_ID, token));
          entries++;
          continue;
        }
      }
      if (expected == 0) {
        current.setLength(0);
        cellsValid = true;
      }
      current.append(token);
      if (parsed.level < levels) {
        LatticeSpec lattice = space.level(parsed.level);
        if (parsed.row < lattice.rows() && parsed.col < lattice.cols()) {
          cells[parsed.level] = parsed.row * lattice.cols() + parsed.col;
        } else {
          cellsValid = false;
        }
        expected = parsed.level + 1;
        continue;
      }
      // the slot token completes an ID
      expected = 0;
      entries++;
      if (!cellsValid) {
        problems.add(new ParseProblem(Reason.INVALID_ID, current + " is outside the lattices"));
        continue;
      }
      SemanticId id = SemanticId.of(cells, parsed.row);
      if (!known.test(id)) {
        problems.add(new ParseProblem(Reason.INVALID_ID, current + " names no known POI"));
        continue;
      }
      items.add(id);
    }
    if (expected > 0) {
      problems.add(new ParseProblem(Reason.MALFORMED_ID, current.toString()));
      entries++;
    }
    if (entries == 0) {
      problems.add(new ParseProblem(Reason.EMPTY_ANSWER, "no ID in the answer"));
    }
    if (entries > maxItems) {
      problems.add(
          new ParseProblem(Reason.TOO_MANY_ITEMS, entries + " entries, at most " + maxItems));
    }
    return new ParsedAnswer(items, entries, true, problems);
  }

  private static boolean isSeparator(char ch) {
    return ch == ',' || ch == ';' || Character.isWhitespace(ch);
  }

  /** A parsed token: level (levels = the slot) and numbers (row, col; slot in row). */
  private record Token(int level, int row, int col) {}

  /** Reads {@code <x_R_C>} (a lattice level) or {@code <y_N>} (the slot); null when neither. */
  private static Token readToken(String token, int levels) {
    int len = token.length();
    if (len < 5 || token.charAt(2) != '_') {
      return null;
    }
    int level = token.charAt(1) - 'a';
    if (level < 0 || level > levels) {
      return null;
    }
    int first = 3;
    int firstEnd = digitsEnd(token, first, len - 1);
    if (firstEnd == first) {
      return null;
    }
    int a = number(token, first, firstEnd);
    if (level == levels) {
      return firstEnd == len - 1 && a >= 0 ? new Token(level, a, 0) : null;
    }
    if (firstEnd >= len - 1 || token.charAt(firstEnd) != '_') {
      return null;
    }
    int second = firstEnd + 1;
    int secondEnd = digitsEnd(token, second, len - 1);
    if (secondEnd == second || secondEnd != len - 1) {
      return null;
    }
    int b = number(token, second, secondEnd);
    return a >= 0 && b >= 0 ? new Token(level, a, b) : null;
  }

  private static int digitsEnd(String s, int from, int limit) {
    int i = from;
    while (i < limit && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    return i;
  }

  /** The number in {@code s[from, to)}; -1 when it has more than 9 digits (overflow). */
  private static int number(String s, int from, int to) {
    if (to - from > 9) {
      return -1;
    }
    return Integer.parseInt(s, from, to, 10);
  }
}
