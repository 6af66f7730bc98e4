package org.refinepoi.examples.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.eval.Baselines;
import org.refinepoi.core.eval.EvaluationResult;
import org.refinepoi.core.eval.Evaluator;
import org.refinepoi.core.eval.MetricsTable;
import org.refinepoi.core.eval.Recommender;
import org.refinepoi.core.features.PoiFeatureBuilder;
import org.refinepoi.core.features.PoiFeatures;
import org.refinepoi.core.protocol.NextPoiProtocol;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.core.protocol.Split;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.synth.SyntheticCity;
import org.refinepoi.rl.grpo.GrpoConfig;
import org.refinepoi.rl.grpo.GrpoPrompt;
import org.refinepoi.rl.grpo.GrpoTrainer;
import org.refinepoi.rl.grpo.StepMetrics;
import org.refinepoi.rl.policy.Completion;
import org.refinepoi.rl.policy.TabularSoftmaxPolicy;
import org.refinepoi.rl.policy.TokenConstraint;
import org.refinepoi.rl.policy.TokenSequence;
import org.refinepoi.rl.reward.CompositeReward;
import org.refinepoi.rl.reward.ParsedAnswer;
import org.refinepoi.rl.reward.RankingRewards;
import org.refinepoi.rl.reward.RewardFunction;
import org.refinepoi.rl.reward.SoftAccuracyReward;
import org.refinepoi.som.HierarchicalSom;
import org.refinepoi.som.HierarchicalSomModel;
import org.refinepoi.som.HierarchyMode;

/**
 * Every report picture drawn from realistic input: a small synthetic city, its POI features, a
 * hierarchical SOM's IDs, the classic baselines' metrics, and the metrics of a real (small) GRPO
 * run. Writes into {@code -Drefinepoi.report.out=DIR} when given (to look at the pictures),
 * otherwise into a temporary directory.
 */
class ReportGalleryTest {

  static PreparedData data;
  static PoiFeatures features;

  @TempDir static Path temp;

  @BeforeAll
  static void city() {
    CheckInDataset raw =
        SyntheticCity.builder().seed(11).users(300).pois(1_200).checkIns(30_000).build().generate();
    data = NextPoiProtocol.prepare(raw, ProtocolConfig.builder().build());
    features = PoiFeatureBuilder.create().seed(3).fit(data.dataset(), data.checkIns(Split.TRAIN));
  }

  static Path out(String name) throws IOException {
    String dir = System.getProperty("refinepoi.report.out");
    Path base = dir == null || dir.isBlank() ? temp : Path.of(dir);
    return Files.createDirectories(base.resolve(name));
  }

  static List<String> categoryNames() {
    return data.dataset().pois().stream().map(Poi::categoryName).toList();
  }

  @Test
  void treeSomPicturesOfTheSyntheticCity() throws IOException {
    HierarchicalSomModel model =
        HierarchicalSom.builder()
            .levels(LatticeSpec.rectangular(12, 12), LatticeSpec.rectangular(3, 3))
            .mode(HierarchyMode.TREE)
            .seed(5)
            .build()
            .fit(features.matrix());
    List<SemanticId> ids = model.assignIds(features.matrix());
    Path dir = out("tree");
    ReportWriter w = new ReportWriter(dir, "Synthetic city: TREE SOM");
    List<Path> pictures =
        SomFigures.addAll(w, model, model.idSpace(), ids, data.dataset().pois(), categoryNames());
    w.writeIndex();
    assertThat(pictures)
        .extracting(p -> p.getFileName().toString())
        .containsExactly(
            "umatrix-level-1.png",
            "categories-level-1.png",
            "umatrix-level-2.png",
            "categories-level-2.png",
            "poi-map.png");
    PngChecks.checkReport(dir, pictures);
    BufferedImage u1 = PngChecks.readPng(pictures.getFirst());
    assertThat(u1.getWidth()).isEqualTo(1110);
    assertThat(u1.getHeight()).isEqualTo(880);
    // The lattice area holds many colours (a heat map, not one flat colour).
    assertThat(PngChecks.distinctColours(u1, 30, 80, 780, 780)).isGreaterThan(30);
    BufferedImage c2 = PngChecks.readPng(pictures.get(3));
    assertThat(c2.getWidth()).isEqualTo(1200);
    assertThat(PngChecks.distinctColours(c2, 30, 80, 780, 780)).isGreaterThan(12);
  }

  @Test
  void hexagonalResidualSomPictures() throws IOException {
    HierarchicalSomModel model =
        HierarchicalSom.builder()
            .levels(LatticeSpec.hexagonal(10, 12), LatticeSpec.hexagonal(4, 4))
            .mode(HierarchyMode.RESIDUAL)
            .seed(5)
            .build()
            .fit(features.matrix());
    List<SemanticId> ids = model.assignIds(features.matrix());
    Path dir = out("hex-residual");
    ReportWriter w = new ReportWriter(dir, "Synthetic city: hexagonal RESIDUAL SOM");
    List<Path> pictures =
        SomFigures.addAll(w, model, model.idSpace(), ids, data.dataset().pois(), categoryNames());
    w.writeIndex();
    assertThat(pictures).hasSize(5);
    PngChecks.checkReport(dir, pictures);
  }

