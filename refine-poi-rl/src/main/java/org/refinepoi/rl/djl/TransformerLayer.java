package org.refinepoi.rl.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.initializer.Initializer;
import java.util.SplittableRandom;

/**
 * One pre-LN Transformer layer (multi-head self-attention then a GELU MLP, each with a residual),
 * shared by the policy networks. DJL has no such block with an arbitrary additive attention mask,
 * so it is written from NDArray ops; the owning block registers the parameters (so that they are
 * saved, loaded and trained with it), which is why they are created through a {@link Factory}.
 *
 * @param ln1Gamma first layer-norm gain
 * @param ln1Beta first layer-norm bias
 * @param qkvWeight query, key and value projections, {@code (d, 3d)}
 * @param qkvBias their bias
 * @param outWeight attention output projection
 * @param outBias its bias
 * @param ln2Gamma second layer-norm gain
 * @param ln2Beta second layer-norm bias
 * @param fc1Weight MLP input projection
 * @param fc1Bias its bias
 * @param fc2Weight MLP output projection
 * @param fc2Bias its bias
 */
record TransformerLayer(
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
    Parameter fc2Bias) {

  /** The additive attention-mask value of a key a query may not see. */
  static final float MASKED = -1e9f;

  /** Layer-norm epsilon. */
  static final float LN_EPS = 1e-5f;

  /** Standard deviation of the GPT-2 style initialization. */
  static final float INIT_STD = 0.02f;

  /** Registers parameters on the owning block. */
  interface Factory {
    /** A weight drawn from N(0, std^2) with a seed of its own. */
    Parameter weight(String name, float std, long... shape);

    /** A constant-initialized parameter (0 for biases, 1 for gains). */
    Parameter constant(String name, float value, long... shape);
  }

  /**
   * The parameters of layer {@code index} of {@code layers}, named {@code layer<index>_...}:
   * residual projections are scaled by {@code 1/sqrt(2 * layers)} (GPT-2).
   */
  static TransformerLayer create(Factory f, int index, int layers, int d, int mlpWidth) {
    String p = "layer" + index + "_";
    float residualStd = (float) (INIT_STD / Math.sqrt(2.0 * layers));
    return new TransformerLayer(
        f.constant(p + "ln1_gamma", 1f, d),
        f.constant(p + "ln1_beta", 0f, d),
        f.weight(p + "qkv_weight", INIT_STD, d, 3 * d),
        f.constant(p + "qkv_bias", 0f, 3 * d),
        f.weight(p + "out_weight", residualStd, d, d),
        f.constant(p + "out_bias", 0f, d),
        f.constant(p + "ln2_gamma", 1f, d),
        f.constant(p + "ln2_beta", 0f, d),
        f.weight(p + "fc1_weight", INIT_STD, d, mlpWidth),
        f.constant(p + "fc1_bias", 0f, mlpWidth),
        f.weight(p + "fc2_weight", residualStd, mlpWidth, d),
        f.constant(p + "fc2_bias", 0f, d));
  }

  /**
   * The layer on {@code x (B, T, d)} with an additive attention bias broadcastable to {@code (B,
   * heads, T, past + T)}; with a cache, keys and values of earlier positions are reused and this
   * layer's new ones appended.
   */
  NDArray forward(NDArray x, NDArray bias, int heads, KvCache cache, int layerIndex) {
    NDArray h = norm(x, ln1Gamma, ln1Beta);
    x = x.add(attention(h, bias, heads, cache, layerIndex));
    h = norm(x, ln2Gamma, ln2Beta);
    NDArray mlp =
        Activation.gelu(h.matMul(fc1Weight.getArray()).add(fc1Bias.getArray()))
            .matMul(fc2Weight.getArray())
            .add(fc2Bias.getArray());
    return x.add(mlp);
  }

  private NDArray attention(NDArray h, NDArray bias, int heads, KvCache cache, int layerIndex) {
    long batch = h.getShape().get(0);
    long steps = h.getShape().get(1);
    int d = (int) h.getShape().get(2);
    int dh = d / heads;
    NDArray qkv = h.matMul(qkvWeight.getArray()).add(qkvBias.getArray());
    NDList parts = qkv.split(3, 2);
    NDArray q = splitHeads(parts.get(0), batch, steps, heads, dh);
    NDArray k = splitHeads(parts.get(1), batch, steps, heads, dh);
    NDArray v = splitHeads(parts.get(2), batch, steps, heads, dh);
    if (cache != null) {
      k = cache.appendKeys(layerIndex, k);
      v = cache.appendValues(layerIndex, v);
    }
    NDArray scores =
        scale(q.matMul(k.transpose(0, 1, 3, 2)), 1.0f / (float) Math.sqrt(dh)).add(bias);
    NDArray context = scores.softmax(-1).matMul(v);
    NDArray merged = context.transpose(0, 2, 1, 3).reshape(batch, steps, d);
    return merged.matMul(outWeight.getArray()).add(outBias.getArray());
  }

  private static NDArray splitHeads(NDArray x, long batch, long steps, int heads, int dh) {
    return x.reshape(batch, steps, heads, dh).transpose(0, 2, 1, 3);
  }

  /**
   * {@code x * c} for a constant {@code c}, safe under autograd. DJL's {@code mul(Number)} makes
   * the constant a tensor over a direct buffer, multiplies and closes it at once; the autograd
   * graph keeps that tensor for the backward pass, and once the buffer is garbage collected the
   * backward pass reads freed memory (seen here as gradients of 1e25 and NaN that appear with heap
   * pressure and vanish on a rerun). Here the constant stays open in the caller's {@code NDScope}
   * until the scope closes, after the backward pass.
   */
  static NDArray scale(NDArray x, float c) {
    return x.mul(x.getManager().create(c));
  }

  /** Layer norm over the last axis. */
  static NDArray norm(NDArray x, Parameter gamma, Parameter beta) {
    long last = x.getShape().get(x.getShape().dimension() - 1);
    return LayerNorm.layerNorm(x, new Shape(last), gamma.getArray(), beta.getArray(), LN_EPS)
        .singletonOrThrow();
  }

  /**
   * The additive key-padding bias {@code (B, 1, 1, T)} of a key mask {@code (B, T)} (1 = real, 0 =
   * padding): 0 where a query may look, {@link #MASKED} on padding.
   */
  static NDArray paddingBias(NDArray keyMask) {
    long batch = keyMask.getShape().get(0);
    long total = keyMask.getShape().get(1);
    return keyMask.toType(DataType.FLOAT32, false).sub(1f).mul(-MASKED).reshape(batch, 1, 1, total);
  }

  /** A {@link Factory} over an owning block's {@code addParameter}, seeded from one stream. */
  static Factory factory(ParameterSink sink, SplittableRandom seeds) {
    return new Factory() {
      @Override
      public Parameter weight(String name, float std, long... shape) {
        long seed = seeds.nextLong();
        return sink.add(
            Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(shape))
                .optInitializer(new SeededNormal(seed, std))
                .build());
      }

      @Override
      public Parameter constant(String name, float value, long... shape) {
        return sink.add(
            Parameter.builder()
                .setName(name)
                .setType(value == 0f ? Parameter.Type.BETA : Parameter.Type.GAMMA)
                .optShape(new Shape(shape))
                .optInitializer(value == 0f ? Initializer.ZEROS : Initializer.ONES)
                .build());
      }
    };
  }

  /** Where a {@link Factory} registers parameters: the owning block's {@code addParameter}. */
  @FunctionalInterface
  interface ParameterSink {
    /** Registers and returns the parameter. */
    Parameter add(Parameter parameter);
  }

  /**
   * Parameters that weight decay applies to: matrices named {@code ..._weight}, not norms, biases
   * or embeddings.
   */
  static boolean decays(Parameter p) {
    String n = p.getName();
    return n.endsWith("_weight") && !n.startsWith("token_") && !n.startsWith("position_");
  }

  /** A normal initializer with a fixed seed, so that a model's initial weights are reproducible. */
  record SeededNormal(long seed, float std) implements Initializer {
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
