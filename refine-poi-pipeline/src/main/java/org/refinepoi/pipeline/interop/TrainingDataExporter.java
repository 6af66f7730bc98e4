package org.refinepoi.pipeline.interop;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.io.AtomicFiles;
import org.refinepoi.core.prompt.PromptRenderer;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.protocol.Split;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.pipeline.ids.IdScheme;

/**
 * Writes the samples of a split, their text prompts and the ID vocabulary in the shapes that Python
 * RL trainers read, so a team can fine-tune a real LLM on the IDs and rewards defined here:
 *
 * <ul>
 *   <li>{@code trl-<split>.jsonl}: one object per line for Hugging Face TRL's {@code GRPOTrainer}
 *       ({@code datasets.load_dataset("json", data_files=...)}): {@code prompt} (the conversational
 *       {@code [{"role":"user","content":...}]} list, or the plain string with {@link
 *       PromptStyle#TEXT}) and the extra columns TRL hands to reward functions as keyword
 *       arguments: {@code ground_truth} (the target's semantic ID as the model should write it),
 *       {@code ground_truth_id} (the target's POI id), {@code sample_id}, {@code user}, {@code
 *       cold_start}, {@code split}.
 *   <li>{@code verl-<split>.jsonl}: verl's RL dataset records: {@code data_source}, {@code prompt}
 *       (chat list), {@code ability}, {@code reward_model: {"style":"rule","ground_truth":...}},
 *       {@code extra_info: {split, index, sample_id, ground_truth_id, user, cold_start}}. verl
 *       reads parquet: convert with {@code pandas.read_json(path, lines=True).to_parquet(...)} (the
 *       Java Parquet writers on Maven Central need Hadoop on the class path, hence JSONL).
 *   <li>{@code sft-<split>.jsonl}, for the train and validation splits only (never beside the test
 *       prompts): TRL's conversational prompt-completion format for {@code SFTTrainer}, {@code
 *       prompt} as in the TRL file and {@code completion} {@code
 *       [{"role":"assistant","content":"<think></think><answer>ID, ID, ...</answer>"}]} (plain
 *       strings with {@link PromptStyle#TEXT}), the answer the rewards parse with the target first
 *       ({@link SftAnswer} says what fills the list), plus {@code ground_truth}, {@code
 *       ground_truth_id}, {@code sample_id}, {@code split}.
 *   <li>{@code added_tokens.txt}: the tokens to add to the LLM's tokenizer, one a line: the ID
 *       tokens in dense order, then the answer tags ({@code tokenizer.add_tokens(lines,
 *       special_tokens=False)}; ordinary tokens, since TRL and verl decode with {@code
 *       skip_special_tokens=True}).
 *   <li>{@code vocab.json}: the ID tokens to add to the LLM's tokenizer (dense order), the lattices
 *       of the ID space, the collision slots, and every POI with its semantic ID, category and
 *       coordinates.
 *   <li>{@code index.sid}: the {@link SemanticIdIndex} itself (checksummed binary), which {@code
 *       refine-poi score} reads to score the model's completions.
 *   <li>{@code manifest.json} ({@link ExportManifest}): format name and version, the settings, and
 *       the SHA-256 and line count of every file above, so a truncated, edited or mixed export is
 *       detected; {@code refine-poi score} checks the files it reads against it.
 * </ul>
 *
 * Every file is written atomically, and durably, the manifest last. Sample ids are {@code
 * <split>-<ordinal>} in the protocol's sample order, stable for the same data and protocol
 * settings.
 */
public final class TrainingDataExporter {

  /** The format name in {@code manifest.json} and {@code vocab.json}. */
  public static final String FORMAT = "refine-poi-export";

  /** The export layout's version; bumped on any incompatible change. */
  public static final int FORMAT_VERSION = 1;

  /** The file name of the ID vocabulary. */
  public static final String VOCAB_FILE = "vocab.json";

  /** The file name of the tokenizer additions (one token a line). */
  public static final String TOKENS_FILE = "added_tokens.txt";

  /** The file name of the semantic-ID index. */
  public static final String INDEX_FILE = "index.sid";

  /** The file name of the manifest. */
  public static final String MANIFEST_FILE = ExportManifest.FILE;

  /** verl's {@code ability} field of every record. */
  public static final String ABILITY = "next_poi_recommendation";

  /** The tags a completion must use (the answer format of {@link PromptRenderer}). */
  public static final List<String> ANSWER_TAGS =
      List.of("<think>", "</think>", "<answer>", "</answer>");

  /** How the TRL file writes the prompt. */
  public enum PromptStyle {
    /** TRL's conversational format: {@code [{"role":"user","content":"..."}]} (the default). */
    CHAT,
    /** TRL's standard format: the prompt as a plain string. */
    TEXT
  }

