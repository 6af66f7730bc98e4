package org.refinepoi.examples.interop;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.refinepoi.core.data.MalformedInputLineException;
import org.refinepoi.core.eval.MetricsReport;
import org.refinepoi.core.eval.RankingMetrics;
import org.refinepoi.core.io.AtomicFiles;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.rl.reward.AnswerParser;
import org.refinepoi.rl.reward.CompositeReward;
import org.refinepoi.rl.reward.ParsedAnswer;
import org.refinepoi.rl.reward.RankingRewards;
import org.refinepoi.rl.reward.RewardScores;
import org.refinepoi.rl.reward.SoftAccuracyReward;

/**
 * Scores an external model's text answers with the SDK's rewards and ranking metrics: a JSONL file
 * of completions in, per-term mean rewards and Acc@1/5/10, NDCG@5/10, MRR out.
 *
 * <p>Each non-blank line is a JSON object with
 *
 * <ul>
 *   <li>{@code completion}: the model's text, {@code <think>...</think><answer>ID, ID,
 *       ...</answer>}; or a chat list ({@code [{"role":"assistant","content":...}]}, as TRL logs
 *       conversational completions), whose last message's content is read;
 *   <li>the truth: {@code ground_truth_id} (the target's POI id, which must be in the index), or
 *       {@code ground_truth} (the target's semantic ID as written in the prompts, for example
 *       {@code <a_03_12><b_1_2><c_0>}, or a POI id); when both are given they must agree;
 *   <li>optionally {@code sample_id}, copied to the per-line scores; with {@link #withSamples} the
 *       truth may be left out and is looked up by sample id in the export's samples file.
 * </ul>
 *
 * <p>The reward is the paper's composite ({@link CompositeReward#paperTerms}: format, reciprocal
 * rank, soft accuracy, diversity, length; format gating on) plus an NDCG@k term with weight 0
 * (reported, not part of the total). The ranking metrics read the parsed list as it is (valid IDs
 * in order, first k), without format gating, as an evaluator would. A malformed line fails the
 * whole run with a {@link MalformedInputLineException} naming the file and line.
 */
public final class CompletionScorer {

  /** Completions scored per batch (bounds memory on large files). */
  private static final int BATCH = 2048;

  /** The name of the composite total among the mean rewards. */
  public static final String COMPOSITE = "composite";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
          .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

