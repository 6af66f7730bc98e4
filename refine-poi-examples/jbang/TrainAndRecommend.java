///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25
//DEPS org.refinepoi:refine-poi-pipeline:0.1.0-SNAPSHOT
//DEPS org.slf4j:slf4j-simple:2.0.17
// libtorch is the application's choice (docs/dependencies.md): the CPU build for Linux x86-64 here;
// use the classifier of your platform (linux-aarch64, osx-aarch64, win-x86_64), or drop this line
// and -Dai.djl.offline=true to let DJL download it on first use.
//DEPS ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64
//RUNTIME_OPTIONS --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED
//RUNTIME_OPTIONS -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dorg.slf4j.simpleLogger.defaultLogLevel=warn

// Train, save, load, recommend: the method's recommended model (HSOM semantic IDs, the history
// policy trained by SFT then list GRPO) as one file you can ship.
//
//   jbang TrainAndRecommend.java [model-file]
//
// A small synthetic city and the test-sized settings (ExperimentConfig.quick()) keep it to seconds;
// drop .config(...) for the documented defaults, and load a real file with CheckInFormat.

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.eval.EvaluationResult;
import org.refinepoi.core.eval.MetricsReport;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.synth.SyntheticCity;
import org.refinepoi.pipeline.experiment.ExperimentConfig;
import org.refinepoi.pipeline.recommender.NextPoiRecommender;
import org.refinepoi.pipeline.recommender.Recommendation;
import org.refinepoi.pipeline.recommender.Visit;

public class TrainAndRecommend {

  public static void main(String[] args) throws Exception {
    Path file =
        args.length > 0
            ? Path.of(args[0])
            : Files.createTempDirectory("refine-poi").resolve("model.rpoi");
    CheckInDataset city =
        SyntheticCity.builder().seed(3).users(80).pois(400).checkIns(8000).build().generate();

    // 1. Train with one builder call: protocol, features, HSOM IDs, SFT, list GRPO, test metrics.
    ExperimentConfig small =
        ExperimentConfig.quick()
            .lattices(LatticeSpec.rectangular(4, 4), LatticeSpec.rectangular(2, 2))
            .build();
    try (NextPoiRecommender trained =
        NextPoiRecommender.trainer().config(small).seed(7).train(city)) {
      print("test metrics at training time", trained.provenance().testMetrics());
      // 2. Save: one versioned, checksummed file with everything needed to serve.
      trained.save(file);
      System.out.printf("saved %s (%,d bytes)%n", file, Files.size(file));
    }

    // 3. Load without retraining, check the metrics, recommend.
    try (NextPoiRecommender model = NextPoiRecommender.load(file)) {
      EvaluationResult again = model.evaluate(city);
      print("test metrics of the loaded model", again.overall());
      System.out.println(
          "equal: " + again.overall().equals(model.provenance().testMetrics()));

      String user = model.userIds().get(0);
      List<Visit> history = Visit.historyOf(city, user);
      OffsetDateTime at = history.getLast().time().plusHours(3);
      System.out.printf("%nnext POIs of user %s at %s:%n", user, at);
      for (Recommendation r : model.recommend(user, history, at, 5)) {
        System.out.printf(
            Locale.ROOT,
            "  %d. %-14s %-22s p=%.4f  %s, lattice distance to the last POI %.2f%n",
            r.rank(),
            r.poiId(),
            r.semanticId(),
            r.probability(),
            r.origin() == Recommendation.Origin.COPIED
                ? "in history (" + r.historyCount() + "x)"
                : "generated",
            r.latticeDistance());
      }
      System.out.println("provenance: " + model);
    }
  }

  private static void print(String title, MetricsReport m) {
    System.out.printf(
        Locale.ROOT,
        "%s: Acc@1 %.4f, Acc@10 %.4f, NDCG@10 %.4f, MRR %.4f (%d samples)%n",
        title,
        m.acc1(),
        m.acc10(),
        m.ndcg10(),
        m.mrr(),
        m.count());
  }
}
