package org.refinepoi.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.HierarchicalSom;
import org.refinepoi.som.HierarchyMode;
import org.refinepoi.som.backend.JavaSomBackend;
import org.refinepoi.som.train.Initialization;

/**
 * The distributed model does not depend on how the rows are split: for TREE and RESIDUAL, any
 * number of partitions, any block size, any depth of the reduce tree and any number of child
 * partitions give the local model's bytes.
 */
class PartitionInvarianceProperties {

  private static FloatMatrix data;
  private static final Map<HierarchyMode, byte[]> EXPECTED = new EnumMap<>(HierarchyMode.class);

  @BeforeContainer
  static void fitLocally() throws IOException {
    data = SparkTests.clustered(1000, 12);
    for (HierarchyMode mode : HierarchyMode.values()) {
      EXPECTED.put(mode, SparkHierarchicalSomTest.bytes(hsom(mode).fit(data)));
    }
  }

  private static HierarchicalSom hsom(HierarchyMode mode) {
    return HierarchicalSom.builder()
        .levels(LatticeSpec.rectangular(6, 6), LatticeSpec.rectangular(2, 3))
        .mode(mode)
        .epochs(6, 5)
        .initialization(Initialization.PCA)
        .seed(9)
        .smallMapSamples(100)
        .backend(new JavaSomBackend(2))
        .build();
  }

  @Property(tries = 6, seed = "11")
  void anySplitGivesTheLocalModel(
      @ForAll HierarchyMode mode,
      @ForAll @IntRange(min = 1, max = 12) int partitions,
      @ForAll @IntRange(min = 1, max = 700) int blockRows,
      @ForAll @IntRange(min = 1, max = 3) int reduceDepth,
      @ForAll @IntRange(min = 0, max = 5) int childPartitions)
      throws IOException {
    Statistics.collect(mode);
    Statistics.coverage(
        c -> {
          c.check(HierarchyMode.TREE).count(n -> n >= 1);
          c.check(HierarchyMode.RESIDUAL).count(n -> n >= 1);
        });
    byte[] actual =
        SparkHierarchicalSomTest.bytes(
            SparkHierarchicalSom.builder(hsom(mode))
                .blockRows(blockRows)
                .reduceDepth(reduceDepth)
                .childPartitions(childPartitions)
                .build()
                .fit(SparkTests.vectors(data, partitions)));
    assertThat(actual).as("%s", mode).isEqualTo(EXPECTED.get(mode));
  }
}
