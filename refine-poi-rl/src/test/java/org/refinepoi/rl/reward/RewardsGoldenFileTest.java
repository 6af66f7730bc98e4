package org.refinepoi.rl.reward;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.sid.IdFormat;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.LatticeSpec.Topology;
import org.refinepoi.core.sid.LatticeTokenFormat;
import org.refinepoi.core.sid.RowColumnTokenFormat;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.rl.reward.CompositeReward.Combination;

/**
 * The golden file of the Python rewards bridge ({@code interop/python}): completions, hostile ones
 * included, scored by every Java reward term and composite, next to the ID distances of the same
 * spaces. This test recomputes everything and compares it with the committed {@value #RESOURCE}
 * (numbers to {@value #TOLERANCE}, everything else exactly); the Python unittest reads the same
 * file and checks its own rewards against it ({@link PythonRewardsBridgeTest} runs it).
 *
 * <p>After an intended change to a reward, rewrite the file with {@code mvn -pl refine-poi-rl test
 * -Dtest=RewardsGoldenFileTest -Drefinepoi.golden.write=true} (from the repository root) and review
 * the diff.
 *
 * <p>Two ID spaces cover both token formats, both topologies, planar and toroidal lattices, and
 * colliding POIs: A, {@link LatticeTokenFormat} over a 12×10 rectangular lattice then a 4×4
 * hexagonal torus, k = 5; B, {@link RowColumnTokenFormat} over a 5×7 hexagonal lattice then a 6×6
 * rectangular torus, k = 3. Term variants beyond the paper's defaults (their names in the file):
 * {@code format_partial} (partial credit), {@code length_geometric} (ratio 0.5), {@code
 * soft_accuracy_exponential} (exponential decay, length scale 1.5, reciprocal discount), {@code
 * soft_accuracy_bands} (bands [0.05, 0.2] and [0.3, 0.6], slot similarity 0.8, no discount); the
 * composites are {@link CompositeReward#paperTerms} plus NDCG@k with weight 0, combined by each
 * {@link Combination} over the whole space's batch (groups of four consecutive cases), and the
 * weighted mean without gating.
 */
class RewardsGoldenFileTest {

  static final String RESOURCE = "/interop/rewards-golden.jsonl";
  static final String SOURCE = "src/test/resources/interop/rewards-golden.jsonl";
  static final String WRITE_PROPERTY = "refinepoi.golden.write";
  static final double TOLERANCE = 1e-9;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One ID space of the file. */
  private record Space(String name, SemanticIdIndex index, int k) {}

  /** One scored completion. */
  private record Case(String name, String completion, SemanticId truth) {}

  @Test
  void javaRewardsMatchTheCommittedGoldenFile() throws IOException {
    List<ObjectNode> lines = new ArrayList<>();
    lines.addAll(lines(spaceA()));
    lines.addAll(lines(spaceB()));
    if (Boolean.getBoolean(WRITE_PROPERTY)) {
      StringBuilder sb = new StringBuilder();
      for (ObjectNode line : lines) {
        sb.append(JSON.writeValueAsString(line)).append('\n');
      }
      Path file = Path.of(SOURCE);
      Files.createDirectories(file.getParent());
      Files.writeString(file, sb.toString(), UTF_8);
      return; // the class path holds the previous copy until the next build
    }
    List<JsonNode> committed = new ArrayList<>();
    try (InputStream in = RewardsGoldenFileTest.class.getResourceAsStream(RESOURCE)) {
      assertThat(in)
          .as("%s on the test class path: write it with -D%s=true", RESOURCE, WRITE_PROPERTY)
          .isNotNull();
      for (String line : new String(in.readAllBytes(), UTF_8).split("\n")) {
        if (!line.isBlank()) {
          committed.add(JSON.readTree(line));
        }
      }
    }
    assertThat(committed).as("lines of %s", RESOURCE).hasSameSizeAs(lines);
    for (int i = 0; i < lines.size(); i++) {
      compare(committed.get(i), lines.get(i), "line " + (i + 1));
    }
  }

