package org.refinepoi.rl.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/**
 * {@link TransformerLayer#scale} keeps its constant alive until the backward pass: with garbage
 * collections between forward and backward (which free the direct buffer behind a closed DJL
 * constant), the gradient is still exactly the constant.
 */
class ConstantScaleTest {

  static {
    DjlTestThreads.pin();
  }

  @Test
  void theGradientOfAScaledSumIsTheConstantEvenAfterGarbageCollections() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray x = manager.create(new float[] {1, 2, 3, 4});
      x.setRequiresGradient(true);
      for (int round = 0; round < 20; round++) {
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray y = TransformerLayer.scale(x, 0.125f).sum();
            // allocate and drop direct buffers so that freed memory is reused
            for (int i = 0; i < 50; i++) {
              manager.create(new float[4096]).close();
            }
            System.gc();
            collector.backward(y);
          }
          float[] grad = x.getGradient().toFloatArray();
          assertThat(grad).containsOnly(0.125f);
          x.getGradient().set(new ai.djl.ndarray.index.NDIndex("..."), 0f);
        }
      }
    }
  }
}