  /**
   * What an export wrote.
   *
   * @param split the split exported
   * @param samples number of samples (lines of each JSONL file)
   * @param files the files written, manifest last
   */
  public record Summary(Split split, int samples, List<Path> files) {

    /** Copies the list. */
    public Summary {
      files = List.copyOf(files);
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          // writeText flushes once at the end, not after every line.
          .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

  private final int k;
  private final int longTermCheckIns;
  private final PromptStyle promptStyle;
  private final String dataSource;
  private final String idScheme;
  private final SftAnswer sftAnswer;

  private TrainingDataExporter(Builder b) {
    this.k = b.k;
    this.longTermCheckIns = b.longTermCheckIns;
    this.promptStyle = b.promptStyle;
    this.dataSource = b.dataSource;
    this.idScheme = b.idScheme;
    this.sftAnswer = b.sftAnswer;
  }

  /**
   * A builder with the defaults: k = 10, 20 long-term check-ins, chat prompts, ranked-list SFT
   * answers.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Exports one split.
   *
   * @param data the prepared data (its dataset's POIs must all be in the index)
   * @param index the POIs' semantic IDs
   * @param split the split whose samples to write
   * @param dir the output directory, created when missing
   * @return what was written
   * @throws IllegalArgumentException when the split has no samples or a POI has no ID
   */
  public Summary export(PreparedData data, SemanticIdIndex index, Split split, Path dir)
      throws IOException {
    checkNotNull(data, "data");
    checkNotNull(index, "index");
    checkNotNull(split, "split");
    checkNotNull(dir, "dir");
    CheckInDataset dataset = data.dataset();
    for (Poi poi : dataset.pois()) {
      checkArgument(index.contains(poi.id()), "POI %s has no semantic ID in the index", poi.id());
    }
    List<Sample> samples = data.samples(split);
    checkArgument(
        !samples.isEmpty(), "the %s split of %s has no samples", splitName(split), dataset.name());
    Files.createDirectories(dir);
    PromptRenderer renderer =
        PromptRenderer.builder()
            .dataset(dataset)
            .idIndex(index)
            .longTermCheckIns(longTermCheckIns)
            .k(k)
            .build();
    String source = dataSource != null ? dataSource : "refine-poi/" + dataset.name();

    Path trl = dir.resolve("trl-" + splitName(split) + ".jsonl");
    Path verl = dir.resolve("verl-" + splitName(split) + ".jsonl");
    // Each file replaces its predecessor atomically; the manifest comes last, so until it is in
    // place the folder's manifest (if any) is an earlier export's and the new files fail its
    // checksums: an export cut short is detected, never taken for a complete one.
    String trlSha = writeText(trl, out -> writeTrl(out, samples, dataset, index, renderer, split));
    String verlSha =
        writeText(verl, out -> writeVerl(out, samples, dataset, index, renderer, split, source));
    Path sft = dir.resolve("sft-" + splitName(split) + ".jsonl");
    String sftSha = null;
    if (split != Split.TEST) {
      SftAnswer.Lists answers = new SftAnswer.Lists(sftAnswer, dataset, index, k, longTermCheckIns);
      sftSha =
          writeText(sft, out -> writeSft(out, samples, dataset, index, renderer, split, answers));
    }
    String tokensSha = writeText(dir.resolve(TOKENS_FILE), out -> writeTokens(out, index));
    String vocabSha = writeText(dir.resolve(VOCAB_FILE), out -> writeVocab(out, dataset, index));
    index.save(dir.resolve(INDEX_FILE));
    String indexSha = ExportManifest.sha256(dir.resolve(INDEX_FILE));

    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("format", FORMAT);
    manifest.put("format_version", FORMAT_VERSION);
    manifest.put("dataset", dataset.name());
    manifest.put("data_source", source);
    manifest.put("split", splitName(split));
    manifest.put("samples", samples.size());
    manifest.put("k", k);
    manifest.put("id_scheme", idScheme);
    manifest.put("id_format", index.format().name());
    manifest.put("prompt_style", promptStyle.name().toLowerCase(Locale.ROOT));
    manifest.put("sft_answer", sftAnswer.cliName());
    ObjectNode files = manifest.putObject("files");
    fileEntry(files, trl, trlSha, samples.size());
    fileEntry(files, verl, verlSha, samples.size());
    if (sftSha != null) {
      fileEntry(files, sft, sftSha, samples.size());
    }
    fileEntry(files, dir.resolve(TOKENS_FILE), tokensSha, -1);
    fileEntry(files, dir.resolve(VOCAB_FILE), vocabSha, -1);
    fileEntry(files, dir.resolve(INDEX_FILE), indexSha, -1);
    Path manifestFile = dir.resolve(MANIFEST_FILE);
    ExportManifest.of(manifest).write(manifestFile);
    List<Path> written = new ArrayList<>();
    written.add(trl);
    written.add(verl);
    if (sftSha != null) {
      written.add(sft);
    }
    written.add(dir.resolve(TOKENS_FILE));
    written.add(dir.resolve(VOCAB_FILE));
    written.add(dir.resolve(INDEX_FILE));
    written.add(manifestFile);
    return new Summary(split, samples.size(), written);
  }

  /** Writes text through a callback. */
  @FunctionalInterface
  private interface TextBody {
    void writeTo(Writer out) throws IOException;
  }

  /**
   * Writes a UTF-8 text file atomically.
   *
   * @return the lower-case hex SHA-256 of the bytes written
   */
  private static String writeText(Path file, TextBody body) throws IOException {
    MessageDigest sha = ExportManifest.sha256();
    AtomicFiles.writeStream(
        file,
        raw -> {
          Writer out = new OutputStreamWriter(new DigestOutputStream(raw, sha), UTF_8);
          body.writeTo(out);
          out.flush();
        });
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void fileEntry(ObjectNode files, Path file, String sha, int lines) {
    ObjectNode entry = files.putObject(file.getFileName().toString());
    entry.put("sha256", sha);
    if (lines >= 0) {
      entry.put("lines", lines);
    }
  }

  /** The sample id of the {@code ordinal}-th sample of a split: {@code test-17}. */
  public static String sampleId(Split split, int ordinal) {
    return splitName(split) + "-" + ordinal;
  }

  /** The lower-case name of a split ({@code train}, {@code validation}, {@code test}). */
  public static String splitName(Split split) {
    return split.name().toLowerCase(Locale.ROOT);
  }

  private void writeTrl(
      Writer out,
      List<Sample> samples,
      CheckInDataset dataset,
      SemanticIdIndex index,
      PromptRenderer renderer,
      Split split)
      throws IOException {
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      ObjectNode row = JSON.createObjectNode();
      String prompt = renderer.render(s);
      if (promptStyle == PromptStyle.CHAT) {
        chat(row.putArray("prompt"), prompt);
      } else {
        row.put("prompt", prompt);
      }
      String targetPoi = dataset.poi(s.targetPoi()).id();
      row.put("ground_truth", index.format().render(index.idOf(targetPoi)));
      row.put("ground_truth_id", targetPoi);
      row.put("sample_id", sampleId(split, i));
      row.put("user", dataset.userIds().get(s.user()));
      row.put("cold_start", s.coldStart());
      row.put("split", splitName(split));
      JSON.writeValue(out, row);
      out.write('\n');
    }
  }

  private static void writeVerl(
      Writer out,
      List<Sample> samples,
      CheckInDataset dataset,
      SemanticIdIndex index,
      PromptRenderer renderer,
      Split split,
      String source)
      throws IOException {
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      String targetPoi = dataset.poi(s.targetPoi()).id();
      ObjectNode row = JSON.createObjectNode();
      row.put("data_source", source);
      chat(row.putArray("prompt"), renderer.render(s));
      row.put("ability", ABILITY);
      ObjectNode reward = row.putObject("reward_model");
      reward.put("style", "rule");
      reward.put("ground_truth", index.format().render(index.idOf(targetPoi)));
      ObjectNode extra = row.putObject("extra_info");
      extra.put("split", splitName(split));
      extra.put("index", i);
      extra.put("sample_id", sampleId(split, i));
      extra.put("ground_truth_id", targetPoi);
      extra.put("user", dataset.userIds().get(s.user()));
      extra.put("cold_start", s.coldStart());
      JSON.writeValue(out, row);
      out.write('\n');
    }
  }

