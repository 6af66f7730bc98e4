package org.refinepoi.spark;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.backend.BmuResult;
import org.refinepoi.som.backend.FixedPointSums;
import org.refinepoi.som.backend.JavaBlockKernel;
import org.refinepoi.som.backend.SomSession;
import org.refinepoi.som.backend.SumFormat;
import org.refinepoi.som.backend.UnitSums;
import org.refinepoi.som.train.Neighbourhood;

/**
 * A SOM session over cached blocks spread across a Spark cluster: each epoch broadcasts the
 * codebook, every task streams its blocks through {@link JavaBlockKernel} into fixed-point sums
 * ({@link FixedPointSums}), a tree reduce adds them exactly, and the driver applies the
 * neighbourhood with the Java backend's own code ({@link SomSession#smooth}). The sums are those of
 * the single-JVM Java backend bit for bit whatever the partitioning, so the codebooks are too. The
 * driver holds only M × D values; the data never leaves the executors.
 */
final class SparkSomSession implements SomSession {

  private final VectorBlocks blocks;
  private final int reduceDepth;
  private boolean closed;

  SparkSomSession(VectorBlocks blocks, int reduceDepth) {
    this.blocks = blocks;
    this.reduceDepth = reduceDepth;
  }

  @Override
  public long samples() {
    return blocks.rows();
  }

  @Override
  public int dims() {
    return blocks.dims();
  }

  /**
   * Not offered: N-length arrays are what a distributed session must not gather on the driver.
   * Assign with {@link SparkSemanticIds} instead.
   */
  @Override
  public BmuResult bmu(FloatMatrix codebook, boolean withSecond) {
    throw new UnsupportedOperationException(
        "a distributed session does not gather per-sample BMUs on the driver;"
            + " use SparkSemanticIds to assign rows");
  }

  @Override
  public UnitSums accumulate(FloatMatrix codebook) {
    if (closed) {
      throw new IllegalStateException("session is closed");
    }
    SomSession.checkCodebook(codebook, blocks.dims(), false);
    return accumulateFixed(codebook).toUnitSums();
  }

  /** One epoch's fixed-point sums over every partition. */
  FixedPointSums accumulateFixed(FloatMatrix codebook) {
    Broadcast<FloatMatrix> shared = blocks.context().broadcast(codebook);
    SumFormat format = blocks.format();
    JavaRDD<VectorBlock> rdd = blocks.rdd();
    try {
      return rdd.mapPartitions(
              it -> {
                FloatMatrix w = shared.value();
                JavaBlockKernel kernel = JavaBlockKernel.create();
                JavaBlockKernel.PreparedCodebook prepared = kernel.prepare(w);
                FixedPointSums.Accumulator acc = FixedPointSums.accumulator(format, w);
                while (it.hasNext()) {
                  kernel.accumulate(it.next().vectors(), prepared, acc);
                }
                return List.of(acc.build()).iterator();
              })
          .treeReduce(FixedPointSums::plus, reduceDepth);
    } finally {
      shared.destroy();
    }
  }

  @Override
  public FloatMatrix batchEpoch(
      FloatMatrix codebook, LatticeSpec lattice, Neighbourhood neighbourhood, double radius) {
    SomSession.checkLatticeEpoch(codebook, lattice, neighbourhood, radius);
    return SomSession.smooth(accumulate(codebook), codebook, lattice, neighbourhood, radius);
  }

  @Override
  public void close() {
    closed = true;
  }
}
