package org.refinepoi.rl.djl;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;

/**
 * The network of {@link HistoryPolicy}: a pointer-generator over a user's history.
 *
 * <p><b>POI representation.</b> A POI's vector is the sum of its semantic ID's token embeddings:
 * per level the embedding of its prefix node (the cell under its parent), plus, with topology
 * embeddings on, embeddings of the cell's lattice row and column (shared by every cell of that row
 * or column, so that neighbouring cells start near each other and share what they learn: the
 * lattice's topology enters the model here), plus the collision slot's embedding, plus an optional
 * free embedding per POI. The same matrix embeds history items and scores generated IDs (tied).
 *
 * <p><b>Encoder.</b> One query token (target hour and weekday, optionally the user), the recent
 * check-ins (POI, hour, weekday, age bucket, position from the most recent, whether in the current
 * trajectory) and the copy candidates (POI plus one embedding per evidence bucket) go through
 * pre-LN Transformer layers with a key-padding mask (no causal mask: the history is a set to read).
 *
 * <p><b>Heads.</b> From the query's final state {@code h}:
 *
 * <ul>
 *   <li>generation: {@code log p_gen = logSoftmax((h W_g + b_g) . E_poi^T + b_poi)} over every
 *       valid ID of the catalogue. The trie-constrained distribution is computed exactly for all
 *       IDs at once (a city holds thousands, not billions), so no beam is needed to find the best
 *       ones;
 *   <li>copy: {@code log p_copy = logSoftmax((h W_q) . (c_j W_k) / sqrt(d))} over the candidate
 *       slots (padding masked);
 *   <li>gate: {@code g = sigmoid(h . w + b)}, the probability of copying.
 * </ul>
 *
 * The policy's distribution over POIs is {@code p = g p_copy + (1 - g) p_gen} (see {@link
 * HistoryPolicy}); with the copy path off it is {@code p_gen}.
 */
final class HistoryNetwork extends AbstractBlock {

  private static final byte VERSION = 1;

  /** Value added to the logit of a padded candidate slot. */
  static final float MASKED = TransformerLayer.MASKED;

  private final HistoryPolicyConfig config;
  private final int poiCount;
  private final int userCount;

  /** Per POI, the rows of {@link #poiParts} whose sum is its vector: {@code (N, K)}. */
  private final long[] poiPartIndex;

  private final int poiPartsPerPoi;
  private final ContextLayout context;
  private final Parameter poiParts;
  private final Parameter contextEmbedding;
  private final List<TransformerLayer> layers = new ArrayList<>();
  private final Parameter finalGamma;
  private final Parameter finalBeta;
  private final Parameter genWeight;
  private final Parameter genBias;
  private final Parameter poiBias;
  private final Parameter copyQueryWeight;
  private final Parameter copyKeyWeight;
  private final Parameter gateWeight;
  private final Parameter gateBias;

  /**
   * Where each categorical input lives in the one context embedding table (one table instead of a
   * dozen: fewer tensors to look up, differentiate and update per step, which is what a small
   * network on a CPU pays for).
   */
  record ContextLayout(
      int type,
      int hour,
      int weekday,
      int user,
      int position,
      int age,
      int current,
      int[] feature,
      int size) {

    static ContextLayout of(HistoryPolicyConfig config, int userCount) {
      int at = 0;
      int type = at;
      at += 3;
      int hour = at;
      at += 24;
      int weekday = at;
      at += 7;
      int user = at;
      at += config.userEmbedding() ? userCount : 0;
      int position = at;
      at += config.recentCheckIns();
      int age = at;
      at += HistoryFeaturizer.AGE_BUCKETS;
      int current = at;
      at += 2;
      int[] feature = new int[HistoryFeaturizer.FEATURES];
      for (int i = 0; i < feature.length; i++) {
        feature[i] = at;
        at += HistoryFeaturizer.FEATURE_BUCKETS[i];
      }
      return new ContextLayout(type, hour, weekday, user, position, age, current, feature, at);
    }
  }