  private void writeSft(
      Writer out,
      List<Sample> samples,
      CheckInDataset dataset,
      SemanticIdIndex index,
      PromptRenderer renderer,
      Split split,
      SftAnswer.Lists answers)
      throws IOException {
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      ObjectNode row = JSON.createObjectNode();
      String prompt = renderer.render(s);
      String answer = renderer.renderAnswer(answers.idsOf(s));
      if (promptStyle == PromptStyle.CHAT) {
        chat(row.putArray("prompt"), prompt);
        message(row.putArray("completion"), "assistant", answer);
      } else {
        row.put("prompt", prompt);
        row.put("completion", answer);
      }
      String targetPoi = dataset.poi(s.targetPoi()).id();
      row.put("ground_truth", index.format().render(index.idOf(targetPoi)));
      row.put("ground_truth_id", targetPoi);
      row.put("sample_id", sampleId(split, i));
      row.put("split", splitName(split));
      JSON.writeValue(out, row);
      out.write('\n');
    }
  }

  /** The tokenizer additions: the ID tokens in dense order, then the answer tags, one a line. */
  private static void writeTokens(Writer out, SemanticIdIndex index) throws IOException {
    List<String> tokens = new ArrayList<>(index.vocabulary().tokens());
    tokens.addAll(ANSWER_TAGS);
    for (String token : tokens) {
      // A line per token: a token with a line break or blank would not read back as itself.
      checkArgument(
          !token.isBlank() && token.strip().equals(token) && token.lines().count() == 1,
          "token '%s' cannot be written one a line",
          token);
      out.write(token);
      out.write('\n');
    }
  }