  /**
   * The scores of one completion.
   *
   * @param line the 1-based line number in the completions file
   * @param sampleId the line's {@code sample_id}, or empty
   * @param composite the composite reward in [0, 1]
   * @param terms each reward term's value, in term order
   * @param rank the 1-based rank of the truth in the parsed list (first k), 0 when absent
   * @param listLength number of valid IDs parsed
   * @param wellFormed whether the answer parsed without any problem
   * @param problems the parse problems, as text
   */
  public record LineScore(
      long line,
      Optional<String> sampleId,
      double composite,
      Map<String, Double> terms,
      int rank,
      int listLength,
      boolean wellFormed,
      List<String> problems) {

    /** Copies the collections. */
    public LineScore {
      checkNotNull(sampleId, "sampleId");
      terms = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(terms));
      problems = List.copyOf(problems);
    }
  }

  /**
   * The scores of a file.
   *
   * @param completions number of completions scored
   * @param meanRewards the mean of each reward term, then {@link #COMPOSITE}, in order
   * @param ranking the ranking metrics of the parsed lists
   * @param wellFormed completions that parsed without any problem
   * @param parsable completions with at least one valid ID
   */
  public record Report(
      long completions,
      Map<String, Double> meanRewards,
      MetricsReport ranking,
      long wellFormed,
      long parsable) {

    /** Copies the map. */
    public Report {
      meanRewards = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(meanRewards));
    }
  }

  /** Receives each line's scores, in file order. */
  @FunctionalInterface
  public interface LineSink {
    /** Accepts one line's scores. */
    void accept(LineScore score) throws IOException;
  }

  private final SemanticIdIndex index;
  private final int k;
  private final AnswerParser parser;
  private final CompositeReward<SemanticId, ParsedAnswer> reward;
  private final Map<String, String> truthBySample;
  private final String samplesFile;

  /**
   * A scorer for completions that write IDs of an index.
   *
   * @param index the semantic IDs the prompts used ({@code index.sid} of an export)
   * @param k the list length asked for, {@code >= 1}
   */
  public CompletionScorer(SemanticIdIndex index, int k) {
    this(index, k, Map.of(), "");
  }

  private CompletionScorer(
      SemanticIdIndex index, int k, Map<String, String> truthBySample, String samplesFile) {
    this.truthBySample = Map.copyOf(truthBySample);
    this.samplesFile = samplesFile;
    this.index = checkNotNull(index, "index");
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    this.k = k;
    this.parser = AnswerParser.forIndex(index, k);
    this.reward =
        CompositeReward.<SemanticId, ParsedAnswer>paperTerms(
                Optional::of,
                answer -> answer,
                SoftAccuracyReward.builder(index.space(), k).build(),
                k)
            .add(RankingRewards.ndcg(k), 0.0)
            .name("refine-poi")
            .build();
  }

  /**
   * This scorer, also taking the truth of a completion line that gives none from its {@code
   * sample_id}, looked up in an export's samples file ({@code trl-<split>.jsonl} or {@code
   * verl-<split>.jsonl}): completions then need only {@code sample_id} and {@code completion}.
   *
   * @throws MalformedInputLineException naming the line of the samples file without a sample id or
   *     a truth, or repeating a sample id
   */
  public CompletionScorer withSamples(Path samples) throws IOException {
    checkNotNull(samples, "samples");
    String name = samples.toString();
    Map<String, String> truths = new java.util.HashMap<>();
    try (JsonLines in = new JsonLines(samples)) {
      for (String line = in.next(); line != null; line = in.next()) {
        long lineNo = in.lineNumber();
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
          throw new MalformedInputLineException(
              name, lineNo, "not valid JSON: " + e.getOriginalMessage());
        }
        // TRL lines hold the fields at the top level, verl lines in extra_info.
        JsonNode fields = node.has("extra_info") ? node.get("extra_info") : node;
        JsonNode id = fields.get("sample_id");
        JsonNode poi = fields.get("ground_truth_id");
        if (id == null || !id.isTextual() || poi == null || !poi.isTextual()) {
          throw new MalformedInputLineException(
              name, lineNo, "expected an export line with 'sample_id' and 'ground_truth_id'");
        }
        if (truths.put(id.asText(), poi.asText()) != null) {
          throw new MalformedInputLineException(
              name, lineNo, "sample_id '" + id.asText() + "' appears twice");
        }
      }
    }
    if (truths.isEmpty()) {
      throw new IOException(name + ": no samples");
    }
    return new CompletionScorer(index, k, truths, name);
  }

  /** The reward term names, in order (the composite's total is not among them). */
  public List<String> termNames() {
    return reward.termNames();
  }

  /** The list length asked for. */
  public int k() {
    return k;
  }

  /** Scores a file. */
  public Report score(Path completions) throws IOException {
    return score(completions, s -> {});
  }

  /**
   * Scores a file and writes each line's scores as JSONL ({@code line}, {@code sample_id}, {@code
   * composite}, one field per term, {@code rank}, {@code list_length}, {@code well_formed}, {@code
   * problems}), atomically.
   */
  public Report score(Path completions, Path scoresOut) throws IOException {
    checkNotNull(scoresOut, "scoresOut");
    Report[] report = new Report[1];
    AtomicFiles.writeStream(
        scoresOut,
        raw -> {
          Writer out = new OutputStreamWriter(raw, UTF_8);
          report[0] = score(completions, line -> writeLine(out, line));
          out.flush();
        });
    return report[0];
  }

  /**
   * Scores a file, handing each line's scores to a sink.
   *
   * @throws MalformedInputLineException naming the file and line of the first malformed line
   * @throws IOException when the file cannot be read or holds no completion
   */
  public Report score(Path completions, LineSink sink) throws IOException {
    checkNotNull(completions, "completions");
    checkNotNull(sink, "sink");
    String name = completions.toString();
    List<String> terms = termNames();
    Map<String, Double> sums = new LinkedHashMap<>();
    terms.forEach(t -> sums.put(t, 0.0));
    sums.put(COMPOSITE, 0.0);
    RankingMetrics metrics = new RankingMetrics();
    long count = 0;
    long wellFormed = 0;
    long parsable = 0;
    List<Row> batch = new ArrayList<>(BATCH);
    try (JsonLines in = new JsonLines(completions)) {
      while (true) {
        String line = in.next();
        if (line != null && !line.isBlank()) {
          batch.add(parseRow(name, in.lineNumber(), line));
        }
        if (batch.size() == BATCH || (line == null && !batch.isEmpty())) {
          List<LineScore> scored = scoreBatch(batch);
          for (LineScore s : scored) {
            count++;
            sums.merge(COMPOSITE, s.composite(), Double::sum);
            s.terms().forEach((t, v) -> sums.merge(t, v, Double::sum));
            metrics.add(s.rank());
            wellFormed += s.wellFormed() ? 1 : 0;
            parsable += s.listLength() > 0 ? 1 : 0;
            sink.accept(s);
          }
          batch.clear();
        }
        if (line == null) {
          break;
        }
      }
    }
    if (count == 0) {
      throw new IOException(name + ": no completions (the file is empty or blank)");
    }
    Map<String, Double> means = new LinkedHashMap<>();
    for (Map.Entry<String, Double> e : sums.entrySet()) {
      means.put(e.getKey(), e.getValue() / count);
    }
    return new Report(count, means, metrics.report(), wellFormed, parsable);
  }

  private record Row(long line, Optional<String> sampleId, String completion, SemanticId truth) {}

  private List<LineScore> scoreBatch(List<Row> rows) {
    List<SemanticId> truths = rows.stream().map(Row::truth).toList();
    // Parse once: the reward reads the parsed answers, the ranking metrics the same lists.
    List<ParsedAnswer> answers = rows.stream().map(r -> parser.parse(r.completion())).toList();
    int[] groups = new int[rows.size()];
    for (int i = 0; i < groups.length; i++) {
      groups[i] = i;
    }
    RewardScores scores = reward.score(truths, answers, groups);
    List<LineScore> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      ParsedAnswer answer = answers.get(i);
      Map<String, Double> terms = new LinkedHashMap<>();
      for (Map.Entry<String, double[]> e : scores.terms().entrySet()) {
        terms.put(e.getKey(), e.getValue()[i]);
      }
      int rank = RankingRewards.rankOf(answer.top(k), row.truth());
      out.add(
          new LineScore(
              row.line(),
              row.sampleId(),
              scores.totals()[i],
              terms,
              rank,
              answer.items().size(),
              answer.wellFormed(),
              answer.problems().stream().map(p -> p.reason() + ": " + p.detail()).toList()));
    }
    return out;
  }

  private Row parseRow(String file, long lineNo, String line) throws MalformedInputLineException {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new MalformedInputLineException(
          file, lineNo, "not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new MalformedInputLineException(file, lineNo, "expected a JSON object per line");
    }
    String completion = completionText(file, lineNo, node.get("completion"));
    SemanticId truth = truth(file, lineNo, node);
    JsonNode sid = node.get("sample_id");
    Optional<String> sampleId =
        sid == null || sid.isNull() ? Optional.empty() : Optional.of(sid.asText());
    return new Row(lineNo, sampleId, completion, truth);
  }

  private static String completionText(String file, long lineNo, JsonNode c)
      throws MalformedInputLineException {
    if (c == null || c.isNull()) {
      throw new MalformedInputLineException(file, lineNo, "missing field 'completion'");
    }
    if (c.isTextual()) {
      return c.asText();
    }
    if (c.isArray() && !c.isEmpty()) {
      JsonNode content = c.get(c.size() - 1).get("content");
      if (content != null && content.isTextual()) {
        return content.asText();
      }
    }
    throw new MalformedInputLineException(
        file,
        lineNo,
        "'completion' must be a string or a non-empty chat list whose last message has a string"
            + " 'content'");
  }

  private SemanticId truth(String file, long lineNo, JsonNode node)
      throws MalformedInputLineException {
    SemanticId byPoi = null;
    JsonNode poiNode = node.get("ground_truth_id");
    if (poiNode != null && !poiNode.isNull()) {
      String poi = poiNode.asText();
      byPoi =
          index
              .findId(poi)
              .orElseThrow(
                  () ->
                      new MalformedInputLineException(
                          file, lineNo, "ground_truth_id '" + poi + "' is not a POI of the index"));
    }
    SemanticId byText = null;
    JsonNode textNode = node.get("ground_truth");
    if (textNode != null && !textNode.isNull()) {
      String text = textNode.asText().strip();
      if (text.startsWith("<")) {
        try {
          byText = index.format().parse(text);
          index.space().checkMember(byText);
        } catch (IllegalArgumentException e) { // IdParseException included
          throw new MalformedInputLineException(
              file, lineNo, "ground_truth '" + text + "' is not a semantic ID: " + e.getMessage());
        }
      } else {
        byText =
            index
                .findId(text)
                .orElseThrow(
                    () ->
                        new MalformedInputLineException(
                            file,
                            lineNo,
                            "ground_truth '"
                                + text
                                + "' is neither a semantic ID (<...> tokens) nor a POI of the"
                                + " index"));
      }
    }
    if (byPoi == null && byText == null) {
      JsonNode sampleId = node.get("sample_id");
      if (truthBySample.isEmpty() || sampleId == null || sampleId.isNull()) {
        throw new MalformedInputLineException(
            file,
            lineNo,
            "missing the truth: give 'ground_truth_id' (POI id) or 'ground_truth', or a"
                + " 'sample_id' with the export's samples file");
      }
      String poi = truthBySample.get(sampleId.asText());
      if (poi == null) {
        throw new MalformedInputLineException(
            file, lineNo, "sample_id '" + sampleId.asText() + "' is not in " + samplesFile);
      }
      byPoi =
          index
              .findId(poi)
              .orElseThrow(
                  () ->
                      new MalformedInputLineException(
                          file,
                          lineNo,
                          "the truth of sample_id '"
                              + sampleId.asText()
                              + "' in "
                              + samplesFile
                              + ", POI "
                              + poi
                              + ", is not a POI of the index"));
    }
    if (byPoi != null && byText != null && !byPoi.equals(byText)) {
      throw new MalformedInputLineException(
          file,
          lineNo,
          "ground_truth "
              + index.format().render(byText)
              + " disagrees with ground_truth_id's ID "
              + index.format().render(byPoi));
    }
    return byPoi != null ? byPoi : byText;
  }

  private static void writeLine(Writer out, LineScore s) throws IOException {
    ObjectNode row = JSON.createObjectNode();
    row.put("line", s.line());
    s.sampleId().ifPresent(id -> row.put("sample_id", id));
    row.put(COMPOSITE, s.composite());
    s.terms().forEach(row::put);
    row.put("rank", s.rank());
    row.put("list_length", s.listLength());
    row.put("well_formed", s.wellFormed());
    var problems = row.putArray("problems");
    s.problems().forEach(problems::add);
    JSON.writeValue(out, row);
    out.write('\n');
  }
}