  @Test
  void theCasesCoverEveryParseProblemAndBothGatingOutcomes() {
    for (Space space : List.of(spaceA(), spaceB())) {
      AnswerParser parser = AnswerParser.forIndex(space.index(), space.k());
      FormatReward strict = FormatReward.strict(space.k());
      java.util.Set<ParseProblem.Reason> seen = java.util.EnumSet.noneOf(ParseProblem.Reason.class);
      int passing = 0;
      for (Case c : cases(space)) {
        ParsedAnswer a = parser.parse(c.completion());
        a.problems().forEach(p -> seen.add(p.reason()));
        passing += strict.passes(a) ? 1 : 0;
      }
      assertThat(seen).as(space.name()).containsExactlyInAnyOrder(ParseProblem.Reason.values());
      assertThat(passing).as(space.name()).isBetween(5, cases(space).size() - 10);
    }
  }

  private static Space spaceA() {
    IdSpace space =
        IdSpace.of(
            LatticeSpec.rectangular(12, 10), new LatticeSpec(4, 4, Topology.HEXAGONAL, true));
    return new Space("A", index(space, LatticeTokenFormat.of(space), 41), 5);
  }

  private static Space spaceB() {
    IdSpace space =
        IdSpace.of(LatticeSpec.hexagonal(5, 7), new LatticeSpec(6, 6, Topology.RECTANGULAR, true));
    return new Space("B", index(space, RowColumnTokenFormat.of(space), 43), 3);
  }

  /**
   * About sixty POIs whose level-0 cells come from a few cells, so that leaves collide and slots
   * above 0 occur.
   */
  private static SemanticIdIndex index(IdSpace space, IdFormat format, long seed) {
    Random rnd = new Random(seed);
    SemanticIdIndex.Builder b = SemanticIdIndex.builder(space).format(format);
    Map<String, Integer> slots = new HashMap<>();
    int size0 = space.level(0).size();
    int size1 = space.level(1).size();
    int[] hot = {0, size0 - 1, size0 / 2, rnd.nextInt(size0), rnd.nextInt(size0)};
    for (int p = 0; p < 60; p++) {
      int c0 = p % 3 == 0 ? rnd.nextInt(size0) : hot[rnd.nextInt(hot.length)];
      int c1 = p % 4 == 0 ? 0 : rnd.nextInt(size1);
      int slot = slots.merge(c0 + "/" + c1, 1, Integer::sum) - 1;
      b.add(String.format(Locale.ROOT, "poi-%02d", p), SemanticId.of(new int[] {c0, c1}, slot));
    }
    return b.build();
  }

