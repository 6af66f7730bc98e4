///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25
//DEPS org.refinepoi:refine-poi-core:0.1.0-SNAPSHOT
//DEPS org.refinepoi:refine-poi-som:0.1.0-SNAPSHOT
//DEPS org.slf4j:slf4j-simple:2.0.17
//RUNTIME_OPTIONS --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED

// Quick start: a synthetic city -> POI features -> topology-aware semantic IDs (hierarchical SOM)
// -> a recommender -> the next POIs for one user, explained by the IDs' neighbours.
//
// Run after `mvn install -DskipTests` in the SDK's root:  jbang QuickStart.java [seed]

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.eval.EvaluationResult;
import org.refinepoi.core.eval.Evaluator;
import org.refinepoi.core.eval.MarkovTransition;
import org.refinepoi.core.eval.MetricsTable;
import org.refinepoi.core.eval.Recommender;
import org.refinepoi.core.features.PoiFeatureBuilder;
import org.refinepoi.core.features.PoiFeatures;
import org.refinepoi.core.protocol.NextPoiProtocol;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.protocol.Split;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.core.synth.SyntheticCity;
import org.refinepoi.som.HierarchicalSom;
import org.refinepoi.som.HierarchicalSomModel;

public class QuickStart {

  public static void main(String[] args) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    long seed = args.length > 0 ? Long.parseLong(args[0]) : 7;

    // 1. A synthetic city: users with homes, work places and routines in 24 neighbourhoods.
    CheckInDataset raw =
        SyntheticCity.builder().seed(seed).users(300).pois(1200).checkIns(30_000).build().generate();
    // 2. The standard next-POI protocol: filters, 24-hour sessions, 80/10/10 split, samples.
    PreparedData data = NextPoiProtocol.prepare(raw, ProtocolConfig.builder().build());
    CheckInDataset city = data.dataset();
    System.out.println(data.stats().toTable());

    // 3. POI vectors (category, location, visit times, popularity, co-visits), training split only.
    PoiFeatures features = PoiFeatureBuilder.create().seed(seed).fit(city, data.checkIns(Split.TRAIN));
    System.out.println("Features: " + features.describe());

    // 4. Semantic IDs: an 8x8 map of the city's POIs, a 3x3 map inside each cell, a collision slot.
    HierarchicalSomModel som =
        HierarchicalSom.builder()
            .levels(LatticeSpec.rectangular(8, 8), LatticeSpec.rectangular(3, 3))
            .seed(seed)
            .build()
            .fit(features.matrix());
    List<SemanticId> ids = som.assignIds(features.matrix());
    SemanticIdIndex.Builder builder = SemanticIdIndex.builder(som.idSpace());
    for (int poi = 0; poi < city.poiCount(); poi++) {
      builder.add(city.poi(poi).id(), ids.get(poi));
    }
    SemanticIdIndex index = builder.build();
    System.out.printf(
        "%nSemantic IDs for %d POIs, %s; collision rate %.3f%n",
        index.size(), describe(index.space()), index.collisionStats().collisionRate());

    // 5. Recommenders: the first-order Markov baseline, and the same smoothed over the semantic-ID
    //    neighbours of the last check-in (POIs close in ID space share their transitions).
    MarkovTransition markov =
        MarkovTransition.fit(city.poiCount(), data.checkIns(Split.TRAIN), data.trajectories(Split.TRAIN));
    Recommender blend = new IdSmoothedMarkov(city, index, markov, 4, 0.3);
    Evaluator evaluator = Evaluator.builder(city.poiCount()).listSize(10).build();
    List<Sample> test = data.samples(Split.TEST);
    List<EvaluationResult> results = new ArrayList<>();
    for (Recommender r : List.of(markov, blend)) {
      results.add(evaluator.evaluate(r, test));
    }
    System.out.printf("%n## Test split, %d samples, top-10 lists%n%n", test.size());
    System.out.println(MetricsTable.of(results).toMarkdown());

