package org.refinepoi.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.som.HierarchicalSom;
import org.refinepoi.som.train.Initialization;

/**
 * The distributed model does not depend on how the rows are split: any number of partitions, any
 * block size, any depth of the reduce tree and of child partitions give the local model's bytes.
 */
class PartitionInvarianceProperties {

  private static FloatMatrix data;
  private static byte[] expected;

  @BeforeContainer
  static void fitLocally() throws IOException {
    data = SparkTests.clustered(1000, 12);
    expected = SparkHierarchicalSomTest.bytes(hsom().fit(data));
  }

  private static HierarchicalSom hsom() {
    return SparkHierarchicalSomTest.tree(Initialization.PCA);
  }

  @Property(tries = 5, seed = "11")
  void anySplitGivesTheLocalModel(
      @ForAll @IntRange(min = 1, max = 12) int partitions,
      @ForAll @IntRange(min = 1, max = 700) int blockRows,
      @ForAll @IntRange(min = 1, max = 3) int reduceDepth,
      @ForAll @IntRange(min = 0, max = 5) int childPartitions)
      throws IOException {
    byte[] actual =
        SparkHierarchicalSomTest.bytes(
            SparkHierarchicalSom.builder(hsom())
                .blockRows(blockRows)
                .reduceDepth(reduceDepth)
                .childPartitions(childPartitions)
                .build()
                .fit(SparkTests.vectors(data, partitions)));
    assertThat(actual).isEqualTo(expected);
  }
}
