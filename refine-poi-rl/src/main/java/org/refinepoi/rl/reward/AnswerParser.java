package org.refinepoi.rl.reward;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.refinepoi.core.sid.IdFormat;
import org.refinepoi.core.sid.IdParseException;
import org.refinepoi.core.sid.LatticeTokenFormat;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.core.sid.TokenVocabulary;
import org.refinepoi.rl.reward.ParseProblem.Reason;

/**
 * Reads a model's text answer, {@code <think>...</think><answer>...</answer>}, into a ranked list
 * of semantic IDs written in an {@link IdFormat} (by default {@link LatticeTokenFormat}: {@code
 * <a_03_12><b_1_2><c_0>}), recording every problem.
 *
 * <p>Rules:
 *
 * <ul>
 *   <li>The first {@code <answer>} block is read, to its {@code </answer>}, which must be there
 *       ({@link Reason#MISSING_ANSWER_TAG}); the think block is optional.
 *   <li>Inside, separators (whitespace, commas, semicolons) are ignored, so IDs may be separated by
 *       them or written back to back. Text that is not a {@code <...>} token is an {@link
 *       Reason#UNKNOWN_TOKEN} entry and ends any ID in progress; so is a {@code <...>} token
 *       outside the token vocabulary, when one is given.
 *   <li>Tokens are read {@link IdFormat#tokensPerId()} at a time with {@link IdFormat#parseTokens};
 *       a window that does not parse (wrong token at some position, a coordinate outside the
 *       lattice, a non-canonical number) is a {@link Reason#MALFORMED_ID} entry and reading resumes
 *       at the offending token, which may start the next ID. Tokens left over at the end (an ID cut
 *       short) are one malformed entry.
 *   <li>A well-formed ID that names no known POI (when a catalogue predicate is given) is an {@link
 *       Reason#INVALID_ID} entry.
 *   <li>More than {@code maxItems} entries is a {@link Reason#TOO_MANY_ITEMS} problem; an answer
 *       without any entry is {@link Reason#EMPTY_ANSWER}.
 * </ul>
 *
 * Parsing is lenient: the valid IDs are kept in order and the problems listed; a reward that wants
 * strictness gates on {@link ParsedAnswer#wellFormed()} (see {@link CompositeReward}). Thread-safe.
 */
public final class AnswerParser {

  private static final String OPEN = "<answer>";
  private static final String CLOSE = "</answer>";

  private final IdFormat format;
  private final int maxItems;
  private final Predicate<SemanticId> known;
  private final TokenVocabulary vocabulary;

  /**
   * A parser.
   *
   * @param format how IDs are written
   * @param maxItems the most items an answer may hold (k), {@code >= 1}
   * @param known which IDs name a POI ({@code id -> true} accepts every well-formed ID)
   * @param vocabulary the known tokens, or null to accept any {@code <...>} token as a candidate
   */
  public AnswerParser(
      IdFormat format, int maxItems, Predicate<SemanticId> known, TokenVocabulary vocabulary) {
    this.format = checkNotNull(format, "format");
    checkArgument(maxItems >= 1, "maxItems must be >= 1, got %s", maxItems);
    this.maxItems = maxItems;
    this.known = checkNotNull(known, "known");
    this.vocabulary = vocabulary;
  }

  /** A parser that accepts every well-formed ID of the format. */
  public AnswerParser(IdFormat format, int maxItems) {
    this(format, maxItems, id -> true, null);
  }

  /** A parser for an ID index: its format and vocabulary, and only IDs that name a POI. */
  public static AnswerParser forIndex(SemanticIdIndex index, int maxItems) {
    checkNotNull(index, "index");
    return new AnswerParser(
        index.format(), maxItems, id -> index.poiOf(id).isPresent(), index.vocabulary());
  }

  /** The largest number of items allowed (k). */
  public int maxItems() {
    return maxItems;
  }

  /** The ID format. */
  public IdFormat format() {
    return format;
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
    Collector collector = new Collector();
    List<String> run = new ArrayList<>();
    int i = 0;
    int n = body.length();
    while (i < n) {
      char ch = body.charAt(i);
      if (isSeparator(ch)) {
        i++;
        continue;
      }
      int end;
      String bad = null;
      if (ch == '<') {
        int close = body.indexOf('>', i);
        int nextOpen = body.indexOf('<', i + 1);
        if (close < 0 || (nextOpen >= 0 && nextOpen < close)) {
          end = nextOpen < 0 ? n : nextOpen;
          bad = body.substring(i, end);
        } else {
          end = close + 1;
          String token = body.substring(i, end);
          if (vocabulary != null && vocabulary.find(token).isEmpty()) {
            bad = token;
          } else {
            run.add(token);
          }
        }
      } else {
        end = i;
        while (end < n && !isSeparator(body.charAt(end)) && body.charAt(end) != '<') {
          end++;
        }
        bad = body.substring(i, end);
      }
      if (bad != null) {
        collector.readRun(run);
        run.clear();
        collector.problem(Reason.UNKNOWN_TOKEN, bad);
      }
      i = end;
    }
    collector.readRun(run);
    return collector.finish();
  }

  private static boolean isSeparator(char ch) {
    return ch == ',' || ch == ';' || Character.isWhitespace(ch);
  }

  /** Accumulates items, problems and the entry count of one answer. */
  private final class Collector {
    final List<SemanticId> items = new ArrayList<>();
    final List<ParseProblem> problems = new ArrayList<>();
    int entries;

    /** Whether the tokens just read belong to a stretch already recorded as a problem. */
    boolean inBadStretch;

    void problem(Reason reason, String detail) {
      problems.add(new ParseProblem(reason, detail));
      entries++;
      inBadStretch = true;
    }

    /** A malformed entry, unless it continues a bad stretch already recorded. */
    void malformed(String detail) {
      if (!inBadStretch) {
        problem(Reason.MALFORMED_ID, detail);
      }
    }

    /** Reads a run of tokens uninterrupted by unknown text into IDs. */
    void readRun(List<String> run) {
      int width = format.tokensPerId();
      int i = 0;
      while (i < run.size()) {
        if (run.size() - i < width) {
          malformed(
              String.join("", run.subList(i, run.size()))
                  + ": an ID cut short, "
                  + format.tokensPerId()
                  + " tokens expected");
          return;
        }
        List<String> window = run.subList(i, i + width);
        SemanticId id;
        try {
          id = format.parseTokens(window);
        } catch (IdParseException e) {
          malformed(e.getMessage());
          i += Math.max(1, e.tokenIndex());
          continue;
        }
        i += width;
        inBadStretch = false;
        if (known.test(id)) {
          items.add(id);
          entries++;
        } else {
          problem(Reason.INVALID_ID, String.join("", window) + " names no known POI");
        }
      }
    }

    ParsedAnswer finish() {
      if (entries == 0) {
        problems.add(new ParseProblem(Reason.EMPTY_ANSWER, "no ID in the answer"));
      }
      if (entries > maxItems) {
        problems.add(
            new ParseProblem(Reason.TOO_MANY_ITEMS, entries + " entries, at most " + maxItems));
      }
      return new ParsedAnswer(items, entries, true, problems);
    }
  }
}