    // 6. One user's next POIs, explained by where their IDs sit on the map.
    Sample sample = test.getFirst();
    String user = city.userIds().get(sample.user());
    System.out.printf("%n## User %s: the current trajectory%n%n", user);
    for (CheckIn c : sample.shortTerm()) {
      System.out.printf("  %s  %-28s %s%n", c.localTime(), category(city, c.poi()), idOf(city, index, c.poi()));
    }
    System.out.printf("%nNext visit, to predict: %s at %s%n", category(city, sample.targetPoi()), sample.target().localTime());
    System.out.printf("%n## Top 5 of %s, each with the POIs nearest to it in ID space%n", blend.name());
    int[] top = blend.recommend(sample, 5);
    for (int rank = 0; rank < top.length; rank++) {
      int poi = top[rank];
      String poiId = city.poi(poi).id();
      SemanticId id = index.idOf(poiId);
      System.out.printf(
          "%n%d. %s %s%s%n",
          rank + 1,
          index.format().render(id),
          category(city, poi),
          poi == sample.targetPoi() ? "   <-- the actual next visit" : "");
      List<String> sameLeaf = new ArrayList<>();
      List<String> sameCell = new ArrayList<>();
      for (SemanticIdIndex.Neighbor n : index.nearest(poiId, 6)) {
        String line =
            "%s %s".formatted(index.format().render(n.id()), category(city, city.poiIndex(n.poiId()).orElseThrow()));
        if (n.id().sharesPrefix(id, 2)) {
          sameLeaf.add(line);
        } else if (n.id().sharesPrefix(id, 1)) {
          sameCell.add(line);
        }
      }
      System.out.println("   shares its leaf (both levels) with: " + (sameLeaf.isEmpty() ? "none" : String.join("; ", sameLeaf)));
      System.out.println("   same level-1 cell, nearby leaf:     " + (sameCell.isEmpty() ? "none" : String.join("; ", sameCell)));
      System.out.println("   level-1 cell's categories:          " + cellCategories(city, index, id));
    }
  }

  /**
   * Markov transitions smoothed over semantic-ID neighbours: the Markov lists from the last POI
   * and from the POIs nearest to it in ID space (as if the user stood there), fused by reciprocal
   * rank, the neighbours' votes weighted by their ID similarity. Similar POIs share their
   * transition statistics, which helps where the last POI has few transitions of its own.
   */
  record IdSmoothedMarkov(CheckInDataset city, SemanticIdIndex index, Recommender markov, int neighbours, double weight)
      implements Recommender {
    @Override
    public String name() {
      return "Markov+ID-neighbours";
    }

    @Override
    public int[] recommend(Sample sample, int k) {
      Map<Integer, Double> score = new LinkedHashMap<>();
      vote(score, markov.recommend(sample, 3 * k), 1.0);
      CheckIn last = sample.lastCheckIn();
      String lastId = city.poi(last.poi()).id();
      for (SemanticIdIndex.Neighbor n : index.nearest(lastId, neighbours)) {
        int poi = city.poiIndex(n.poiId()).orElseThrow();
        CheckIn there = new CheckIn(last.user(), poi, last.utcEpochSecond(), last.utcOffsetMinutes());
        List<CheckIn> context = new ArrayList<>(sample.shortTerm());
        context.set(context.size() - 1, there);
        Sample moved =
            new Sample(sample.user(), sample.trajectory(), context, sample.longTerm(), sample.target(), sample.coldStart(), sample.split());
        vote(score, markov.recommend(moved, 3 * k), weight * index.similarity(lastId, n.poiId()));
      }
      return score.entrySet().stream()
          .sorted(Map.Entry.<Integer, Double>comparingByValue().reversed())
          .limit(k)
          .mapToInt(Map.Entry::getKey)
          .toArray();
    }

    private static void vote(Map<Integer, Double> score, int[] list, double w) {
      for (int i = 0; i < list.length; i++) {
        score.merge(list[i], w / (10 + i + 1), Double::sum);
      }
    }
  }

  static String category(CheckInDataset city, int poi) {
    return city.poi(poi).categoryName();
  }

  static String idOf(CheckInDataset city, SemanticIdIndex index, int poi) {
    return index.format().render(index.idOf(city.poi(poi).id()));
  }

  /** The three most common categories among the POIs of an ID's level-1 cell. */
  static String cellCategories(CheckInDataset city, SemanticIdIndex index, SemanticId id) {
    Map<String, Integer> counts = new TreeMap<>();
    int members = 0;
    for (SemanticIdIndex.Entry e : index.entries()) {
      if (e.id().sharesPrefix(id, 1)) {
        members++;
        counts.merge(category(city, city.poiIndex(e.poiId()).orElseThrow()), 1, Integer::sum);
      }
    }
    int total = members;
    return counts.entrySet().stream()
            .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
            .limit(3)
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", "))
        + " (of " + total + " POIs)";
  }

  static String describe(IdSpace space) {
    List<String> levels = new ArrayList<>();
    for (LatticeSpec l : space.levels()) {
      levels.add(l.rows() + "x" + l.cols());
    }
    return "levels " + String.join(" then ", levels);
  }
}
