package org.refinepoi.rl.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The network of {@link TransformerPolicyModel} as a DJL block: token plus learned position
 * embeddings, pre-LN blocks of causal multi-head self-attention and a GELU MLP, a final layer norm
 * and an output head (tied to the token embeddings by default).
 *
 * <p>DJL has no decoder block and its {@code ScaledDotProductAttentionBlock} takes no causal mask,
 * so the attention is written here from NDArray ops with an additive mask built by hand: a query at
 * absolute position {@code i} sees the keys at positions {@code <= i} that are not padding. With a
 * {@link KvCache}, keys and values of earlier steps are reused (incremental decoding).
 *
 * <p>Inputs of {@link #forward}: tokens {@code (B, T)} int64, positions {@code (B, T)} int64 (each
 * token's index among its row's real tokens), and a key mask {@code (B, past + T)} float32 (1 =
 * real token, 0 = padding). Output: logits {@code (B, T, vocab)}.
 */
final class DecoderBlock extends AbstractBlock {

  private static final byte VERSION = 1;

  private final TransformerConfig config;
  private final Parameter tokenEmbedding;
  private final Parameter positionEmbedding;
  private final List<TransformerLayer> layers = new ArrayList<>();
  private final Parameter finalGamma;
  private final Parameter finalBeta;
  private final Parameter head;

  DecoderBlock(TransformerConfig config) {
    super(VERSION);
    this.config = config;
    int d = config.dModel();
    // GPT-2 style: N(0, 0.02), residual projections scaled by 1/sqrt(2 * layers).
    TransformerLayer.Factory f =
        TransformerLayer.factory(this::addParameter, new SplittableRandom(config.seed()));
    tokenEmbedding = f.weight("token_embedding", TransformerLayer.INIT_STD, config.vocabSize(), d);
    positionEmbedding =
        f.weight("position_embedding", TransformerLayer.INIT_STD, config.maxLength(), d);
    for (int l = 0; l < config.layers(); l++) {
      layers.add(TransformerLayer.create(f, l, config.layers(), d, config.mlpWidth()));
    }
    finalGamma = f.constant("final_gamma", 1f, d);
    finalBeta = f.constant("final_beta", 0f, d);
    head =
        config.tiedEmbeddings()
            ? null
            : f.weight("head_weight", TransformerLayer.INIT_STD, d, config.vocabSize());
  }

  TransformerConfig config() {
    return config;
  }

  /** Parameters that weight decay applies to (matrices, not norms, biases or embeddings). */
  static boolean decays(Parameter p) {
    return TransformerLayer.decays(p);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    return new NDList(forward(inputs.get(0), inputs.get(1), inputs.get(2), null));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape t = inputShapes[0];
    return new Shape[] {new Shape(t.get(0), t.get(1), config.vocabSize())};
  }

  /** Logits {@code (B, T, V)}; see the class comment for the inputs. */
  NDArray forward(NDArray tokens, NDArray positions, NDArray keyMask, KvCache cache) {
    return forward(tokens, positions, keyMask, cache, 0);
  }

  /**
   * Logits {@code (B, T - headFrom, V)} of the columns from {@code headFrom} on: the output head (a
   * {@code d x V} product per position) runs only where logits are needed.
   */
  NDArray forward(
      NDArray tokens, NDArray positions, NDArray keyMask, KvCache cache, long headFrom) {
    long batch = tokens.getShape().get(0);
    long steps = tokens.getShape().get(1);
    int past = cache == null ? 0 : cache.length();
    long total = past + steps;
    if (keyMask.getShape().get(1) != total) {
      throw new IllegalArgumentException(
          "key mask covers %d positions, expected %d".formatted(keyMask.getShape().get(1), total));
    }
    NDManager m = tokens.getManager();
    NDArray x =
        Embedding.embedding(tokens, tokenEmbedding.getArray(), SparseFormat.DENSE)
            .singletonOrThrow()
            .add(
                Embedding.embedding(positions, positionEmbedding.getArray(), SparseFormat.DENSE)
                    .singletonOrThrow());
    NDArray bias = attentionBias(m, keyMask, batch, steps, past);
    for (int l = 0; l < layers.size(); l++) {
      x = layers.get(l).forward(x, bias, config.heads(), cache, l);
    }
    if (cache != null) {
      cache.advance((int) steps);
    }
    if (headFrom > 0) {
      x = x.get(new NDIndex(":, {}:, :", headFrom));
    }
    x = TransformerLayer.norm(x, finalGamma, finalBeta);
    NDArray w = head == null ? tokenEmbedding.getArray().transpose() : head.getArray();
    return x.matMul(w);
  }

  /**
   * The additive attention mask {@code (B, 1, T, past + T)}: 0 where a query may look, -1e9 where
   * the key is in the future or padding.
   */
  private static NDArray attentionBias(
      NDManager m, NDArray keyMask, long batch, long steps, int past) {
    int total = (int) (past + steps);
    float[] causal = new float[(int) steps * total];
    for (int i = 0; i < steps; i++) {
      for (int j = past + i + 1; j < total; j++) {
        causal[i * total + j] = TransformerLayer.MASKED;
      }
    }
    NDArray causalArray = m.create(causal, new Shape(1, 1, steps, total));
    return TransformerLayer.paddingBias(keyMask).add(causalArray);
  }
}
