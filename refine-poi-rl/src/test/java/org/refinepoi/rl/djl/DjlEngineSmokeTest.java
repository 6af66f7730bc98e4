package org.refinepoi.rl.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** Checks that the bundled PyTorch engine loads offline and computes a matrix product. */
class DjlEngineSmokeTest {

  static {
    DjlTestThreads.pin();
  }

  @Test
  void pytorchEngineMultipliesMatricesOffline() {
    assertThat(Engine.getInstance().getEngineName()).isEqualTo("PyTorch");
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
      NDArray b = manager.create(new float[] {5, 6, 7, 8}, new ai.djl.ndarray.types.Shape(2, 2));
      assertThat(a.matMul(b).toFloatArray()).containsExactly(19, 22, 43, 50);
    }
  }
}