  /**
   * A network over a catalogue.
   *
   * @param config the shape and switches
   * @param space the ID space (lattices per level)
   * @param idsByPoi the semantic ID of each dense POI index
   * @param userCount the number of users (rows of the user embedding)
   */
  HistoryNetwork(
      HistoryPolicyConfig config, IdSpace space, List<SemanticId> idsByPoi, int userCount) {
    super(VERSION);
    checkArgument(!idsByPoi.isEmpty(), "no POIs");
    checkArgument(userCount >= 1, "userCount must be >= 1, got %s", userCount);
    this.config = config;
    this.poiCount = idsByPoi.size();
    this.userCount = userCount;
    int levels = space.levelCount();
    // the parts of a POI's vector: per level its prefix node (and the cell's row and column),
    // then its collision slot, then optionally its own free row
    List<Map<List<Integer>, Integer>> nodes = new ArrayList<>();
    for (int l = 0; l < levels; l++) {
      nodes.add(new HashMap<>());
    }
    int maxSlot = 0;
    int[][] nodeOfPoi = new int[levels][poiCount];
    for (int poi = 0; poi < poiCount; poi++) {
      SemanticId id = idsByPoi.get(poi);
      space.checkMember(id);
      List<Integer> prefix = new ArrayList<>();
      for (int l = 0; l < levels; l++) {
        prefix.add(id.cell(l));
        Integer node = nodes.get(l).get(prefix);
        if (node == null) {
          node = nodes.get(l).size();
          nodes.get(l).put(List.copyOf(prefix), node);
        }
        nodeOfPoi[l][poi] = node;
      }
      maxSlot = Math.max(maxSlot, id.collisionSlot());
    }
    boolean topology = config.topologyEmbeddings();
    int k = levels * (topology ? 3 : 1) + 1 + (config.poiEmbedding() ? 1 : 0);
    int[] nodeOffset = new int[levels];
    int[] rowOffset = new int[levels];
    int[] colOffset = new int[levels];
    int rowsTotal = 0;
    for (int l = 0; l < levels; l++) {
      nodeOffset[l] = rowsTotal;
      rowsTotal += nodes.get(l).size();
      if (topology) {
        rowOffset[l] = rowsTotal;
        rowsTotal += space.level(l).rows();
        colOffset[l] = rowsTotal;
        rowsTotal += space.level(l).cols();
      }
    }
    int slotOffset = rowsTotal;
    rowsTotal += maxSlot + 1;
    int ownOffset = rowsTotal;
    rowsTotal += config.poiEmbedding() ? poiCount : 0;
    poiPartsPerPoi = k;
    poiPartIndex = new long[poiCount * k];
    for (int poi = 0; poi < poiCount; poi++) {
      SemanticId id = idsByPoi.get(poi);
      int at = poi * k;
      for (int l = 0; l < levels; l++) {
        poiPartIndex[at++] = nodeOffset[l] + nodeOfPoi[l][poi];
        if (topology) {
          LatticeSpec lattice = space.level(l);
          poiPartIndex[at++] = rowOffset[l] + lattice.row(id.cell(l));
          poiPartIndex[at++] = colOffset[l] + lattice.col(id.cell(l));
        }
      }
      poiPartIndex[at++] = slotOffset + id.collisionSlot();
      if (config.poiEmbedding()) {
        poiPartIndex[at] = ownOffset + poi;
      }
    }
    context = ContextLayout.of(config, userCount);
    int d = config.dModel();
    float std = TransformerLayer.INIT_STD;
    TransformerLayer.Factory f =
        TransformerLayer.factory(this::addParameter, new SplittableRandom(config.seed()));
    poiParts = f.weight("poi_parts_embedding", std, rowsTotal, d);
    contextEmbedding = f.weight("context_embedding", std, context.size(), d);
    for (int l = 0; l < config.layers(); l++) {
      layers.add(TransformerLayer.create(f, l, config.layers(), d, config.mlpWidth()));
    }
    finalGamma = f.constant("final_gamma", 1f, d);
    finalBeta = f.constant("final_beta", 0f, d);
    genWeight = f.weight("gen_weight", std, d, d);
    genBias = f.constant("gen_bias", 0f, d);
    poiBias = f.constant("poi_bias", 0f, poiCount);
    copyQueryWeight = f.weight("copy_query_weight", std, d, d);
    copyKeyWeight = f.weight("copy_key_weight", std, d, d);
    gateWeight = f.weight("gate_weight", std, d, 1);
    gateBias = f.constant("gate_bias", 0f, 1);
  }

  /** The layout of the context embedding table. */
  ContextLayout contextLayout() {
    return context;
  }

  HistoryPolicyConfig config() {
    return config;
  }

  int poiCount() {
    return poiCount;
  }

  int userCount() {
    return userCount;
  }

