package org.refinepoi.rl.djl;

import static com.google.common.base.Preconditions.checkArgument;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * AdamW (decoupled weight decay, Loshchilov and Hutter) over a model's parameters, with global
 * gradient-norm clipping. Weight decay applies to the weight matrices only (not to embeddings,
 * biases or layer-norm gains).
 *
 * <p>Why not DJL's {@code AdamW}: it creates its moment arrays lazily on the first update, inside
 * whatever {@link NDScope} is open, which then frees them; and it decays every parameter. Here the
 * moments are allocated up front, outside any scope, and saved with checkpoints. Not thread-safe.
 */
final class AdamWOptimizer {

  /** Every element of an array. */
  private static final NDIndex ALL = new NDIndex("...");

  private final List<Parameter> parameters;
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double weightDecay;
  private final NDArray[] firstMoments;
  private final NDArray[] secondMoments;
  private long steps;

  AdamWOptimizer(
      List<Parameter> parameters, double beta1, double beta2, double epsilon, double weightDecay) {
    checkArgument(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got %s", beta1);
    checkArgument(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got %s", beta2);
    checkArgument(epsilon > 0, "epsilon must be > 0, got %s", epsilon);
    checkArgument(weightDecay >= 0, "weightDecay must be >= 0, got %s", weightDecay);
    this.parameters = List.copyOf(parameters);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
    this.firstMoments = new NDArray[parameters.size()];
    this.secondMoments = new NDArray[parameters.size()];
    for (int i = 0; i < parameters.size(); i++) {
      NDArray w = parameters.get(i).getArray();
      firstMoments[i] = w.zerosLike();
      secondMoments[i] = w.zerosLike();
      NDScope.unregister(firstMoments[i], secondMoments[i]);
    }
  }

  /** Number of steps taken. */
  long steps() {
    return steps;
  }

  /**
   * Clips the accumulated gradients to a global L2 norm, takes one AdamW step at a learning rate,
   * and zeroes the gradients. Call with gradient recording off (after the collector is closed).
   *
   * @return the global gradient norm before clipping
   */
  double step(double learningRate, double maxGradNorm) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray[] grads = new NDArray[parameters.size()];
      double squared = 0;
      List<String> nonFinite = new ArrayList<>();
      for (int i = 0; i < grads.length; i++) {
        grads[i] = parameters.get(i).getArray().getGradient();
        // in double: a float sum of squares overflows long before the gradient itself does
        double s = grads[i].toType(DataType.FLOAT64, false).square().sum().getDouble();
        if (!Double.isFinite(s)) {
          nonFinite.add(parameters.get(i).getName());
        }
        squared += s;
      }
      double norm = Math.sqrt(squared);
      if (!Double.isFinite(norm)) {
        // refuse the step but leave clean gradients, so that a caller may skip this batch
        for (NDArray g : grads) {
          g.set(ALL, 0f);
        }
        throw new IllegalArgumentException(
            "the gradient is not finite (norm %s) in %s".formatted(norm, nonFinite));
      }
      double scale = norm > maxGradNorm ? maxGradNorm / (norm + 1e-12) : 1.0;
      steps++;
      float correction1 = (float) (1 - Math.pow(beta1, steps));
      float correction2 = (float) (1 - Math.pow(beta2, steps));
      for (int i = 0; i < grads.length; i++) {
        NDArray w = parameters.get(i).getArray();
        NDArray g = scale == 1.0 ? grads[i] : grads[i].mul((float) scale);
        firstMoments[i].muli((float) beta1).addi(g.mul((float) (1 - beta1)));
        secondMoments[i].muli((float) beta2).addi(g.square().mul((float) (1 - beta2)));
        if (weightDecay > 0 && DecoderBlock.decays(parameters.get(i))) {
          w.subi(w.mul((float) (learningRate * weightDecay)));
        }
        NDArray update =
            firstMoments[i]
                .div(correction1)
                .div(secondMoments[i].div(correction2).sqrt().add((float) epsilon))
                .mul((float) learningRate);
        w.subi(update);
        grads[i].set(ALL, 0f); // an assignment: g - g would keep an infinity as NaN
      }
      return norm;
    }
  }

  /** Writes the step count and the moments. */
  void save(DataOutputStream out) throws IOException {
    out.writeLong(steps);
    out.writeInt(parameters.size());
    for (int i = 0; i < parameters.size(); i++) {
      writeFloats(out, firstMoments[i].toFloatArray());
      writeFloats(out, secondMoments[i].toFloatArray());
    }
  }

  /** Reads what {@link #save} wrote, for the same parameter shapes. */
  void load(DataInputStream in) throws IOException {
    long savedSteps = in.readLong();
    int count = in.readInt();
    if (count != parameters.size()) {
      throw new IOException(
          "optimizer state has %d parameters, the model %d".formatted(count, parameters.size()));
    }
    float[][] first = new float[count][];
    float[][] second = new float[count][];
    for (int i = 0; i < count; i++) {
      long size = firstMoments[i].size();
      first[i] = readFloats(in, size);
      second[i] = readFloats(in, size);
    }
    for (int i = 0; i < count; i++) {
      firstMoments[i].set(first[i]);
      secondMoments[i].set(second[i]);
    }
    steps = savedSteps;
  }

  private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
    out.writeInt(values.length);
    for (float v : values) {
      out.writeFloat(v);
    }
  }

  private static float[] readFloats(DataInputStream in, long expected) throws IOException {
    int n = in.readInt();
    if (n != expected) {
      throw new IOException("optimizer moment of %d values, expected %d".formatted(n, expected));
    }
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = in.readFloat();
    }
    return values;
  }
}