  private static List<ObjectNode> lines(Space space) {
    SemanticIdIndex index = space.index();
    int k = space.k();
    IdFormat format = index.format();
    List<ObjectNode> out = new ArrayList<>();

    ObjectNode header = JSON.createObjectNode();
    header.put("kind", "space");
    header.put("space", space.name());
    header.put("k", k);
    ObjectNode vocab = header.putObject("vocab");
    vocab.put("id_format", format.name());
    vocab.put("tokens_per_id", format.tokensPerId());
    ArrayNode levels = vocab.putArray("levels");
    for (LatticeSpec lattice : index.space().levels()) {
      ObjectNode level = levels.addObject();
      level.put("rows", lattice.rows());
      level.put("cols", lattice.cols());
      level.put("topology", lattice.topology().name().toLowerCase(Locale.ROOT));
      level.put("toroidal", lattice.toroidal());
    }
    vocab.put("slot_count", index.slotCount());
    ArrayNode tokens = vocab.putArray("tokens");
    index.vocabulary().tokens().forEach(tokens::add);
    ArrayNode pois = vocab.putArray("pois");
    for (SemanticIdIndex.Entry e : index.entries()) {
      ObjectNode p = pois.addObject();
      p.put("poi_id", e.poiId());
      p.put("semantic_id", format.render(e.id()));
    }
    out.add(header);

    Map<String, SoftAccuracyReward> soft = softVariants(index.space(), k);
    List<SemanticId> ids = index.entries().stream().map(SemanticIdIndex.Entry::id).toList();
    Random rnd = new Random(17);
    for (int i = 0; i < 40; i++) {
      SemanticId a = ids.get(rnd.nextInt(ids.size()));
      SemanticId b =
          i % 7 == 3
              ? SemanticId.of(a.cells(), a.collisionSlot() + 1)
              : i % 5 == 0 ? a : ids.get(rnd.nextInt(ids.size()));
      ObjectNode d = JSON.createObjectNode();
      d.put("kind", "distance");
      d.put("space", space.name());
      d.put("a", format.render(a));
      d.put("b", format.render(b));
      d.put("distance", index.space().distance(a, b));
      ObjectNode sim = d.putObject("similarity");
      soft.forEach((name, reward) -> sim.put(name, reward.similarity(a, b)));
      out.add(d);
    }

    List<Case> cases = cases(space);
    AnswerParser parser = AnswerParser.forIndex(index, k);
    List<ParsedAnswer> answers = cases.stream().map(c -> parser.parse(c.completion())).toList();
    List<Optional<SemanticId>> truths =
        cases.stream().map(c -> Optional.ofNullable(c.truth())).toList();
    int[] groups = new int[cases.size()];
    for (int i = 0; i < groups.length; i++) {
      groups[i] = i / 4;
    }
    Map<String, RankingReward> terms = new LinkedHashMap<>();
    terms.put("format", FormatReward.strict(k));
    terms.put("format_partial", new FormatReward(k, true));
    terms.put("reciprocal_rank", RankingRewards.reciprocalRank(k));
    terms.put("ndcg", RankingRewards.ndcg(k));
    terms.putAll(soft);
    terms.put("diversity", RankingRewards.diversity());
    terms.put("length", LengthReward.linear(k));
    terms.put("length_geometric", new LengthReward(k, LengthReward.Shape.GEOMETRIC, 0.5));

    Map<String, RewardScores> composites = new LinkedHashMap<>();
    for (Combination c : Combination.values()) {
      composites.put(
          c.name().toLowerCase(Locale.ROOT),
          composite(index, k, c, true).score(truths, answers, groups));
    }
    composites.put(
        "ungated",
        composite(index, k, Combination.WEIGHTED_MEAN, false).score(truths, answers, groups));

    for (int i = 0; i < cases.size(); i++) {
      Case c = cases.get(i);
      ParsedAnswer a = answers.get(i);
      ObjectNode line = JSON.createObjectNode();
      line.put("kind", "case");
      line.put("space", space.name());
      line.put("case", c.name());
      line.put("group", groups[i]);
      line.put("completion", c.completion());
      if (c.truth() == null) {
        line.putNull("ground_truth");
      } else {
        line.put("ground_truth", format.render(c.truth()));
      }
      ObjectNode parsed = line.putObject("parsed");
      ArrayNode items = parsed.putArray("items");
      a.items().forEach(id -> items.add(format.render(id)));
      parsed.put("entries", a.entryCount());
      parsed.put("answer_found", a.answerFound());
      parsed.put("well_formed", a.wellFormed());
      ArrayNode reasons = parsed.putArray("problems");
      a.problems().forEach(p -> reasons.add(p.reason().name()));
      ObjectNode termValues = line.putObject("terms");
      for (Map.Entry<String, RankingReward> t : terms.entrySet()) {
        if (c.truth() == null) {
          termValues.putNull(t.getKey());
        } else {
          termValues.put(t.getKey(), t.getValue().score(a, c.truth()));
        }
      }
      ObjectNode totals = line.putObject("composite");
      int at = i;
      composites.forEach((name, scores) -> putNumber(totals, name, scores.totals()[at]));
      ObjectNode breakdown = line.putObject("composite_terms");
      composites
          .get("weighted_mean")
          .terms()
          .forEach((name, values) -> putNumber(breakdown, name, values[at]));
      out.add(line);
    }
    return out;
  }

  private static void putNumber(ObjectNode node, String name, double value) {
    if (Double.isNaN(value)) {
      node.putNull(name);
    } else {
      node.put(name, value);
    }
  }

