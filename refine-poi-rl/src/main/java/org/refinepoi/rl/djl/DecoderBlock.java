package org.refinepoi.rl.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
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
  private static final float MASKED = -1e9f;
  private static final float LN_EPS = 1e-5f;
  private static final float INIT_STD = 0.02f;

  private final TransformerConfig config;
  private final Parameter tokenEmbedding;
  private final Parameter positionEmbedding;
  private final List<Layer> layers = new ArrayList<>();
  private final Parameter finalGamma;
  private final Parameter finalBeta;
  private final Parameter head;

  /** The parameters of one block. */
  private record Layer(
      Parameter ln1Gamma,
      Parameter ln1Beta,
      Parameter qkvWeight,
      Parameter qkvBias,
      Parameter outWeight,
      Parameter outBias,
      Parameter ln2Gamma,
      Parameter ln2Beta,
      Parameter fc1Weight,
      Parameter fc1Bias,
      Parameter fc2Weight,
      Parameter fc2Bias) {}

  DecoderBlock(TransformerConfig config) {
    super(VERSION);
    this.config = config;
    int d = config.dModel();
    SplittableRandom seeds = new SplittableRandom(config.seed());
    // GPT-2 style: N(0, 0.02), residual projections scaled by 1/sqrt(2 * layers).
    float residualStd = (float) (INIT_STD / Math.sqrt(2.0 * config.layers()));
    tokenEmbedding = weight("token_embedding", seeds, INIT_STD, config.vocabSize(), d);
    positionEmbedding = weight("position_embedding", seeds, INIT_STD, config.maxLength(), d);
    for (int l = 0; l < config.layers(); l++) {
      String p = "layer" + l + "_";
      layers.add(
          new Layer(
              constant(p + "ln1_gamma", 1f, d),
              constant(p + "ln1_beta", 0f, d),
              weight(p + "qkv_weight", seeds, INIT_STD, d, 3 * d),
              constant(p + "qkv_bias", 0f, 3 * d),
              weight(p + "out_weight", seeds, residualStd, d, d),
              constant(p + "out_bias", 0f, d),
              constant(p + "ln2_gamma", 1f, d),
              constant(p + "ln2_beta", 0f, d),
              weight(p + "fc1_weight", seeds, INIT_STD, d, config.mlpWidth()),
              constant(p + "fc1_bias", 0f, config.mlpWidth()),
              weight(p + "fc2_weight", seeds, residualStd, config.mlpWidth(), d),
              constant(p + "fc2_bias", 0f, d)));
    }
    finalGamma = constant("final_gamma", 1f, d);
    finalBeta = constant("final_beta", 0f, d);
    head =
        config.tiedEmbeddings()
            ? null
            : weight("head_weight", seeds, INIT_STD, d, config.vocabSize());
  }

  TransformerConfig config() {
    return config;
  }

  private Parameter weight(String name, SplittableRandom seeds, float std, long... shape) {
    long seed = seeds.nextLong();
    return addParameter(
        Parameter.builder()
            .setName(name)
            .setType(Parameter.Type.WEIGHT)
            .optShape(new Shape(shape))
            .optInitializer(new SeededNormal(seed, std))
            .build());
  }

  private Parameter constant(String name, float value, long... shape) {
    return addParameter(
        Parameter.builder()
            .setName(name)
            .setType(value == 0f ? Parameter.Type.BETA : Parameter.Type.GAMMA)
            .optShape(new Shape(shape))
            .optInitializer(value == 0f ? Initializer.ZEROS : Initializer.ONES)
            .build());
  }

  /** Parameters that weight decay applies to (matrices, not norms, biases or embeddings). */
  static boolean decays(Parameter p) {
    String n = p.getName();
    return n.endsWith("_weight") && !n.startsWith("token_") && !n.startsWith("position_");
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
      Layer layer = layers.get(l);
      NDArray h = norm(x, layer.ln1Gamma, layer.ln1Beta);
      x = x.add(attention(h, layer, bias, cache, l, batch, steps));
      h = norm(x, layer.ln2Gamma, layer.ln2Beta);
      NDArray mlp =
          Activation.gelu(h.matMul(layer.fc1Weight.getArray()).add(layer.fc1Bias.getArray()))
              .matMul(layer.fc2Weight.getArray())
              .add(layer.fc2Bias.getArray());
      x = x.add(mlp);
    }
    if (cache != null) {
      cache.advance((int) steps);
    }
    if (headFrom > 0) {
      x = x.get(new NDIndex(":, {}:, :", headFrom));
    }
    x = norm(x, finalGamma, finalBeta);
    NDArray w = head == null ? tokenEmbedding.getArray().transpose() : head.getArray();
    return x.matMul(w);
  }

  private static NDArray norm(NDArray x, Parameter gamma, Parameter beta) {
    return LayerNorm.layerNorm(
            x, new Shape(x.getShape().get(2)), gamma.getArray(), beta.getArray(), LN_EPS)
        .singletonOrThrow();
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
        causal[i * total + j] = MASKED;
      }
    }
    NDArray causalArray = m.create(causal, new Shape(1, 1, steps, total));
    NDArray padding = keyMask.toType(DataType.FLOAT32, false).sub(1f).mul(-MASKED);
    return padding.reshape(batch, 1, 1, total).add(causalArray);
  }

  private NDArray attention(
      NDArray h, Layer layer, NDArray bias, KvCache cache, int l, long batch, long steps) {
    int heads = config.heads();
    int dh = config.headDim();
    int d = config.dModel();
    NDArray qkv = h.matMul(layer.qkvWeight.getArray()).add(layer.qkvBias.getArray());
    NDList parts = qkv.split(3, 2);
    NDArray q = splitHeads(parts.get(0), batch, steps, heads, dh);
    NDArray k = splitHeads(parts.get(1), batch, steps, heads, dh);
    NDArray v = splitHeads(parts.get(2), batch, steps, heads, dh);
    if (cache != null) {
      k = cache.appendKeys(l, k);
      v = cache.appendValues(l, v);
    }
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(1.0f / (float) Math.sqrt(dh)).add(bias);
    NDArray context = scores.softmax(-1).matMul(v);
    NDArray merged = context.transpose(0, 2, 1, 3).reshape(batch, steps, d);
    return merged.matMul(layer.outWeight.getArray()).add(layer.outBias.getArray());
  }

  private static NDArray splitHeads(NDArray x, long batch, long steps, int heads, int dh) {
    return x.reshape(batch, steps, heads, dh).transpose(0, 2, 1, 3);
  }

  /** A normal initializer with a fixed seed, so that a model's initial weights are reproducible. */
  private record SeededNormal(long seed, float std) implements Initializer {
    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
      SplittableRandom random = new SplittableRandom(seed);
      float[] values = new float[Math.toIntExact(shape.size())];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) (random.nextGaussian() * std);
      }
      return manager.create(values, shape).toType(dataType, false);
    }
  }
}
