package org.refinepoi.pipeline.recommender;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.eval.EvaluationResult;
import org.refinepoi.core.eval.Evaluator;
import org.refinepoi.core.eval.PrecomputedRankings;
import org.refinepoi.core.eval.Recommender;
import org.refinepoi.core.history.HistoryEvidence;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.protocol.NextPoiProtocol;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.protocol.Split;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.pipeline.experiment.ExperimentConfig;
import org.refinepoi.pipeline.experiment.HistoryRun;
import org.refinepoi.pipeline.experiment.MethodResult;
import org.refinepoi.pipeline.experiment.RecommendationExperiment;
import org.refinepoi.pipeline.experiment.StageListener;
import org.refinepoi.pipeline.experiment.TrainedModel;
import org.refinepoi.pipeline.ids.IdScheme;
import org.refinepoi.pipeline.ids.SchemeIds;
import org.refinepoi.pipeline.progress.ProgressReporter;
import org.refinepoi.rl.djl.HistoryPolicy;
import org.refinepoi.rl.djl.HistoryPolicyConfig;
import org.refinepoi.rl.djl.ScoredPoi;
import org.refinepoi.som.HierarchicalSomModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trained next-POI recommender as one artifact: the method's recommended model (a {@link
 * HistoryPolicy} over HSOM TREE semantic IDs, SFT then list GRPO kept only when it beats SFT on
 * held-out validation samples) with everything needed to serve it.
 *
 * <pre>{@code
 * try (NextPoiRecommender model = NextPoiRecommender.trainer().train(dataset)) {
 *   model.save(Path.of("model.rpoi"));
 * }
 * try (NextPoiRecommender model = NextPoiRecommender.load(Path.of("model.rpoi"))) {
 *   List<Recommendation> top10 = model.recommend("user-42", visits, OffsetDateTime.now(), 10);
 * }
 * }</pre>
 *
 * <p><b>What it holds.</b> The protocol settings (sessions, long-term memory), the POI catalogue
 * (source ids, categories, coordinates), the users it was trained on, the POI features, the fitted
 * hierarchical SOM (it places new POIs), the {@link SemanticIdIndex} (IDs, trie, vocabulary, the
 * dense POI numbering every part shares), the history evidence counted on the training split, the
 * policy's configuration and parameters, and its {@link Provenance}. {@link #save} writes all of it
 * into one versioned, checksummed file; {@link #load} reads it back without retraining and refuses
 * a corrupt or foreign file with the reason (format described in {@link RecommenderBundle}).
 *
 * <p><b>Thread safety.</b> Immutable apart from the policy's native tensors. {@link #recommend},
 * {@link #recommendSamples} and {@link #evaluate} may be called from any number of threads: the
 * calls share the one policy under a lock (DJL's engine keeps per-thread scopes, so one network is
 * not run by two threads at once), and a call's result depends only on its arguments, never on the
 * calls around it. {@link #close} releases the native memory; calls after it fail.
 */
public final class NextPoiRecommender implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NextPoiRecommender.class);

  /** The list size the model was trained and is evaluated at. */
  public static final int LIST_SIZE = ExperimentConfig.K;

  /** Samples per policy call when ranking many (the experiment's batch). */
  private static final int BATCH = 256;

  private final ProtocolConfig protocol;
  private final ImmutableList<Poi> catalogue;
  private final ImmutableList<String> userIds;
  private final ImmutableMap<String, Integer> userIndex;
  private final FloatMatrix features;
  private final Optional<HierarchicalSomModel> hsom;
  private final SemanticIdIndex index;
  private final HistoryEvidence evidence;
  private final HistoryPolicyConfig policyConfig;
  private final HistoryPolicy policy;
  private final Provenance provenance;
  private final Object lock = new Object();
  private boolean closed;

  NextPoiRecommender(
      ProtocolConfig protocol,
      List<Poi> catalogue,
      List<String> userIds,
      FloatMatrix features,
      Optional<HierarchicalSomModel> hsom,
      SemanticIdIndex index,
      HistoryEvidence evidence,
      HistoryPolicyConfig policyConfig,
      HistoryPolicy policy,
      Provenance provenance) {
    this.protocol = checkNotNull(protocol, "protocol");
    this.catalogue = ImmutableList.copyOf(catalogue);
    this.userIds = ImmutableList.copyOf(userIds);
    this.features = checkNotNull(features, "features");
    this.hsom = checkNotNull(hsom, "hsom");
    this.index = checkNotNull(index, "index");
    this.evidence = checkNotNull(evidence, "evidence");
    this.policyConfig = checkNotNull(policyConfig, "policyConfig");
    this.policy = checkNotNull(policy, "policy");
    this.provenance = checkNotNull(provenance, "provenance");
    int n = this.catalogue.size();
    checkArgument(
        index.size() == n && evidence.poiCount() == n && features.rows() == n,
        "parts of different catalogues: %s POIs, %s IDs, %s evidence rows, %s feature rows",
        n,
        index.size(),
        evidence.poiCount(),
        features.rows());
    for (int i = 0; i < n; i++) {
      checkArgument(
          index.poiId(i).equals(this.catalogue.get(i).id()),
          "the ID index numbers POI %s as %s, the catalogue %s",
          i,
          index.poiId(i),
          this.catalogue.get(i).id());
    }
    checkArgument(!this.userIds.isEmpty(), "a recommender needs the users it was trained on");
    ImmutableMap.Builder<String, Integer> users = ImmutableMap.builder();
    for (int u = 0; u < this.userIds.size(); u++) {
      users.put(this.userIds.get(u), u);
    }
    this.userIndex = users.buildOrThrow();
  }

  /** A trainer with the documented defaults. */
  public static Trainer trainer() {
    return new Trainer();
  }

  /**
   * A recommender from a model the experiment trained ({@link
   * RecommendationExperiment#onTrainedModel}): keeps a frozen copy of its policy, so the run may
   * close its own.
   */
  public static NextPoiRecommender from(TrainedModel model) {
    checkNotNull(model, "model");
    checkArgument(
        model.ids().scheme().topologyAware() && model.ids().model().isPresent(),
        "a recommender needs HSOM IDs with their model, got %s",
        model.ids().scheme());
    PreparedData data = model.data();
    MethodResult result = model.result();
    Provenance provenance =
        new Provenance(
            libraryVersion(),
            data.dataset().name(),
            fingerprint(data.dataset()),
            model.config().seed(),
            model.config().describe(),
            result.evaluation().overall(),
            result.evaluation().coldStart(),
            result.trainSeconds(),
            result.details());
    HistoryPolicy copy = model.policy().snapshot();
    try {
      return new NextPoiRecommender(
          model.config().protocol(),
          data.dataset().pois(),
          data.dataset().userIds(),
          model.features().matrix(),
          model.ids().model(),
          model.ids().index(),
          model.evidence(),
          model.policy().config(),
          copy,
          provenance);
    } catch (RuntimeException e) {
      copy.close();
      throw e;
    }
  }

  /**
   * Reads a recommender written by {@link #save}; nothing is retrained.
   *
   * @throws org.refinepoi.core.io.FileFormatException naming the file when it is not a recommender
   *     bundle, has another format version, is truncated, fails a checksum, or a part does not
   *     decode (the message says which part and why)
   * @throws org.refinepoi.core.io.NotEnoughMemoryException when the heap cannot hold the model
   * @throws IOException when the file cannot be read
   */
  public static NextPoiRecommender load(Path file) throws IOException {
    return RecommenderBundle.read(file);
  }

  /**
   * Writes the recommender as one bundle file, atomically (a temporary sibling, then a move).
   *
   * @throws IOException when the file cannot be written
   */
  public void save(Path file) throws IOException {
    checkNotNull(file, "file");
    synchronized (lock) {
      checkState(!closed, "this recommender is closed");
      RecommenderBundle.write(this, file);
    }
  }

  /**
   * The top {@code k} POIs for a user's next check-in at a time, best first, each with its
   * evidence.
   *
   * <p>The history is what the user did, in any order: visits after {@code at} and visits at POIs
   * the model does not know are left out; the rest is read the way the protocol reads a test sample
   * (the visits of the session that ends with the last one, sessions split at gaps over the
   * protocol's session gap, are the short-term memory; up to {@link
   * ProtocolConfig#maxLongTermCheckIns()} earlier ones the long-term memory).
   *
   * <p>A user the model was not trained on ({@link #knowsUser} false) is served from the history
   * given and the average of the trained users' embeddings in place of their own; such a sample
   * counts as cold-start.
   *
   * @param userId the user's source id, trained on or not
   * @param history the user's visits, at least one at a known POI at or before {@code at}
   * @param at the time of the check-in to predict (its offset gives the local hour)
   * @param k how many POIs, {@code >= 1}; fewer come back only when the policy's candidate set is
   *     smaller (its copy candidates plus {@value HistoryPolicy#DEFAULT_LIST_CANDIDATES})
   * @throws IllegalArgumentException naming the reason when no visit is usable, or {@code k < 1}
   */
  public List<Recommendation> recommend(
      String userId, List<Visit> history, OffsetDateTime at, int k) {
    return recommendSample(sample(userId, history, at), k);
  }

  /**
   * The top {@code k} POIs of prepared samples (indexed like this model's catalogue and users),
   * best first, as dense POI indices: what {@link #evaluate} ranks. Thread-safe.
   */
  public List<int[]> recommendSamples(List<Sample> samples, int k) {
    checkNotNull(samples, "samples");
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    List<int[]> out = new ArrayList<>(samples.size());
    for (int from = 0; from < samples.size(); from += BATCH) {
      List<Sample> batch = samples.subList(from, Math.min(samples.size(), from + BATCH));
      synchronized (lock) {
        checkState(!closed, "this recommender is closed");
        out.addAll(policy.recommend(batch, k));
      }
    }
    return out;
  }

  /**
   * The model's metrics on the test split of a dataset, prepared with the model's protocol. On the
   * data it was trained on they equal {@link Provenance#testMetrics()}.
   *
   * @throws IllegalArgumentException when the prepared data is not the data the model was trained
   *     on (another fingerprint: the dense POI and user numbering would not match)
   */
  public EvaluationResult evaluate(CheckInDataset raw) {
    checkNotNull(raw, "raw");
    PreparedData data = NextPoiProtocol.prepare(raw, protocol);
    String fingerprint = fingerprint(data.dataset());
    checkArgument(
        fingerprint.equals(provenance.dataFingerprint()),
        "%s is not the data this model was trained on (prepared data fingerprint %s, the model's"
            + " %s)",
        raw.name(),
        fingerprint,
        provenance.dataFingerprint());
    List<Sample> test = data.samples(Split.TEST);
    checkArgument(!test.isEmpty(), "%s has no test samples", raw.name());
    List<int[]> lists = recommendSamples(test, LIST_SIZE);
    Recommender lookup = PrecomputedRankings.of(RecommendationExperiment.GRPO_HSOM, test, lists);
    return Evaluator.builder(data.dataset().poiCount())
        .listSize(LIST_SIZE)
        .build()
        .evaluate(lookup, test);
  }

  /**
   * Whether the model was trained on this user (has the user's own embedding); others are served as
   * the average trained user (see {@link #recommend}).
   */
  public boolean knowsUser(String userId) {
    return userIndex.containsKey(checkNotNull(userId, "userId"));
  }

  /** The sample the model reads for a user's history and a time (see {@link #recommend}). */
  Sample sample(String userId, List<Visit> history, OffsetDateTime at) {
    checkNotNull(userId, "userId");
    checkNotNull(history, "history");
    checkNotNull(at, "at");
    Integer known = userIndex.get(userId);
    int user = known == null ? policy.unseenUser() : known;
    long atSecond = at.toEpochSecond();
    List<CheckIn> checkIns = new ArrayList<>(history.size());
    int unknownPois = 0;
    for (Visit v : history) {
      checkNotNull(v, "a visit of the history is null");
      if (v.time().toEpochSecond() > atSecond) {
        continue;
      }
      OptionalInt poi = index.findPoiIndex(v.poiId());
      if (poi.isEmpty()) {
        unknownPois++;
        continue;
      }
      checkArgument(
          Math.abs(v.time().getOffset().getTotalSeconds()) <= CheckIn.MAX_OFFSET_MINUTES * 60,
          "offset of a visit out of range: %s",
          v.time());
      checkIns.add(
          new CheckIn(
              user,
              poi.getAsInt(),
              v.time().toEpochSecond(),
              v.time().getOffset().getTotalSeconds() / 60));
    }
    checkArgument(
        !checkIns.isEmpty(),
        "no visit of user '%s' at or before %s is at a POI this model knows (%s visits, %s at"
            + " unknown POIs)",
        userId,
        at,
        history.size(),
        unknownPois);
    checkIns.sort(Comparator.comparingLong(CheckIn::utcEpochSecond));
    long gap = protocol.sessionGap().getSeconds();
    int start = checkIns.size() - 1;
    while (start > 0
        && checkIns.get(start).utcEpochSecond() - checkIns.get(start - 1).utcEpochSecond() <= gap) {
      start--;
    }
    List<CheckIn> shortTerm = checkIns.subList(start, checkIns.size());
    List<CheckIn> longTerm =
        checkIns.subList(Math.max(0, start - protocol.maxLongTermCheckIns()), start);
    // The target's POI is never read (Sample's contract); the last visited one fills the field.
    CheckIn target =
        new CheckIn(
            user, shortTerm.getLast().poi(), atSecond, at.getOffset().getTotalSeconds() / 60);
    return new Sample(user, 0, shortTerm, longTerm, target, known == null, Split.TEST);
  }

  private List<Recommendation> recommendSample(Sample sample, int k) {
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    List<ScoredPoi> ranked;
    synchronized (lock) {
      checkState(!closed, "this recommender is closed");
      ranked = policy.recommendScored(List.of(sample), k).getFirst();
    }
    Map<Integer, Integer> counts = new HashMap<>();
    for (CheckIn c : sample.longTerm()) {
      counts.merge(c.poi(), 1, Integer::sum);
    }
    for (CheckIn c : sample.shortTerm()) {
      counts.merge(c.poi(), 1, Integer::sum);
    }
    SemanticId last = index.idAt(sample.lastCheckIn().poi());
    List<Recommendation> out = new ArrayList<>(ranked.size());
    for (int r = 0; r < ranked.size(); r++) {
      int poi = ranked.get(r).poi();
      SemanticId id = index.idAt(poi);
      int count = counts.getOrDefault(poi, 0);
      out.add(
          new Recommendation(
              r + 1,
              index.poiId(poi),
              index.format().render(id),
              Math.exp(ranked.get(r).logProb()),
              count > 0 ? Recommendation.Origin.COPIED : Recommendation.Origin.GENERATED,
              count,
              index.distance(id, last)));
    }
    return out;
  }

  /** Where the model came from: versions, data, seed, settings, test metrics. */
  public Provenance provenance() {
    return provenance;
  }

  /** The protocol the model reads histories with (and prepares data with in {@link #evaluate}). */
  public ProtocolConfig protocol() {
    return protocol;
  }

  /** The POI catalogue, in the dense order every part of the model indexes by. */
  public ImmutableList<Poi> catalogue() {
    return catalogue;
  }

  /** The source ids of the users the model was trained on, by dense index. */
  public ImmutableList<String> userIds() {
    return userIds;
  }

  /** The POI features (one row per catalogue POI). */
  public FloatMatrix features() {
    return features;
  }

  /** The fitted hierarchical SOM the IDs come from (it quantizes new POIs). */
  public Optional<HierarchicalSomModel> hierarchicalSom() {
    return hsom;
  }

  /** The semantic IDs: trie, vocabulary and the catalogue's dense numbering. */
  public SemanticIdIndex index() {
    return index;
  }

  /** The history evidence counted on the training split. */
  public HistoryEvidence evidence() {
    return evidence;
  }

  /** The policy's configuration. */
  public HistoryPolicyConfig policyConfig() {
    return policyConfig;
  }

  /** The policy, for {@link RecommenderBundle} (callers hold {@link #lock}). */
  HistoryPolicy policy() {
    return policy;
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (!closed) {
        closed = true;
        policy.close();
      }
    }
  }

  @Override
  public String toString() {
    return "NextPoiRecommender[%s, %d POIs, %d users, trained by Refine-POI %s]"
        .formatted(
            provenance.dataset(), catalogue.size(), userIds.size(), provenance.libraryVersion());
  }

  /**
   * SHA-256 (hex) of a prepared dataset: POI ids and coordinates, user ids, every check-in. Not its
   * name, which comes from the file name.
   */
  static String fingerprint(CheckInDataset dataset) {
    Hasher h = Hashing.sha256().newHasher();
    h.putInt(dataset.poiCount());
    for (Poi p : dataset.pois()) {
      h.putString(p.id(), StandardCharsets.UTF_8).putByte((byte) 0);
      h.putDouble(p.latitude()).putDouble(p.longitude());
    }
    h.putInt(dataset.userCount());
    for (String u : dataset.userIds()) {
      h.putString(u, StandardCharsets.UTF_8).putByte((byte) 0);
    }
    h.putInt(dataset.checkIns().size());
    for (CheckIn c : dataset.checkIns()) {
      h.putInt(c.user()).putInt(c.poi()).putLong(c.utcEpochSecond()).putInt(c.utcOffsetMinutes());
    }
    return h.hash().toString();
  }

  /**
   * This library's version, from the build ({@code "unknown"} when the build did not record it).
   */
  public static String libraryVersion() {
    try (InputStream in = NextPoiRecommender.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the library version", e);
    }
  }

  /**
   * Trains a {@link NextPoiRecommender} from a check-in dataset with the experiment's stages:
   * protocol, POI features, HSOM TREE IDs, history evidence, then the history policy's SFT and list
   * GRPO with the acceptance rule, and its test metrics (see {@link RecommendationExperiment}).
   * Defaults: {@link ExperimentConfig#builder()}'s documented settings (the seed included), no
   * progress reports, no stage listener.
   */
  public static final class Trainer {
    private ExperimentConfig config = ExperimentConfig.builder().build();
    private ProgressReporter progress = ProgressReporter.none();
    private StageListener stages = StageListener.NONE;

    private Trainer() {}

    private RecommendationExperiment experiment(ExperimentConfig settings) {
      return new RecommendationExperiment(settings).progress(progress).listener(stages);
    }

    /** The settings (protocol, lattices, policy, SFT and RL); the ablations are ignored. */
    public Trainer config(ExperimentConfig value) {
      this.config = checkNotNull(value, "config");
      return this;
    }

    /** The master seed (replaces the config's). */
    public Trainer seed(long value) {
      this.config = config.toBuilder().seed(value).build();
      return this;
    }

    /** Reports SFT and GRPO steps to a progress reporter. */
    public Trainer progress(ProgressReporter value) {
      this.progress = checkNotNull(value, "progress");
      return this;
    }

    /** Reports the start and end of every stage. */
    public Trainer listener(StageListener value) {
      this.stages = checkNotNull(value, "listener");
      return this;
    }

    /**
     * Trains on a raw dataset.
     *
     * @throws IllegalArgumentException when a split the training needs is empty or the catalogue is
     *     too small for the lattices
     */
    public NextPoiRecommender train(CheckInDataset raw) {
      checkNotNull(raw, "raw");
      return train(experiment(config).prepare(raw));
    }

    /**
     * Trains on data already prepared by the protocol; the model keeps the data's protocol (it
     * replaces the config's).
     *
     * @throws IllegalArgumentException when a split the training needs is empty or the catalogue is
     *     too small for the lattices
     */
    public NextPoiRecommender train(PreparedData data) {
      checkNotNull(data, "data");
      ExperimentConfig config = this.config.toBuilder().protocol(data.config()).build();
      RecommendationExperiment experiment = experiment(config);
      String name = data.dataset().name();
      checkArgument(!data.samples(Split.TRAIN).isEmpty(), "%s has no training samples", name);
      checkArgument(
          !data.samples(Split.VALIDATION).isEmpty(), "%s has no validation samples", name);
      checkArgument(!data.samples(Split.TEST).isEmpty(), "%s has no test samples", name);
      var features = experiment.features(data);
      SchemeIds ids = experiment.idScheme(IdScheme.HSOM_TREE, data, features);
      HistoryEvidence evidence = experiment.evidence(data);
      List<Sample> validation = experiment.validationSamples(data);
      try (HistoryRun run = experiment.recommendedModel(data, evidence, ids, "HSOM")) {
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.putAll(run.sft(experiment.sftSamples(data), validation));
        details.putAll(run.rl(data.samples(Split.TRAIN), validation));
        MethodResult result =
            run.evaluate(
                RecommendationExperiment.GRPO_HSOM,
                "sft+grpo",
                "final",
                data.samples(Split.TEST),
                details);
        LOG.debug(
            "trained on {}: test NDCG@10 {}, Acc@10 {}",
            name,
            result.evaluation().overall().ndcg10(),
            result.evaluation().overall().acc10());
        return from(new TrainedModel(config, data, features, ids, evidence, run.policy(), result));
      }
    }
  }
}
