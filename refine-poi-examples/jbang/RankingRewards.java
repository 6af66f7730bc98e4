///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25
//DEPS org.refinepoi:refine-poi-core:0.1.0-SNAPSHOT
//DEPS org.refinepoi:refine-poi-rl:0.1.0-SNAPSHOT
//DEPS org.slf4j:slf4j-simple:2.0.17

// Ranking rewards on their own: score ranked lists you bring with each reward term of the GRPO
// stage (format, reciprocal rank, NDCG, soft accuracy, diversity, length) and the composite.
//
//   jbang RankingRewards.java [lists.txt]
//
// IDs live in a two-level space, a 4x4 map then a 2x2 map, written <a_R_C><b_R_C><c_SLOT>.
// lists.txt has one case per line, `TRUTH | model text`, for example
//   <a_1_1><b_0_0><c_0> | <think>near the office</think><answer><a_1_1><b_0_0><c_0>, <a_1_2><b_0_0><c_0></answer>
// Without an argument a set of instructive cases is scored.

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.LatticeTokenFormat;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.rl.reward.AnswerParser;
import org.refinepoi.rl.reward.CompositeReward;
import org.refinepoi.rl.reward.ParsedAnswer;
import org.refinepoi.rl.reward.RewardScores;
import org.refinepoi.rl.reward.SoftAccuracyReward;

public class RankingRewards {

  static final int K = 5;

  record Case(String label, SemanticId truth, String text) {}

  public static void main(String[] args) throws IOException {
    IdSpace space = IdSpace.of(LatticeSpec.rectangular(4, 4), LatticeSpec.rectangular(2, 2));
    LatticeTokenFormat format = LatticeTokenFormat.of(space);
    // Accept every well-formed ID of the space (give AnswerParser.forIndex(index, k) to accept only
    // IDs that name a POI of your catalogue).
    AnswerParser parser = new AnswerParser(format, K);
    SoftAccuracyReward soft = SoftAccuracyReward.builder(space, K).build();
    CompositeReward<SemanticId, String> reward =
        CompositeReward.<SemanticId, String>paperTerms(Optional::of, parser::parse, soft, K)
            .add(org.refinepoi.rl.reward.RankingRewards.ndcg(K), 0.0) // reported, not weighted
            .build();

    List<Case> cases = args.length > 0 ? read(Path.of(args[0]), format) : demoCases(format);
    RewardScores scores =
        reward.score(cases.stream().map(Case::truth).toList(), cases.stream().map(Case::text).toList());

    System.out.printf(
        "k = %d; composite = weighted mean of format 1, reciprocal_rank 1, soft_accuracy 1, diversity 0.5,"
            + " length 0.5 (ndcg reported with weight 0); a badly formatted answer gets 0 on every term"
            + " but format.%n%n",
        K);
    List<String> terms = reward.termNames();
    StringBuilder head = new StringBuilder("| case |");
    StringBuilder rule = new StringBuilder("|---|");
    for (String t : terms) {
      head.append(' ').append(t).append(" |");
      rule.append("---:|");
    }
    System.out.println(head + " composite | parse problems |");
    System.out.println(rule + "---:|---|");
    for (int i = 0; i < cases.size(); i++) {
      StringBuilder row = new StringBuilder("| " + cases.get(i).label() + " |");
      for (Map.Entry<String, double[]> e : scores.terms().entrySet()) {
        row.append(String.format(Locale.ROOT, " %.3f |", e.getValue()[i]));
      }
      ParsedAnswer answer = parser.parse(cases.get(i).text());
      String problems =
          answer.problems().isEmpty()
              ? "-"
              : String.join("; ", answer.problems().stream().map(p -> p.reason() + " " + p.detail()).toList());
      System.out.println(row + String.format(Locale.ROOT, " %.3f | %s |", scores.totals()[i], problems));
    }

    // Soft accuracy is what makes a near miss worth more than a far one: similarity decays with the
    // lattice distance between the IDs, coarse levels first.
    SemanticId truth = format.parse("<a_1_1><b_0_0><c_0>");
    System.out.printf("%nSimilarity to the truth %s:%n", format.render(truth));
    for (String other :
        List.of("<a_1_1><b_0_0><c_1>", "<a_1_1><b_1_1><c_0>", "<a_1_2><b_0_0><c_0>", "<a_3_3><b_0_0><c_0>")) {
      System.out.printf(
          "  %s  %.3f%n", other, soft.similarity(format.parse(other), truth));
    }
    System.out.printf(
        "%nReciprocal rank of the truth at rank 3 of a list: %.3f; NDCG@%d: %.3f%n",
        org.refinepoi.rl.reward.RankingRewards.reciprocalRank(
            List.of(format.parse("<a_0_0><b_0_0><c_0>"), format.parse("<a_0_1><b_0_0><c_0>"), truth), truth),
        K,
        org.refinepoi.rl.reward.RankingRewards.ndcg(
            List.of(format.parse("<a_0_0><b_0_0><c_0>"), format.parse("<a_0_1><b_0_0><c_0>"), truth), truth, K));
  }