  /** The shapes the block is initialized with (it takes no symbolic input shapes). */
  static Shape[] initShapes() {
    return new Shape[] {new Shape(1)};
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    throw new UnsupportedOperationException("use forward(Inputs)");
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), poiCount)};
  }

  /**
   * A batch of inputs: rows of the context embedding table (see {@link ContextLayout}) whose sums
   * embed each token, the POIs of the recent and candidate tokens, and the masks.
   *
   * @param query {@code (B, Kq)} context rows of the query token
   * @param recentPoi {@code (B, R)} (padding: any valid POI, masked)
   * @param recentContext {@code (B, R, Kr)} context rows of each recent check-in
   * @param recentMask {@code (B, R)}, 1 = real
   * @param candidatePoi {@code (B, S)}
   * @param candidateContext {@code (B, S, Kc)} context rows of each candidate (type, features)
   * @param candidateMask {@code (B, S)}, 1 = real
   * @param unseenUser whether some query reads the unseen-user row ({@link ContextLayout#size()}),
   *     so that only such a batch (serving, never training) pays for computing it
   */
  record Inputs(
      NDArray query,
      NDArray recentPoi,
      NDArray recentContext,
      NDArray recentMask,
      NDArray candidatePoi,
      NDArray candidateContext,
      NDArray candidateMask,
      boolean unseenUser) {}

  /**
   * The heads' outputs.
   *
   * @param genLogProbs {@code (B, N)} log p_gen over every POI
   * @param copyLogProbs {@code (B, S)} log p_copy over the candidate slots (padding about -1e9), or
   *     null with the copy path off
   * @param logGate {@code (B)} log g, or null with the copy path off
   * @param logOneMinusGate {@code (B)} log(1 - g), or null with the copy path off
   */
  record Outputs(
      NDArray genLogProbs, NDArray copyLogProbs, NDArray logGate, NDArray logOneMinusGate) {}

  /**
   * The context table the query reads: for a batch with an unseen user (and the user embedding on),
   * one row more at index {@link ContextLayout#size()}, the mean of the trained users' rows, which
   * is what a user the policy was not trained on reads (the "average user"; it is computed, not
   * trained, so training never moves it directly); otherwise the table itself.
   */
  private NDArray queryTable(NDArray table, boolean unseenUser) {
    if (!config.userEmbedding() || !unseenUser) {
      return table;
    }
    NDArray users = table.get(new NDIndex("{}:{}, :", context.user(), context.user() + userCount));
    return NDArrays.concat(new NDList(table, users.mean(new int[] {0}, true)), 0);
  }

  /** Runs the network. */
  Outputs forward(Inputs in) {
    NDManager m = in.query().getManager();
    long batch = in.query().getShape().get(0);
    long r = in.recentPoi().getShape().get(1);
    long s = in.candidatePoi().getShape().get(1);
    int d = config.dModel();
    NDArray table = contextEmbedding.getArray();
    NDArray poiVectors = poiVectors(m);
    NDArray q =
        embed(in.query(), queryTable(table, in.unseenUser()))
            .sum(new int[] {1})
            .reshape(batch, 1, d);
    NDArray recent =
        embed(in.recentPoi(), poiVectors).add(embed(in.recentContext(), table).sum(new int[] {2}));
    NDArray candidates =
        embed(in.candidatePoi(), poiVectors)
            .add(embed(in.candidateContext(), table).sum(new int[] {2}));
    NDArray x = NDArrays.concat(new NDList(q, recent, candidates), 1); // (B, T, d)
    NDArray keyMask =
        NDArrays.concat(
            new NDList(m.ones(new Shape(batch, 1)), in.recentMask(), in.candidateMask()), 1);
    NDArray bias = TransformerLayer.paddingBias(keyMask);
    for (int l = 0; l < layers.size(); l++) {
      x = layers.get(l).forward(x, bias, config.heads(), null, l);
    }
    x = TransformerLayer.norm(x, finalGamma, finalBeta);
    NDArray h = x.get(new NDIndex(":, 0, :")); // (B, d)
    NDArray gen =
        h.matMul(genWeight.getArray())
            .add(genBias.getArray())
            .matMul(poiVectors.transpose())
            .add(poiBias.getArray());
    NDArray genLogProbs = gen.logSoftmax(-1);
    if (!config.copy()) {
      return new Outputs(genLogProbs, null, null, null);
    }
    NDArray c = x.get(new NDIndex(":, {}:, :", 1 + r)); // (B, S, d)
    NDArray query = h.matMul(copyQueryWeight.getArray()).reshape(batch, 1, d);
    NDArray keys = c.matMul(copyKeyWeight.getArray()); // (B, S, d)
    NDArray copyLogits =
        TransformerLayer.scale(
                query.matMul(keys.transpose(0, 2, 1)).reshape(batch, s),
                1.0f / (float) Math.sqrt(d))
            .add(in.candidateMask().sub(1f).mul(-MASKED));
    NDArray gate = h.matMul(gateWeight.getArray()).reshape(batch).add(gateBias.getArray());
    return new Outputs(
        genLogProbs,
        copyLogits.logSoftmax(-1),
        Activation.softPlus(gate.neg()).neg(),
        Activation.softPlus(gate).neg());
  }

  /** The {@code (N, d)} POI vectors: the sum of each POI's ID token embeddings. */
  NDArray poiVectors(NDManager m) {
    NDArray index = m.create(poiPartIndex, new Shape(poiCount, poiPartsPerPoi));
    return embed(index, poiParts.getArray()).sum(new int[] {1});
  }

  private static NDArray embed(NDArray indices, NDArray table) {
    return Embedding.embedding(indices, table, SparseFormat.DENSE).singletonOrThrow();
  }
}
