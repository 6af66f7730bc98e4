package org.refinepoi.core.prompt;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.sid.SemanticId;

/**
 * Renders samples as token sequences for the built-in model (docs/architecture.md, prompts, the
 * token rendering) and answers as sequences of semantic IDs.
 *
 * <p>A prompt is laid out as
 *
 * <pre>
 * BOS [USER] (LT check-in)* SEP (ST check-in)* SEP hour(target) weekday(target) ANSWER
 * </pre>
 *
 * where every check-in is {@code hour weekday id-token...}, LT is the long-term memory (the most
 * recent {@link Builder#longTermCheckIns} earlier check-ins, oldest first), ST the current
 * trajectory (its most recent {@link Builder#maxShortTermCheckIns} check-ins) and the user token
 * appears only when the vocabulary has user buckets. An answer is the tokens of k IDs followed by
 * EOS. The target POI is never read by {@link #prompt}.
 *
 * <p>Immutable and thread-safe when the POI-to-ID function is.
 */
public final class SampleTokenizer {

  /** Default number of long-term check-ins rendered. */
  public static final int DEFAULT_LONG_TERM = 20;

  /** Default number of short-term (current trajectory) check-ins rendered. */
  public static final int DEFAULT_SHORT_TERM = 20;

  private final PromptVocabulary vocabulary;
  private final IntFunction<SemanticId> poiIds;
  private final int longTermCheckIns;
  private final int maxShortTermCheckIns;

  private SampleTokenizer(Builder b) {
    this.vocabulary = b.vocabulary;
    this.poiIds = b.poiIds;
    this.longTermCheckIns = b.longTermCheckIns;
    this.maxShortTermCheckIns = b.maxShortTermCheckIns;
  }

  /** A builder; the vocabulary and the POI-to-ID function are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The vocabulary tokens come from. */
  public PromptVocabulary vocabulary() {
    return vocabulary;
  }

  /** Number of long-term check-ins rendered at most. */
  public int longTermCheckIns() {
    return longTermCheckIns;
  }

  /** Number of short-term check-ins rendered at most. */
  public int maxShortTermCheckIns() {
    return maxShortTermCheckIns;
  }

  /** Tokens per rendered check-in: hour, weekday and the ID. */
  public int checkInLength() {
    return 2 + vocabulary.idLength();
  }

  /** The longest prompt {@link #prompt} can return. */
  public int maxPromptLength() {
    int fixed = 1 + (vocabulary.userBuckets() > 0 ? 1 : 0) + 2 + 2 + 1;
    return fixed + (longTermCheckIns + maxShortTermCheckIns) * checkInLength();
  }

  /** Length of an answer of {@code k} IDs (with its EOS). */
  public int answerLength(int k) {
    checkArgument(k >= 0, "k must be >= 0, got %s", k);
    return k * vocabulary.idLength() + 1;
  }

  /** The semantic ID of a POI. */
  public SemanticId poiId(int poi) {
    SemanticId id = poiIds.apply(poi);
    checkArgument(id != null, "POI %s has no semantic ID", poi);
    return id;
  }

  /** The prompt tokens of a sample (never reads the target POI). */
  public int[] prompt(Sample sample) {
    checkNotNull(sample, "sample");
    List<CheckIn> longTerm = tail(sample.longTerm(), longTermCheckIns);
    List<CheckIn> shortTerm = tail(sample.shortTerm(), maxShortTermCheckIns);
    boolean user = vocabulary.userBuckets() > 0;
    int length =
        1 + (user ? 1 : 0) + (longTerm.size() + shortTerm.size()) * checkInLength() + 2 + 2 + 1;
    int[] out = new int[length];
    int p = 0;
    out[p++] = PromptVocabulary.BOS;
    if (user) {
      out[p++] = vocabulary.userToken(sample.user());
    }
    for (CheckIn c : longTerm) {
      p = writeCheckIn(c, out, p);
    }
    out[p++] = PromptVocabulary.SEP;
    for (CheckIn c : shortTerm) {
      p = writeCheckIn(c, out, p);
    }
    out[p++] = PromptVocabulary.SEP;
    out[p++] = vocabulary.hourToken(sample.target().localHour());
    out[p++] = vocabulary.weekdayToken(sample.target().localDayOfWeek());
    out[p++] = PromptVocabulary.ANSWER;
    return out;
  }