  static List<Case> demoCases(LatticeTokenFormat f) {
    SemanticId truth = f.parse("<a_1_1><b_0_0><c_0>");
    String exact = "<a_1_1><b_0_0><c_0>, <a_1_2><b_0_0><c_0>, <a_2_1><b_1_0><c_0>, <a_0_0><b_0_0><c_0>, <a_3_3><b_1_1><c_0>";
    String third = "<a_1_2><b_0_0><c_0>, <a_2_1><b_1_0><c_0>, <a_1_1><b_0_0><c_0>, <a_0_0><b_0_0><c_0>, <a_3_3><b_1_1><c_0>";
    String near = "<a_1_1><b_0_1><c_0>, <a_1_2><b_0_0><c_0>, <a_2_1><b_0_0><c_0>, <a_1_0><b_0_0><c_0>, <a_0_1><b_0_0><c_0>";
    String far = "<a_3_3><b_1_1><c_0>, <a_3_2><b_1_1><c_0>, <a_2_3><b_1_1><c_0>, <a_3_0><b_1_1><c_0>, <a_0_3><b_1_1><c_0>";
    String dupes = "<a_1_1><b_0_0><c_0>, <a_1_1><b_0_0><c_0>, <a_1_1><b_0_0><c_0>, <a_1_2><b_0_0><c_0>, <a_1_2><b_0_0><c_0>";
    return List.of(
        new Case("truth first, 5 items", truth, "<think>usual café</think><answer>" + exact + "</answer>"),
        new Case("truth third", truth, "<answer>" + third + "</answer>"),
        new Case("near misses only", truth, "<answer>" + near + "</answer>"),
        new Case("far misses only", truth, "<answer>" + far + "</answer>"),
        new Case("duplicates", truth, "<answer>" + dupes + "</answer>"),
        new Case("truth alone (1 of 5)", truth, "<answer><a_1_1><b_0_0><c_0></answer>"),
        new Case("a malformed entry", truth, "<answer><a_1_1><b_0_0><c_0>, <a_9_9><b_0_0><c_0>, cafe</answer>"),
        new Case("no answer tag", truth, "I think <a_1_1><b_0_0><c_0>"));
  }

  static List<Case> read(Path file, LatticeTokenFormat format) throws IOException {
    List<Case> out = new ArrayList<>();
    int lineNo = 0;
    for (String line : Files.readAllLines(file, UTF_8)) {
      lineNo++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int bar = line.indexOf('|');
      if (bar < 0) {
        throw new IOException(file + ":" + lineNo + ": expected `TRUTH | model text`");
      }
      SemanticId truth;
      try {
        truth = format.parse(line.substring(0, bar).strip());
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ":" + lineNo + ": the truth is not an ID of the space: " + e.getMessage(), e);
      }
      out.add(new Case("line " + lineNo, truth, line.substring(bar + 1).strip()));
    }
    if (out.isEmpty()) {
      throw new IOException(file + ": no cases");
    }
    return out;
  }
}
