package org.refinepoi.pipeline.experiment;

import static com.google.common.base.Preconditions.checkNotNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.refinepoi.core.io.FileFormatException;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.rl.djl.HistoryPolicyConfig;

/**
 * An experiment configuration file: JSON, or YAML when the name ends in {@code .yaml} or {@code
 * .yml}. Its keys are those of {@link ExperimentConfig#describe()}, which is what {@code
 * metrics.json} and a model bundle's provenance record under {@code "config"}; so the config block
 * of an earlier run, saved as a file, reproduces that run's settings. Every key is optional: a
 * missing key keeps the builder's value. {@code "policy"} is an object with the keys of {@link
 * HistoryPolicyConfig} in snake case ({@code d_model}, {@code candidate_slots}, ...). {@code "k"}
 * (fixed at {@value ExperimentConfig#K}) and {@code "protocol"} (set by the command-line flags) are
 * accepted only with the value they already have, so a copied block never changes them silently.
 *
 * <p>An unknown key, a value of the wrong type or out of range is refused with the file and the key
 * named, before anything runs.
 */
public final class ExperimentConfigFile {

  /** Largest configuration file read, in bytes: a configuration is a few hundred bytes. */
  static final long MAX_BYTES = 1 << 20;

  private static final Set<String> POLICY_KEYS =
      new LinkedHashSet<>(
          List.of(
              "d_model",
              "layers",
              "heads",
              "mlp_width",
              "recent_check_ins",
              "candidate_slots",
              "copy",
              "summary",
              "user_embedding",
              "topology_embeddings",
              "poi_embedding",
              "list_scale",
              "seed"));

  private ExperimentConfigFile() {}

