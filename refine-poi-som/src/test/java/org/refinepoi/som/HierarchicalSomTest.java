package org.refinepoi.som;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.refinepoi.core.io.AtomicFiles;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.som.backend.JavaSomBackend;
import org.refinepoi.som.train.SomMap;

class HierarchicalSomTest {

  static FloatMatrix clustered(int n, long seed) {
    return SomTestMatrices.clustered(n, seed);
  }

  private static HierarchicalSom small(HierarchyMode mode, int threads) {
    return HierarchicalSom.builder()
        .levels(LatticeSpec.rectangular(6, 6), LatticeSpec.hexagonal(2, 3))
        .mode(mode)
        .epochs(10, 8)
        .seed(5)
        .backend(new JavaSomBackend(threads))
        .build();
  }

  @ParameterizedTest
  @EnumSource(HierarchyMode.class)
  void idsAreUniqueAndRoundTripThroughQuantize(HierarchyMode mode) {
    FloatMatrix x = clustered(900, 1);
    HierarchicalSomModel model = small(mode, 2).fit(x);
    List<SemanticId> ids = model.assignIds(x);
    assertThat(new HashSet<>(ids)).hasSize(900);
    for (int i = 0; i < x.rows(); i++) {
      SemanticId id = ids.get(i);
      model.idSpace().checkMember(id);
      assertThat(model.quantize(x.row(i)).cells()).containsExactly(id.cells());
      assertThat(model.cells(x.row(i))).containsExactly(id.cells());
    }
    // Collision slots: 0..k-1 within each leaf, ordered by distance to the leaf prototype.
    java.util.Map<List<Integer>, List<Integer>> byLeaf = new java.util.HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      int[] c = ids.get(i).cells();
      byLeaf.computeIfAbsent(List.of(c[0], c[1]), k -> new java.util.ArrayList<>()).add(i);
    }
    for (List<Integer> members : byLeaf.values()) {
      members.sort(java.util.Comparator.comparingInt(i -> ids.get(i).collisionSlot()));
      double last = -1;
      for (int s = 0; s < members.size(); s++) {
        int i = members.get(s);
        assertThat(ids.get(i).collisionSlot()).isEqualTo(s);
        double dist = distance(x.row(i), model.leafPrototype(x.row(i)));
        assertThat(dist).isGreaterThanOrEqualTo(last);
        last = dist;
      }
    }
  }

  private static double distance(float[] a, float[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += ((double) a[k] - b[k]) * ((double) a[k] - b[k]);
    }
    return Math.sqrt(s);
  }

  @ParameterizedTest
  @EnumSource(HierarchyMode.class)
  void sameSeedSameIdsWhateverTheThreadCount(HierarchyMode mode) {
    FloatMatrix x = clustered(700, 2);
    List<SemanticId> one = small(mode, 1).fit(x).assignIds(x);
    List<SemanticId> four = small(mode, 4).fit(x).assignIds(x);
    assertThat(four).isEqualTo(one);
  }

  @ParameterizedTest
  @EnumSource(HierarchyMode.class)
  void threeLevelsAndOneLevelWork(HierarchyMode mode, @TempDir Path dir) throws IOException {
    FloatMatrix x = clustered(600, 10);
    HierarchicalSomModel three =
        HierarchicalSom.builder()
            .levels(
                LatticeSpec.rectangular(4, 4),
                new LatticeSpec(2, 3, LatticeSpec.Topology.RECTANGULAR, true),
                LatticeSpec.rectangular(2, 2))
            .mode(mode)
            .epochs(8, 6, 4)
            .backend(new JavaSomBackend(2))
            .build()
            .fit(x);
    List<SemanticId> ids = three.assignIds(x);
    assertThat(new HashSet<>(ids)).hasSize(600);
    for (int i = 0; i < 600; i += 7) {
      assertThat(three.cells(x.row(i))).containsExactly(ids.get(i).cells());
    }
    Path file = dir.resolve("three.hsom");
    three.save(file);
    assertThat(HierarchicalSomModel.load(file).assignIds(x)).isEqualTo(ids);
    HierarchicalSomModel one =
        HierarchicalSom.builder()
            .levels(LatticeSpec.hexagonal(5, 5))
            .mode(mode)
            .backend(new JavaSomBackend(1))
            .build()
            .fit(x);
    assertThat(new HashSet<>(one.assignIds(x))).hasSize(600);
    assertThat(one.levelCount()).isEqualTo(1);
  }

  @Test
  void reconstructionErrorShrinksWithDepth() {
    FloatMatrix x = clustered(900, 3);
    for (HierarchyMode mode : HierarchyMode.values()) {
      HierarchicalSomModel model = small(mode, 2).fit(x);
      double[] qe = new double[2];
      for (int i = 0; i < x.rows(); i++) {
        float[][] rec = model.reconstructions(x.row(i));
        for (int l = 0; l < 2; l++) {
          qe[l] += distance(x.row(i), rec[l]) / x.rows();
        }
      }
      assertThat(qe[1]).as(mode.toString()).isLessThan(qe[0]);
    }
  }

  @Test
  void treeChildrenAreTrainedOnlyOnTheirParentsPois() {
    FloatMatrix x = clustered(500, 4);
    HierarchicalSomModel model = small(HierarchyMode.TREE, 2).fit(x);
    SomMap root = model.map(0).orElseThrow();
    java.util.Set<Integer> occupied = new HashSet<>();
    for (int i = 0; i < x.rows(); i++) {
      occupied.add(root.bmu(x.row(i)));
    }
    for (int c = 0; c < root.lattice().size(); c++) {
      assertThat(model.map(1, c).isPresent()).isEqualTo(occupied.contains(c));
    }
    assertThat(model.maps(1)).hasSize(occupied.size());
    assertThat(model.maps(0)).containsExactly(root);
    // A new vector far from everything still gets a valid ID without retraining.
    float[] far = new float[8];
    java.util.Arrays.fill(far, 1000f);
    model.idSpace().checkMember(model.quantize(far));
  }

  @ParameterizedTest
  @EnumSource(HierarchyMode.class)
  void savesAndLoads(HierarchyMode mode, @TempDir Path dir) throws IOException {
    FloatMatrix x = clustered(400, 5);
    HierarchicalSomModel model = small(mode, 2).fit(x);
    Path file = dir.resolve("model.hsom");
    model.save(file);
    HierarchicalSomModel back = HierarchicalSomModel.load(file);
    assertThat(back.mode()).isEqualTo(mode);
    assertThat(back.idSpace()).isEqualTo(model.idSpace());
    assertThat(back.assignIds(x)).isEqualTo(model.assignIds(x));
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void refusesCorruptForeignAndFutureFiles(@TempDir Path dir) throws IOException {
    HierarchicalSomModel model = small(HierarchyMode.TREE, 1).fit(clustered(200, 6));
    Path file = dir.resolve("m.hsom");
    model.save(file);
    byte[] good = Files.readAllBytes(file);

    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 0x10;
    Files.write(file, flipped);
    assertThatThrownBy(() -> HierarchicalSomModel.load(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("checksum");

    Files.write(file, java.util.Arrays.copyOf(good, good.length - 100));
    assertThatThrownBy(() -> HierarchicalSomModel.load(file)).isInstanceOf(IOException.class);

    Files.writeString(file, "{\"not\": \"a model\"}");
    assertThatThrownBy(() -> HierarchicalSomModel.load(file)).hasMessageContaining("bad magic");

    byte[] future = good.clone();
    // A newer version's file, its checksum valid (a flipped version byte is corruption).
    ByteBuffer.wrap(future).putInt(8, 99);
    ByteBuffer.wrap(future)
        .putLong(future.length - 8, AtomicFiles.crc32(future, 0, future.length - 8));
    Files.write(file, future);
    assertThatThrownBy(() -> HierarchicalSomModel.load(file)).hasMessageContaining("version 99");
  }

  @Test
  void indexBindsPoiIdsToTheirIds() {
    FloatMatrix x = clustered(300, 9);
    HierarchicalSomModel model = small(HierarchyMode.TREE, 2).fit(x);
    List<String> pois = new java.util.ArrayList<>();
    for (int i = 0; i < 300; i++) {
      pois.add("poi-" + i);
    }
    org.refinepoi.core.sid.SemanticIdIndex index = model.index(pois, x);
    List<SemanticId> ids = model.assignIds(x);
    for (int i = 0; i < 300; i++) {
      assertThat(index.idOf("poi-" + i)).isEqualTo(ids.get(i));
    }
    assertThat(index.space()).isEqualTo(model.idSpace());
    assertThatThrownBy(() -> model.index(pois.subList(0, 5), x)).hasMessageContaining("5 POI ids");
  }

  @Test
  void builderValidatesAndRejectsBadInput() {
    assertThatThrownBy(() -> HierarchicalSom.builder().epochs(5).build())
        .hasMessageContaining("epochs has 1 values for 2 levels");
    assertThatThrownBy(() -> HierarchicalSom.builder().levels().build())
        .hasMessageContaining("at least one level");
    assertThatThrownBy(() -> HierarchicalSom.builder().backend("no-such-backend"))
        .hasMessageContaining("unknown SOM backend");
    HierarchicalSomModel model = small(HierarchyMode.TREE, 1).fit(clustered(100, 7));
    assertThatThrownBy(() -> model.quantize(new float[3])).hasMessageContaining("expects 8");
    float[] nan = new float[8];
    nan[2] = Float.NaN;
    assertThatThrownBy(() -> model.quantize(nan)).hasMessageContaining("NaN");
  }

  @Test
  void defaultsFitACityWithoutTuning() {
    HierarchicalSom hsom = HierarchicalSom.builder().backend(new JavaSomBackend(2)).build();
    assertThat(hsom.levels())
        .containsExactly(LatticeSpec.rectangular(16, 16), LatticeSpec.rectangular(4, 4));
    FloatMatrix x = clustered(1500, 8);
    HierarchicalSomModel model = hsom.fit(x);
    List<SemanticId> ids = model.assignIds(x);
    assertThat(new HashSet<>(ids)).hasSize(1500);
    long slotZero = ids.stream().filter(id -> id.collisionSlot() == 0).count();
    // Most POIs should get a leaf of their own or be its closest member.
    assertThat(slotZero).isGreaterThan(500);
  }

  /**
   * A backend that trains child maps together (as the CUDA backend does on a GPU), here by running
   * each group's epochs on the Java backend with the given weights: records what it was asked.
   */
  static final class BatchingBackend
      implements org.refinepoi.som.backend.SomBackend,
          org.refinepoi.som.backend.BatchedMapTraining {
    final JavaSomBackend cpu = new JavaSomBackend(2);
    final java.util.List<Integer> batches = new java.util.ArrayList<>();

    @Override
    public String name() {
      return "batching";
    }

    @Override
    public org.refinepoi.som.backend.SomSession open(FloatMatrix data) {
      return cpu.open(data);
    }

    @Override
    public boolean canTrainMaps(LatticeSpec lattice, int dims) {
      return true;
    }

    @Override
    public FloatMatrix trainMaps(
        FloatMatrix data,
        int[] groupOf,
        int maps,
        LatticeSpec lattice,
        FloatMatrix initial,
        java.util.List<float[]> neighbourhoods) {
      synchronized (batches) {
        batches.add(maps);
      }
      int m = lattice.size();
      int d = data.cols();
      float[] out = new float[maps * m * d];
      for (int g = 0; g < maps; g++) {
        int gg = g;
        int[] rows =
            java.util.stream.IntStream.range(0, groupOf.length)
                .filter(i -> groupOf[i] == gg)
                .toArray();
        FloatMatrix w =
            FloatMatrix.wrap(
                m,
                d,
                java.util.Arrays.copyOfRange(initial.unsafeData(), g * m * d, (g + 1) * m * d));
        try (org.refinepoi.som.backend.SomSession s = cpu.open(data.selectRows(rows))) {
          for (float[] h : neighbourhoods) {
            w = s.batchEpoch(w, h);
          }
        }
        System.arraycopy(w.unsafeData(), 0, out, g * m * d, m * d);
      }
      return FloatMatrix.wrap(maps * m, d, out);
    }
  }

  @Test
  void largeTreeChildrenOfALevelAreTrainedInOneBatchWhenTheBackendCan() {
    FloatMatrix x = clustered(3000, 21);
    BatchingBackend batching = new BatchingBackend();
    HierarchicalSom.Builder b =
        HierarchicalSom.builder()
            .levels(LatticeSpec.rectangular(3, 3), LatticeSpec.rectangular(3, 3))
            .epochs(8, 6)
            .seed(9)
            .smallMapSamples(200);
    HierarchicalSomModel viaBatch = b.backend(batching).build().fit(x);
    HierarchicalSomModel perChild = b.backend(new JavaSomBackend(2)).build().fit(x);
    // One batch for the children of the root: those with >= 200 samples.
    int big = 0;
    int[] sizes = new int[9];
    for (int i = 0; i < x.rows(); i++) {
      sizes[perChild.cells(x.row(i))[0]]++;
    }
    for (int size : sizes) {
      big += size >= 200 ? 1 : 0;
    }
    assertThat(big).isGreaterThan(1);
    assertThat(batching.batches).containsExactly(big);
    // Same maps as training each child on its own, up to the dense vs separable smoothing's
    // float rounding (stated tolerance 1e-4 relative per codebook).
    for (int c = 0; c < 9; c++) {
      assertThat(
              SomTestMatrices.relativeError(
                  viaBatch.root().children()[c].map().codebook(),
                  perChild.root().children()[c].map().codebook()))
          .as("child %s", c)
          .isLessThan(1e-4);
    }
  }
}