  private static Map<String, SoftAccuracyReward> softVariants(IdSpace space, int k) {
    Map<String, SoftAccuracyReward> soft = new LinkedHashMap<>();
    soft.put("soft_accuracy", SoftAccuracyReward.builder(space, k).build());
    soft.put(
        "soft_accuracy_exponential",
        SoftAccuracyReward.builder(space, k)
            .decay(SoftAccuracyReward.Decay.EXPONENTIAL)
            .lengthScale(1.5)
            .discount(RankDiscount.RECIPROCAL)
            .build());
    soft.put(
        "soft_accuracy_bands",
        SoftAccuracyReward.builder(space, k)
            .band(0, 0.05, 0.2)
            .band(1, 0.3, 0.6)
            .slotSimilarity(0.8)
            .discount(RankDiscount.NONE)
            .build());
    return soft;
  }

  /** A composite scoring parsed answers against given truths. */
  private static final class Scored {
    private final CompositeReward<Optional<SemanticId>, ParsedAnswer> reward;

    Scored(CompositeReward<Optional<SemanticId>, ParsedAnswer> reward) {
      this.reward = reward;
    }

    RewardScores score(
        List<Optional<SemanticId>> truths, List<ParsedAnswer> answers, int[] groups) {
      return reward.score(truths, answers, groups);
    }
  }

  private static Scored composite(SemanticIdIndex index, int k, Combination how, boolean gated) {
    Function<Optional<SemanticId>, Optional<SemanticId>> truthOf = t -> t;
    CompositeReward.Builder<Optional<SemanticId>, ParsedAnswer> b =
        CompositeReward.<Optional<SemanticId>, ParsedAnswer>paperTerms(
                truthOf, answer -> answer, SoftAccuracyReward.builder(index.space(), k).build(), k)
            .add(RankingRewards.ndcg(k), 0.0)
            .combination(how);
    if (!gated) {
      b.noGating();
    }
    return new Scored(b.build());
  }

