package org.refinepoi.som.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.refinepoi.core.io.NotEnoughMemoryException;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.backend.JavaSomBackend;

/** A training the heap cannot hold is refused with the figures, before anything is allocated. */
class TrainingMemoryTest {

  @Test
  void aLatticeTooLargeForTheHeapIsRefusedUpFront() {
    LatticeSpec huge = LatticeSpec.rectangular(4096, 4096);
    assertThat(SomTrainer.estimatedTrainingBytes(huge, 64)).isEqualTo((1L << 24) * 64 * 40);
    FloatMatrix data = FloatMatrix.wrap(3, 4096, new float[3 * 4096]);
    SomTrainer trainer = new SomTrainer(SomConfig.builder(huge).epochs(1).seed(1).build());
    assertThatThrownBy(() -> trainer.train(data, new JavaSomBackend(1)))
        .isInstanceOf(NotEnoughMemoryException.class)
        .hasMessageStartingWith(
            "training a 4096x4096 SOM on 4096-dimensional data needs about 2.5 TiB of heap");
  }
}