  @Test
  void metricsOfTheBaselines() throws IOException {
    List<Recommender> recommenders = Baselines.fitAll(data);
    Evaluator evaluator = Evaluator.forCatalogue(data.dataset().poiCount());
    List<EvaluationResult> results = new ArrayList<>();
    for (Recommender r : recommenders) {
      results.add(evaluator.evaluate(r, data.samples(Split.TEST)));
    }
    MetricsTable table = MetricsTable.of(results);
    Path dir = out("metrics");
    ReportWriter w = new ReportWriter(dir, "Synthetic city: baselines");
    List<Path> pictures = w.addMetrics("metrics", table);
    w.writeIndex();
    assertThat(pictures).isNotEmpty();
    PngChecks.checkReport(dir, pictures);
    String html = Files.readString(dir.resolve(ReportWriter.INDEX));
    for (EvaluationResult r : results) {
      assertThat(html).contains("<td>" + r.method() + "</td>");
    }
    BufferedImage image = PngChecks.readPng(pictures.getFirst());
    assertThat(image.getWidth()).isEqualTo(1100);
    assertThat(image.getHeight()).isEqualTo(600);
  }

  // ----- a real, small GRPO run: the policy ranks 4 IDs; the truth depends on the prompt

  static final int END = 4;
  static final IdSpace SPACE = IdSpace.of(LatticeSpec.rectangular(2, 2));
  static final List<SemanticId> IDS =
      List.of(
          SemanticId.of(new int[] {0}, 0),
          SemanticId.of(new int[] {1}, 0),
          SemanticId.of(new int[] {2}, 0),
          SemanticId.of(new int[] {3}, 0));

  static final TokenConstraint TWO_DISTINCT =
      (prompt, prefix) -> {
        if (prefix.length() == 2) {
          return new int[] {END};
        }
        if (prefix.length() > 2) {
          return new int[0];
        }
        return java.util.stream.IntStream.range(0, 4)
            .filter(t -> prefix.isEmpty() || prefix.get(0) != t)
            .toArray();
      };

  static ParsedAnswer parse(Completion c) {
    List<SemanticId> items = new ArrayList<>();
    for (int t = 0; t < c.length(); t++) {
      if (c.tokens().get(t) != END) {
        items.add(IDS.get(c.tokens().get(t)));
      }
    }
    return ParsedAnswer.of(items);
  }

  static List<StepMetrics> grpoRun(int steps) {
    RewardFunction<SemanticId, Completion> reward =
        CompositeReward.<SemanticId, Completion>builder(Optional::of, ReportGalleryTest::parse)
            .add(RankingRewards.ndcg(2), 1)
            .add(SoftAccuracyReward.builder(SPACE, 2).build(), 1)
            .gateOnFormat(2)
            .build();
    List<GrpoPrompt<SemanticId>> prompts =
        List.of(
            new GrpoPrompt<>(TokenSequence.of(0), IDS.get(2)),
            new GrpoPrompt<>(TokenSequence.of(1), IDS.get(0)),
            new GrpoPrompt<>(TokenSequence.of(2), IDS.get(3)));
    GrpoConfig config =
        GrpoConfig.builder()
            .groupSize(6)
            .promptsPerBatch(2)
            .learningRate(0.05)
            .updatesPerBatch(2)
            .beta(0.01)
            .clip(0.2, 0.28)
            .sampling(1.0, 1.0, 5)
            .seed(2024)
            .build();
    List<StepMetrics> metrics = new ArrayList<>();
    GrpoTrainer.builder(
            new TabularSoftmaxPolicy(
                5, END, TabularSoftmaxPolicy.Context.POSITION, TabularSoftmaxPolicy.Optimizer.ADAM),
            reward,
            prompts)
        .config(config)
        .constraint(TWO_DISTINCT)
        .listener(metrics::add)
        .build()
        .train(steps);
    return metrics;
  }

  @Test
  void trainingCurves() throws IOException {
    List<StepMetrics> grpo = grpoRun(80);
    // The SFT trainer's listener reports a loss per step and a validation loss per epoch; this
    // draws a decaying noisy curve of that shape (6 epochs of 40 steps).
    SplittableRandom random = new SplittableRandom(9);
    int steps = 240;
    double[] train = new double[steps];
    for (int s = 0; s < steps; s++) {
      train[s] = 1.2 + 4.5 * Math.exp(-s / 45.0) + random.nextGaussian() * 0.15;
    }
    double[] epochEnd = new double[6];
    double[] validation = new double[6];
    for (int e = 0; e < 6; e++) {
      epochEnd[e] = (e + 1) * 40 - 1;
      validation[e] = 1.5 + 4.3 * Math.exp(-epochEnd[e] / 45.0) + 0.004 * e * e * 10;
    }
    Path dir = out("training");
    ReportWriter w = new ReportWriter(dir, "Training curves");
    List<Path> pictures = new ArrayList<>();
    pictures.add(
        w.addSftLoss(
            "sft-loss",
            "HSOM",
            Curve.ofSteps("train loss", train),
            new Curve("validation loss", epochEnd, validation)));
    pictures.add(w.addGrpoRewards("grpo-reward", "toy ranking task", grpo));
    pictures.add(w.addGrpoKlAndClip("grpo-kl-clip", "toy ranking task", grpo));
    w.writeIndex();
    PngChecks.checkReport(dir, pictures);
    for (Path p : pictures) {
      BufferedImage image = PngChecks.readPng(p);
      assertThat(image.getWidth()).isEqualTo(1000);
      assertThat(image.getHeight()).isEqualTo(560);
    }
  }
}