  /** Hand-written cases (hostile ones included), then seeded random ones. */
  static List<Case> cases(Space space) {
    SemanticIdIndex index = space.index();
    IdFormat format = index.format();
    int k = space.k();
    List<SemanticId> ids = index.entries().stream().map(SemanticIdIndex.Entry::id).toList();
    Function<SemanticId, String> r = format::render;
    SemanticId truth = ids.get(7);
    List<SemanticId> others = new ArrayList<>(ids);
    others.remove(truth);
    List<SemanticId> near =
        index.nearest(truth, k + 1).stream()
            .map(SemanticIdIndex.Neighbor::id)
            .filter(id -> !id.equals(truth))
            .limit(k)
            .toList();
    SemanticId collided =
        ids.stream().filter(id -> id.collisionSlot() > 0).findFirst().orElseThrow();
    SemanticId collidedSlot0 = SemanticId.of(collided.cells(), 0);
    SemanticId unknown = unknownId(index);
    SemanticId slotOutsideVocabulary = SemanticId.of(truth.cells(), index.slotCount() + 3);
    List<String> truthTokens = format.tokensOf(truth);
    List<String> otherTokens = format.tokensOf(others.get(3));

    List<Case> cases = new ArrayList<>();
    cases.add(
        new Case("exact_top1", answer("ok", join(truth, others.subList(0, k - 1), r)), truth));
    List<SemanticId> rank3 = new ArrayList<>(others.subList(10, 10 + k - 1));
    rank3.add(2, truth);
    cases.add(new Case("truth_at_rank_3", answer("", join(rank3, r, ", ")), truth));
    cases.add(new Case("near_misses", answer("near", join(near, r, " ")), truth));
    cases.add(
        new Case(
            "same_leaf_other_slot",
            answer("", r.apply(collided) + "," + r.apply(others.get(2))),
            collidedSlot0));
    cases.add(
        new Case("duplicates_only", answer("", join(List.of(truth, truth, truth), r, ",")), truth));
    List<SemanticId> dupBeyond = new ArrayList<>(others.subList(20, 20 + k));
    dupBeyond.add(truth);
    dupBeyond.add(others.get(20));
    cases.add(new Case("duplicates_beyond_k", answer("", join(dupBeyond, r, ", ")), truth));
    cases.add(new Case("no_answer_tag", join(List.of(truth), r, ""), truth));
    cases.add(new Case("unclosed_answer", "<think>x</think><answer>" + r.apply(truth), truth));
    cases.add(new Case("empty_answer", "<answer></answer>", truth));
    cases.add(new Case("blank_answer", "<answer> ,; \n\t </answer>", truth));
    cases.add(new Case("empty_completion", "", truth));
    cases.add(
        new Case(
            "prose_in_answer", "<answer>I recommend " + r.apply(truth) + " first</answer>", truth));
    cases.add(
        new Case(
            "slot_outside_vocabulary",
            answer("", r.apply(slotOutsideVocabulary) + ", " + r.apply(truth)),
            truth));
    cases.add(new Case("unknown_id", answer("", r.apply(unknown) + ", " + r.apply(truth)), truth));
    cases.add(
        new Case(
            "too_many_items", answer("", join(others.subList(30, 30 + k + 2), r, ", ")), truth));
    cases.add(
        new Case(
            "id_cut_short",
            answer("", r.apply(truth) + "," + String.join("", otherTokens.subList(0, 2))),
            truth));
    List<String> reversed = new ArrayList<>(otherTokens);
    java.util.Collections.reverse(reversed);
    cases.add(
        new Case(
            "tokens_out_of_order",
            answer("", String.join("", reversed) + " " + r.apply(truth)),
            truth));
    cases.add(
        new Case(
            "repeated_first_token",
            answer("", truthTokens.get(0) + r.apply(truth) + r.apply(others.get(1))),
            truth));
    cases.add(
        new Case("slot_token_first", answer("", truthTokens.getLast() + r.apply(truth)), truth));
    cases.add(
        new Case(
            "unclosed_angle",
            answer("", truthTokens.get(0).substring(0, 4) + r.apply(truth)),
            truth));
    cases.add(new Case("stray_close_angle", answer("", ">" + r.apply(truth) + ">"), truth));
    cases.add(
        new Case(
            "unicode_separators",
            answer(
                "",
                r.apply(truth)
                    + "\u2003"
                    + r.apply(others.get(4))
                    + "\u3000"
                    + r.apply(others.get(5))
                    + "\u001c"
                    + r.apply(others.get(6))),
            truth));
    cases.add(
        new Case(
            "no_break_spaces_are_text",
            answer(
                "",
                r.apply(truth)
                    + "\u00a0"
                    + r.apply(others.get(4))
                    + "\u202f"
                    + r.apply(others.get(5))
                    + "\u0085"),
            truth));
    cases.add(
        new Case(
            "eos_after_answer",
            answer("", join(truth, others.subList(0, k - 1), r)) + "<|im_end|></s>",
            truth));
    cases.add(
        new Case("eos_inside_answer", answer("", r.apply(truth) + "</s><|endoftext|>"), truth));
    cases.add(
        new Case(
            "two_answers", answer("", r.apply(others.get(8))) + answer("", r.apply(truth)), truth));
    cases.add(
        new Case(
            "answer_tag_in_think",
            "<think>I will write <answer> tags</think><answer>" + r.apply(truth) + "</answer>",
            truth));
    cases.add(new Case("emoji", answer("", "\uD83D\uDCCD" + r.apply(truth) + " \u2615"), truth));
    cases.add(new Case("upper_case_tags", "<ANSWER>" + r.apply(truth) + "</ANSWER>", truth));
    cases.add(
        new Case(
            "whitespace_inside_token",
            answer("", truthTokens.get(0).replace("_", "_ ") + r.apply(truth)),
            truth));
    cases.add(new Case("back_to_back", answer("", join(near, r, "")), truth));
    cases.add(new Case("no_truth", answer("", join(truth, others.subList(0, k - 1), r)), null));
    cases.add(new Case("no_truth_malformed", "<answer>nothing</answer>", null));
    cases.add(
        new Case(
            "exactly_k_distinct_miss",
            answer("", join(others.subList(40, 40 + k), r, ",")),
            truth));

    Random rnd = new Random(space.name().hashCode());
    List<String> vocab = index.vocabulary().tokens();
    String[] junk = {"the", "cafe", "</think>", "<b>", "<>", "<a_>", "42", "<answer>", ">"};
    String[] seps = {", ", ",", " ", "\n", ";", "", "\t"};
    for (int n = 0; n < 40; n++) {
      SemanticId t = ids.get(rnd.nextInt(ids.size()));
      StringBuilder body = new StringBuilder();
      int pieces = rnd.nextInt(2 * k + 2);
      for (int p = 0; p < pieces; p++) {
        double u = rnd.nextDouble();
        if (u < 0.55) {
          body.append(r.apply(rnd.nextDouble() < 0.3 ? t : ids.get(rnd.nextInt(ids.size()))));
        } else if (u < 0.7) {
          body.append(vocab.get(rnd.nextInt(vocab.size())));
        } else if (u < 0.8) {
          body.append(junk[rnd.nextInt(junk.length)]);
        } else if (u < 0.9) {
          body.append(r.apply(unknown));
        } else {
          body.append(format.tokensOf(ids.get(rnd.nextInt(ids.size()))).get(0));
        }
        body.append(seps[rnd.nextInt(seps.length)]);
      }
      String text =
          rnd.nextDouble() < 0.9
              ? answer(rnd.nextBoolean() ? "thinking" : "", body.toString())
              : body.toString();
      cases.add(new Case("random_" + n, text, t));
    }
    return cases;
  }