  private static void chat(ArrayNode messages, String content) {
    message(messages, "user", content);
  }

  private static void message(ArrayNode messages, String role, String content) {
    ObjectNode m = messages.addObject();
    m.put("role", role);
    m.put("content", content);
  }

  private void writeVocab(Writer out, CheckInDataset dataset, SemanticIdIndex index)
      throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT + "-vocab");
    root.put("format_version", FORMAT_VERSION);
    root.put("id_scheme", idScheme);
    root.put("id_format", index.format().name());
    root.put("tokens_per_id", index.format().tokensPerId());
    ArrayNode levels = root.putArray("levels");
    for (LatticeSpec lattice : index.space().levels()) {
      ObjectNode level = levels.addObject();
      level.put("rows", lattice.rows());
      level.put("cols", lattice.cols());
      level.put("topology", lattice.topology().name().toLowerCase(Locale.ROOT));
      level.put("toroidal", lattice.toroidal());
    }
    root.put("slot_count", index.slotCount());
    ArrayNode tags = root.putArray("answer_tags");
    ANSWER_TAGS.forEach(tags::add);
    ArrayNode tokens = root.putArray("tokens");
    index.vocabulary().tokens().forEach(tokens::add);
    ArrayNode pois = root.putArray("pois");
    for (Poi poi : dataset.pois()) {
      SemanticId id = index.idOf(poi.id());
      ObjectNode p = pois.addObject();
      p.put("poi_id", poi.id());
      p.put("semantic_id", index.format().render(id));
      p.put("category", poi.categoryName());
      p.put("latitude", poi.latitude());
      p.put("longitude", poi.longitude());
    }
    JSON.writeValue(out, root);
    out.write('\n');
  }

  /** Builder of a {@link TrainingDataExporter}; every setting has a documented default. */
  public static final class Builder {
    private int k = PromptRenderer.DEFAULT_K;
    private int longTermCheckIns = PromptRenderer.DEFAULT_LONG_TERM;
    private PromptStyle promptStyle = PromptStyle.CHAT;
    private String dataSource;
    private String idScheme = IdScheme.HSOM_TREE.cliName();
    private SftAnswer sftAnswer = SftAnswer.RANKED_LIST;

    private Builder() {}

    /** What the SFT file's completions list (default {@link SftAnswer#RANKED_LIST}). */
    public Builder sftAnswer(SftAnswer value) {
      this.sftAnswer = checkNotNull(value, "sftAnswer");
      return this;
    }

    /** The list length the prompts ask for (default 10), {@code >= 1}. */
    public Builder k(int value) {
      checkArgument(value >= 1, "k must be >= 1, got %s", value);
      this.k = value;
      return this;
    }

    /** How many recent long-term check-ins each prompt shows (default 20; 0 = none). */
    public Builder longTermCheckIns(int value) {
      checkArgument(value >= 0, "longTermCheckIns must be >= 0, got %s", value);
      this.longTermCheckIns = value;
      return this;
    }

    /** How the TRL file writes prompts (default {@link PromptStyle#CHAT}). */
    public Builder promptStyle(PromptStyle value) {
      this.promptStyle = checkNotNull(value, "promptStyle");
      return this;
    }

    /** verl's {@code data_source} (default {@code refine-poi/<dataset name>}). */
    public Builder dataSource(String value) {
      checkNotNull(value, "dataSource");
      checkArgument(!value.isBlank(), "dataSource must not be blank");
      this.dataSource = value;
      return this;
    }

    /** The ID scheme's name recorded in the manifest and vocabulary (default {@code hsom}). */
    public Builder idScheme(String value) {
      checkNotNull(value, "idScheme");
      this.idScheme = value;
      return this;
    }

    /** Builds the exporter. */
    public TrainingDataExporter build() {
      return new TrainingDataExporter(this);
    }
  }
}
