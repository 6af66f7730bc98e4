package org.refinepoi.core.prompt;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.sid.IdFormat;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.sid.SemanticIdIndex;

/**
 * Renders a sample as a text prompt for a language model (docs/architecture.md, prompts, trajectory
 * prompting): the long-term memory (the most recent earlier check-ins), the current trajectory,
 * each check-in as "At 2012-05-05 13:58, user 42 visited &lt;a_03_12&gt;&lt;b_1_2&gt;&lt;c_0&gt;, a
 * Coffee Shop.", then the question "At 2012-05-05 15:10, which 10 POIs will user 42 visit next?
 * Answer as a ranked list." and the answer-format instruction ({@code
 * <think>…</think><answer>…</answer>}).
 *
 * <p>Times are the check-ins' local times. Users are named by their source id. The target POI is
 * never read. Immutable and thread-safe when the ID functions are.
 */
public final class PromptRenderer {

  /** Default number of long-term check-ins rendered. */
  public static final int DEFAULT_LONG_TERM = 20;

  /** Default list length asked for. */
  public static final int DEFAULT_K = 10;

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

  private final CheckInDataset dataset;
  private final IntFunction<SemanticId> poiIds;
  private final Function<SemanticId, String> idFormat;
  private final int longTermCheckIns;
  private final int k;
  private final boolean answerInstruction;

  private PromptRenderer(Builder b) {
    this.dataset = b.dataset;
    this.poiIds = b.poiIds;
    this.idFormat = b.idFormat;
    this.longTermCheckIns = b.longTermCheckIns;
    this.k = b.k;
    this.answerInstruction = b.answerInstruction;
  }

  /** A builder; the dataset, the POI-to-ID function and the ID formatter are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The list length the question asks for. */
  public int k() {
    return k;
  }

  /**
   * The prompt text of a sample (lines separated by {@code \n}, no trailing newline).
   *
   * @param sample a sample of this renderer's dataset
   * @return the prompt; its last line is the answer-format instruction when that is on
   * @throws IllegalArgumentException when the sample's user or a check-in's POI is not in the
   *     dataset, or a POI has no semantic ID
   */
  public String render(Sample sample) {
    checkNotNull(sample, "sample");
    String user = userName(sample.user());
    StringBuilder sb = new StringBuilder(1024);
    List<CheckIn> longTerm = sample.longTerm();
    if (longTermCheckIns > 0 && !longTerm.isEmpty()) {
      List<CheckIn> recent =
          longTerm.subList(Math.max(0, longTerm.size() - longTermCheckIns), longTerm.size());
      sb.append("Long-term memory (earlier check-ins of user ").append(user).append("):\n");
      for (CheckIn c : recent) {
        sb.append(checkInSentence(c, user)).append('\n');
      }
    }
    sb.append("Current trajectory:\n");
    for (CheckIn c : sample.shortTerm()) {
      sb.append(checkInSentence(c, user)).append('\n');
    }
    sb.append("At ")
        .append(TIME.format(sample.target().localTime()))
        .append(", which ")
        .append(k)
        .append(" POIs will user ")
        .append(user)
        .append(" visit next? Answer as a ranked list.");
    if (answerInstruction) {
      sb.append('\n')
          .append("Reason inside <think>...</think>, then write the ")
          .append(k)
          .append(" POI IDs, most likely first, separated by commas, inside <answer>...</answer>.");
    }
    return sb.toString();
  }

  /**
   * The completion a model should write for a ranked list (no reasoning): an empty think block and
   * the IDs, best first, separated by ", ", inside the answer tags, as the instruction asks.
   *
   * @param ranked the IDs, best first (usually {@link #k()} of them, one for an SFT target)
   * @return for example {@code <think></think><answer><a_03_12><b_1_2><c_0>, ...</answer>}
   * @throws NullPointerException when the list or one of its IDs is null (the message names the
   *     rank)
   */
  public String renderAnswer(List<SemanticId> ranked) {
    checkNotNull(ranked, "ranked");
    StringBuilder sb = new StringBuilder("<think></think><answer>");
    for (int i = 0; i < ranked.size(); i++) {
      SemanticId id = checkNotNull(ranked.get(i), "ID at rank %s is null", i);
      sb.append(i == 0 ? "" : ", ").append(idFormat.apply(id));
    }
    return sb.append("</answer>").toString();
  }