  private static String answer(String think, String body) {
    return (think.isEmpty() ? "" : "<think>" + think + "</think>")
        + "<answer>"
        + body
        + "</answer>";
  }

  private static String join(
      SemanticId first, List<SemanticId> rest, Function<SemanticId, String> r) {
    List<SemanticId> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return join(all, r, ", ");
  }

  private static String join(List<SemanticId> ids, Function<SemanticId, String> r, String sep) {
    return String.join(sep, ids.stream().map(r).toList());
  }

  /** A well-formed ID of the space (slot 0) that names no POI. */
  private static SemanticId unknownId(SemanticIdIndex index) {
    IdSpace space = index.space();
    for (int c0 = 0; c0 < space.level(0).size(); c0++) {
      for (int c1 = 0; c1 < space.level(1).size(); c1++) {
        SemanticId id = SemanticId.of(new int[] {c0, c1}, 0);
        if (index.poiOf(id).isEmpty()) {
          return id;
        }
      }
    }
    throw new IllegalStateException("every ID is taken");
  }

  /** Structural equality, numbers within {@link #TOLERANCE}. */
  static void compare(JsonNode expected, JsonNode actual, String path) {
    if (expected.isNumber() && actual.isNumber()) {
      double e = expected.asDouble();
      double a = actual.asDouble();
      if (!(Math.abs(e - a) <= TOLERANCE)) {
        fail("%s: golden %s, Java now %s (tolerance %s)", path, e, a, TOLERANCE);
      }
      return;
    }
    if (expected.isObject() && actual.isObject()) {
      List<String> en = new ArrayList<>();
      expected.fieldNames().forEachRemaining(en::add);
      List<String> an = new ArrayList<>();
      actual.fieldNames().forEachRemaining(an::add);
      if (!en.equals(an)) {
        fail("%s: golden fields %s, Java now %s", path, en, an);
      }
      for (Iterator<String> it = expected.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        compare(expected.get(name), actual.get(name), path + "." + name);
      }
      return;
    }
    if (expected.isArray() && actual.isArray()) {
      if (expected.size() != actual.size()) {
        fail("%s: golden %s, Java now %s", path, expected, actual);
      }
      for (int i = 0; i < expected.size(); i++) {
        compare(expected.get(i), actual.get(i), path + "[" + i + "]");
      }
      return;
    }
    if (!expected.equals(actual)) {
      fail("%s: golden %s, Java now %s", path, expected, actual);
    }
  }
}
