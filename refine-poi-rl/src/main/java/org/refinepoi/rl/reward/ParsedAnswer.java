package org.refinepoi.rl.reward;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.List;
import org.refinepoi.core.sid.SemanticId;

/**
 * A model answer read as a ranked list.
 *
 * @param items the valid IDs in the order written (best first), duplicates kept; items beyond k are
 *     kept too (ranking rewards read only the first k)
 * @param entryCount how many entries the answer had, valid or not (valid IDs, malformed or invalid
 *     IDs, stray text)
 * @param answerFound whether an {@code <answer>} block was found
 * @param problems everything that went wrong, in order; empty for a well-formed answer
 */
public record ParsedAnswer(
    List<SemanticId> items, int entryCount, boolean answerFound, List<ParseProblem> problems) {

  /** Checks consistency and copies. */
  public ParsedAnswer {
    items = ImmutableList.copyOf(checkNotNull(items, "items"));
    problems = ImmutableList.copyOf(checkNotNull(problems, "problems"));
    checkArgument(entryCount >= items.size(), "entryCount %s < %s items", entryCount, items.size());
    checkArgument(answerFound || items.isEmpty(), "items without an answer block");
  }

  /** A well-formed answer holding exactly these IDs. */
  public static ParsedAnswer of(List<SemanticId> items) {
    List<ParseProblem> problems =
        items.isEmpty()
            ? List.of(new ParseProblem(ParseProblem.Reason.EMPTY_ANSWER, ""))
            : List.of();
    return new ParsedAnswer(items, items.size(), true, problems);
  }

  /** An answer with no answer block. */
  public static ParsedAnswer missing(String detail) {
    return new ParsedAnswer(
        List.of(),
        0,
        false,
        List.of(new ParseProblem(ParseProblem.Reason.MISSING_ANSWER_TAG, detail)));
  }

  /** Whether the answer parsed without any problem. */
  public boolean wellFormed() {
    return answerFound && problems.isEmpty();
  }

  /** Whether at least one valid ID was read (otherwise every ranking reward is 0). */
  public boolean parsable() {
    return !items.isEmpty();
  }

  /** The first {@code k} items. */
  public List<SemanticId> top(int k) {
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    return items.size() <= k ? items : items.subList(0, k);
  }
}