  /**
   * One check-in as a sentence, for example "At 2012-05-05 13:58, user 42 visited
   * &lt;a_03_12&gt;&lt;b_1_2&gt;&lt;c_0&gt;, a Coffee Shop." (local time of the check-in).
   *
   * @param c a check-in of this renderer's dataset
   * @param user how the user is named, usually its source id
   * @return the sentence, without a newline
   * @throws IllegalArgumentException when the check-in's POI is not in the dataset or has no
   *     semantic ID
   */
  public String checkInSentence(CheckIn c, String user) {
    checkNotNull(c, "check-in");
    checkNotNull(user, "user");
    checkArgument(
        c.poi() < dataset.poiCount(),
        "check-in POI %s is not in dataset %s (%s POIs)",
        c.poi(),
        dataset.name(),
        dataset.poiCount());
    Poi poi = dataset.poi(c.poi());
    SemanticId id = poiIds.apply(c.poi());
    checkArgument(id != null, "POI %s has no semantic ID", c.poi());
    return "At %s, user %s visited %s, %s %s."
        .formatted(
            TIME.format(c.localTime()),
            user,
            idFormat.apply(id),
            article(poi.categoryName()),
            poi.categoryName());
  }

  private String userName(int user) {
    checkArgument(
        user < dataset.userCount(),
        "sample user %s is not in dataset %s (%s users)",
        user,
        dataset.name(),
        dataset.userCount());
    return dataset.userIds().get(user);
  }

  private static String article(String noun) {
    return !noun.isEmpty() && "AEIOUaeiou".indexOf(noun.charAt(0)) >= 0 ? "an" : "a";
  }

  /** Builder of a {@link PromptRenderer}. */
  public static final class Builder {
    private CheckInDataset dataset;
    private IntFunction<SemanticId> poiIds;
    private Function<SemanticId, String> idFormat;
    private int longTermCheckIns = DEFAULT_LONG_TERM;
    private int k = DEFAULT_K;
    private boolean answerInstruction = true;

    private Builder() {}

    /** Required: the dataset the samples index into (POI categories, user ids). */
    public Builder dataset(CheckInDataset dataset) {
      this.dataset = checkNotNull(dataset, "dataset");
      return this;
    }

    /** Required: the semantic ID of each dense POI index. */
    public Builder poiIds(IntFunction<SemanticId> poiIds) {
      this.poiIds = checkNotNull(poiIds, "poiIds");
      return this;
    }

    /** Required: how an ID is written, for example {@code <a_03_12><b_1_2><c_0>}. */
    public Builder idFormat(Function<SemanticId, String> idFormat) {
      this.idFormat = checkNotNull(idFormat, "idFormat");
      return this;
    }

    /** Required (or {@link #idFormat(Function)}): IDs written in an ID format's canonical form. */
    public Builder idFormat(IdFormat format) {
      checkNotNull(format, "format");
      this.idFormat = format::render;
      return this;
    }

    /** Sets the POI-to-ID function and the ID format of an ID index (the usual setup). */
    public Builder idIndex(SemanticIdIndex index) {
      checkNotNull(index, "index");
      checkArgument(dataset != null, "set the dataset before the ID index");
      this.poiIds = PoiIdTable.of(dataset, index);
      return idFormat(index.format());
    }

    /** How many of the most recent long-term check-ins to show (default 20; 0 = none). */
    public Builder longTermCheckIns(int n) {
      checkArgument(n >= 0, "longTermCheckIns must be >= 0, got %s", n);
      this.longTermCheckIns = n;
      return this;
    }

    /** The list length asked for (default 10). */
    public Builder k(int k) {
      checkArgument(k >= 1, "k must be >= 1, got %s", k);
      this.k = k;
      return this;
    }

    /** Whether to append the think/answer format instruction (default true). */
    public Builder answerInstruction(boolean on) {
      this.answerInstruction = on;
      return this;
    }

    /** Builds the renderer. */
    public PromptRenderer build() {
      checkArgument(dataset != null, "a dataset is required");
      checkArgument(poiIds != null, "a POI-to-ID function is required");
      checkArgument(idFormat != null, "an ID formatter is required");
      return new PromptRenderer(this);
    }
  }
}