  /** The supervised answer of a sample: its target POI's ID, then EOS. */
  public int[] targetAnswer(Sample sample) {
    checkNotNull(sample, "sample");
    return answer(List.of(poiId(sample.targetPoi())));
  }

  /**
   * The tokens of a ranked list of IDs followed by EOS.
   *
   * @throws IllegalArgumentException on a duplicate ID or an ID outside the vocabulary
   */
  public int[] answer(List<SemanticId> ids) {
    checkNotNull(ids, "ids");
    Set<SemanticId> seen = new HashSet<>();
    int idLength = vocabulary.idLength();
    int[] out = new int[answerLength(ids.size())];
    for (int i = 0; i < ids.size(); i++) {
      SemanticId id = checkNotNull(ids.get(i), "id at rank %s", i);
      checkArgument(seen.add(id), "ID %s appears twice in the answer", id);
      System.arraycopy(vocabulary.idTokens(id), 0, out, i * idLength, idLength);
    }
    out[out.length - 1] = PromptVocabulary.EOS;
    return out;
  }

  /**
   * Parses answer tokens back to IDs: whole IDs up to an EOS (or the end of the array); tokens
   * after EOS are ignored.
   *
   * @throws IllegalArgumentException when the tokens before EOS are not a sequence of whole IDs
   */
  public ImmutableList<SemanticId> parseAnswer(int[] tokens) {
    checkNotNull(tokens, "tokens");
    int end = 0;
    while (end < tokens.length && tokens[end] != PromptVocabulary.EOS) {
      end++;
    }
    int idLength = vocabulary.idLength();
    checkArgument(
        end % idLength == 0,
        "an answer of %s tokens before EOS is not a whole number of %s-token IDs",
        end,
        idLength);
    ImmutableList.Builder<SemanticId> ids = ImmutableList.builder();
    for (int from = 0; from < end; from += idLength) {
      ids.add(vocabulary.decodeId(tokens, from));
    }
    return ids.build();
  }

  /** The tokens' printable names separated by spaces, for logs and debugging. */
  public String describe(int[] tokens) {
    checkNotNull(tokens, "tokens");
    List<String> names = new ArrayList<>(tokens.length);
    for (int t : tokens) {
      names.add(vocabulary.tokenName(t));
    }
    return String.join(" ", names);
  }

  private int writeCheckIn(CheckIn c, int[] out, int p) {
    out[p++] = vocabulary.hourToken(c.localHour());
    out[p++] = vocabulary.weekdayToken(c.localDayOfWeek());
    int[] id = vocabulary.idTokens(poiId(c.poi()));
    System.arraycopy(id, 0, out, p, id.length);
    return p + id.length;
  }

  private static List<CheckIn> tail(List<CheckIn> list, int max) {
    return list.size() <= max ? list : list.subList(list.size() - max, list.size());
  }

  /** Builder of a {@link SampleTokenizer}. */
  public static final class Builder {
    private PromptVocabulary vocabulary;
    private IntFunction<SemanticId> poiIds;
    private int longTermCheckIns = DEFAULT_LONG_TERM;
    private int maxShortTermCheckIns = DEFAULT_SHORT_TERM;

    private Builder() {}

    /** Required: the vocabulary. */
    public Builder vocabulary(PromptVocabulary vocabulary) {
      this.vocabulary = checkNotNull(vocabulary, "vocabulary");
      return this;
    }

    /** Required: the semantic ID of each dense POI index (for example an ID index's lookup). */
    public Builder poiIds(IntFunction<SemanticId> poiIds) {
      this.poiIds = checkNotNull(poiIds, "poiIds");
      return this;
    }

    /** How many of the most recent long-term check-ins to render (default 20; 0 = none). */
    public Builder longTermCheckIns(int n) {
      checkArgument(n >= 0, "longTermCheckIns must be >= 0, got %s", n);
      this.longTermCheckIns = n;
      return this;
    }

    /** How many of the most recent current-trajectory check-ins to render (default 20, >= 1). */
    public Builder maxShortTermCheckIns(int n) {
      checkArgument(n >= 1, "maxShortTermCheckIns must be >= 1, got %s", n);
      this.maxShortTermCheckIns = n;
      return this;
    }

    /** Builds the tokenizer. */
    public SampleTokenizer build() {
      checkArgument(vocabulary != null, "a vocabulary is required");
      checkArgument(poiIds != null, "a POI-to-ID function is required");
      return new SampleTokenizer(this);
    }
  }
}