  /**
   * Reads a configuration file onto a builder.
   *
   * @param file a JSON or YAML file (by its extension)
   * @param builder the starting point (defaults, or {@link ExperimentConfig#quick()}), changed in
   *     place
   * @return the same builder
   * @throws FileFormatException naming the file and the key when the file is not a valid
   *     configuration
   * @throws IOException when it cannot be read
   */
  public static ExperimentConfig.Builder apply(Path file, ExperimentConfig.Builder builder)
      throws IOException {
    checkNotNull(file, "file");
    checkNotNull(builder, "builder");
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new FileFormatException(
          file + ": " + size + " bytes; a configuration file holds at most " + MAX_BYTES);
    }
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    ObjectMapper mapper =
        name.endsWith(".yaml") || name.endsWith(".yml")
            ? new ObjectMapper(new YAMLFactory())
            : new ObjectMapper();
    JsonNode root;
    try {
      root = mapper.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw new FileFormatException(file + ": not valid JSON/YAML: " + e.getOriginalMessage());
    }
    try {
      return apply(root, builder);
    } catch (IllegalArgumentException e) {
      throw new FileFormatException(file + ": " + e.getMessage());
    }
  }

  /**
   * Applies a parsed configuration (the object {@link ExperimentConfig#describe()} writes).
   *
   * @throws IllegalArgumentException naming the key when a value is unknown, mistyped or invalid
   */
  public static ExperimentConfig.Builder apply(JsonNode root, ExperimentConfig.Builder builder) {
    checkNotNull(builder, "builder");
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("a configuration is an object of keys and values");
    }
    ExperimentConfig base = builder.build();
    Set<String> known = new TreeSet<>(base.describe().keySet());
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        throw new IllegalArgumentException("unknown key '" + key + "'; the keys are " + known);
      }
    }
    Values v = new Values(root, base.describe());
    if (root.has("k") && v.integer("k") != ExperimentConfig.K) {
      throw new IllegalArgumentException(
          "k: the lists are always " + ExperimentConfig.K + " long, got " + v.integer("k"));
    }
    if (root.has("protocol") && !root.get("protocol").asText().equals(base.protocol().toString())) {
      throw new IllegalArgumentException(
          "protocol: set by the command line (--sample-mode), not by the file; the run's is "
              + base.protocol()
              + ", the file's "
              + root.get("protocol").asText());
    }
    try {
      builder.seed(v.longValue("seed"));
      builder.lattices(
          lattice(v.text("level1"), base.level1()), lattice(v.text("level2"), base.level2()));
      builder.prompts(v.integer("long_term_check_ins"), v.integer("short_term_check_ins"));
      builder.model(
          v.integer("d_model"), v.integer("layers"), v.integer("heads"), v.integer("mlp_width"));
      builder.sft(
          v.integer("sft_max_epochs"),
          v.integer("sft_batch_size"),
          v.decimal("sft_learning_rate"),
          v.integer("sft_patience"));
      builder.maxSftSamples(v.integer("max_sft_samples"));
      builder.maxValidationSamples(v.integer("max_validation_samples"));
      builder.grpo(
          v.integer("grpo_steps"),
          v.integer("prompts_per_batch"),
          v.decimal("grpo_learning_rate"),
          v.decimal("beta"));
      builder.groupSize(v.integer("group_size"));
      builder.temperature(v.decimal("temperature"));
      builder.beamWidth(v.integer("beam_width"));
      builder.evalBatchSize(v.integer("eval_batch_size"));
      builder.policyTraining(
          v.integer("policy_epochs"),
          v.integer("policy_batch_size"),
          v.decimal("policy_learning_rate"));
      builder.listGrpo(
          v.integer("rl_steps"),
          v.integer("rl_prompts_per_batch"),
          v.integer("rl_group_size"),
          v.decimal("rl_learning_rate"),
          v.decimal("rl_beta"));
      builder.listTemperature(v.decimal("rl_temperature"));
      builder.validateEvery(v.integer("rl_validate_every"));
      if (root.has("ablations")) {
        builder.ablations(ablations(root.get("ablations")));
      }
      if (root.has("policy")) {
        builder.policy(policy(root.get("policy"), base.policy()));
      }
      builder.build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return builder;
  }

  /** The policy's settings in the snake-case keys this file and {@code describe()} use. */
  static Map<String, Object> describe(HistoryPolicyConfig p) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("d_model", p.dModel());
    m.put("layers", p.layers());
    m.put("heads", p.heads());
    m.put("mlp_width", p.mlpWidth());
    m.put("recent_check_ins", p.recentCheckIns());
    m.put("candidate_slots", p.candidateSlots());
    m.put("copy", p.copy());
    m.put("summary", p.summary());
    m.put("user_embedding", p.userEmbedding());
    m.put("topology_embeddings", p.topologyEmbeddings());
    m.put("poi_embedding", p.poiEmbedding());
    m.put("list_scale", p.listScale());
    m.put("seed", p.seed());
    return m;
  }

  private static HistoryPolicyConfig policy(JsonNode node, HistoryPolicyConfig base) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(
          "policy: an object with the keys " + POLICY_KEYS + ", got " + node);
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!POLICY_KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "unknown key 'policy." + key + "'; the policy's keys are " + POLICY_KEYS);
      }
    }
    Values v = new Values(node, describe(base), "policy.");
    return base.toBuilder()
        .model(
            v.integer("d_model"), v.integer("layers"), v.integer("heads"), v.integer("mlp_width"))
        .context(v.integer("recent_check_ins"), v.integer("candidate_slots"))
        .copy(v.bool("copy"))
        .summary(v.bool("summary"))
        .userEmbedding(v.bool("user_embedding"))
        .topologyEmbeddings(v.bool("topology_embeddings"))
        .poiEmbedding(v.bool("poi_embedding"))
        .listScale(v.decimal("list_scale"))
        .seed(v.longValue("seed"))
        .build();
  }

  private static Set<ExperimentConfig.Ablation> ablations(JsonNode node) {
    Set<ExperimentConfig.Ablation> out = EnumSet.noneOf(ExperimentConfig.Ablation.class);
    if (!node.isArray()) {
      throw new IllegalArgumentException(
          "ablations: a list of ablation keys (for example [\"copy-off\"]), got " + node);
    }
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw new IllegalArgumentException("ablations: each item is a key, got " + item);
      }
      out.add(ExperimentConfig.Ablation.ofKey(item.asText()));
    }
    return out;
  }

  /** A lattice "RxC"; keeps the current topology when the size is the current one. */
  private static LatticeSpec lattice(String value, LatticeSpec current) {
    String[] parts = value.toLowerCase(Locale.ROOT).split("x", -1);
    try {
      if (parts.length == 2) {
        int rows = Integer.parseInt(parts[0].trim());
        int cols = Integer.parseInt(parts[1].trim());
        if (rows == current.rows() && cols == current.cols()) {
          return current;
        }
        return LatticeSpec.rectangular(rows, cols);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("a lattice is ROWSxCOLS, for example 16x16, got " + value);
  }

  /** Typed values of an object, each falling back to the current value of its key. */
  private static final class Values {
    private final JsonNode node;
    private final Map<String, Object> current;
    private final String prefix;

    Values(JsonNode node, Map<String, Object> current) {
      this(node, current, "");
    }

    Values(JsonNode node, Map<String, Object> current, String prefix) {
      this.node = node;
      this.current = current;
      this.prefix = prefix;
    }

    private JsonNode get(String key) {
      return node.get(key);
    }

    int integer(String key) {
      JsonNode n = get(key);
      if (n == null) {
        return ((Number) current.get(key)).intValue();
      }
      if (!n.isIntegralNumber() || !n.canConvertToInt()) {
        throw new IllegalArgumentException(prefix + key + ": a whole number, got " + n);
      }
      return n.intValue();
    }

    long longValue(String key) {
      JsonNode n = get(key);
      if (n == null) {
        return ((Number) current.get(key)).longValue();
      }
      if (!n.isIntegralNumber() || !n.canConvertToLong()) {
        throw new IllegalArgumentException(prefix + key + ": a whole number, got " + n);
      }
      return n.longValue();
    }

    double decimal(String key) {
      JsonNode n = get(key);
      if (n == null) {
        return ((Number) current.get(key)).doubleValue();
      }
      if (!n.isNumber() || !Double.isFinite(n.doubleValue())) {
        throw new IllegalArgumentException(prefix + key + ": a finite number, got " + n);
      }
      return n.doubleValue();
    }

    boolean bool(String key) {
      JsonNode n = get(key);
      if (n == null) {
        return (Boolean) current.get(key);
      }
      if (!n.isBoolean()) {
        throw new IllegalArgumentException(prefix + key + ": true or false, got " + n);
      }
      return n.booleanValue();
    }

    String text(String key) {
      JsonNode n = get(key);
      if (n == null) {
        return String.valueOf(current.get(key));
      }
      if (!n.isTextual()) {
        throw new IllegalArgumentException(prefix + key + ": a string, got " + n);
      }
      return n.asText();
    }
  }

  /** The keys a configuration file may hold, for documentation and messages. */
  public static List<String> keys() {
    List<String> out = new ArrayList<>(ExperimentConfig.builder().build().describe().keySet());
    for (String k : POLICY_KEYS) {
      out.add("policy." + k);
    }
    return out;
  }
}
