package org.refinepoi.som;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.backend.JavaSomBackend;
import org.refinepoi.som.backend.SomSession;
import org.refinepoi.som.train.SomMap;
import org.refinepoi.som.train.SomTrainer;

/** The pieces a distributed trainer assembles a model from give the model {@code fit} gives. */
class DistributedFitSeamTest {

  private static HierarchicalSom tree() {
    return HierarchicalSom.builder()
        .levels(
            LatticeSpec.rectangular(5, 5),
            LatticeSpec.rectangular(2, 3),
            LatticeSpec.hexagonal(2, 2))
        .epochs(8, 6, 4)
        .seed(11)
        .smallMapSamples(50)
        .backend(new JavaSomBackend(2))
        .build();
  }

  static byte[] bytes(HierarchicalSomModel model, Path dir) throws IOException {
    Path f = Files.createTempFile(dir, "m", ".hsom");
    model.save(f);
    return Files.readAllBytes(f);
  }

  @Test
  void firstLevelMapPlusSubtreesIsTheFittedTree(@TempDir Path dir) throws IOException {
    FloatMatrix x = HierarchicalSomTest.clustered(900, 3);
    HierarchicalSom hsom = tree();
    HierarchicalSomModel fitted = hsom.fit(x);

    SomMap root = new SomTrainer(hsom.levelConfig(0)).train(x, new JavaSomBackend(1));
    int[] bmu;
    try (SomSession s = new JavaSomBackend(1).open(x)) {
      bmu = s.bmu(root.codebook(), false).best();
    }
    List<HierarchicalSomModel> subtrees = new ArrayList<>();
    for (int u = 0; u < root.lattice().size(); u++) {
      List<Integer> members = new ArrayList<>();
      for (int i = 0; i < bmu.length; i++) {
        if (bmu[i] == u) {
          members.add(i);
        }
      }
      subtrees.add(
          members.isEmpty()
              ? null
              : hsom.withBackend(new JavaSomBackend(1))
                  .fitSubtree(u, x.selectRows(members.stream().mapToInt(i -> i).toArray())));
    }
    HierarchicalSomModel assembled = HierarchicalSomModel.ofTree(hsom.levels(), root, subtrees);
    assertThat(bytes(assembled, dir)).isEqualTo(bytes(fitted, dir));
  }

  @Test
  void residualLevelsFromTheirMapsAreTheFittedModel(@TempDir Path dir) throws IOException {
    FloatMatrix x = HierarchicalSomTest.clustered(600, 4);
    HierarchicalSom hsom =
        HierarchicalSom.builder()
            .levels(LatticeSpec.rectangular(4, 4), LatticeSpec.rectangular(3, 3))
            .mode(HierarchyMode.RESIDUAL)
            .epochs(6, 5)
            .build();
    List<SomMap> maps = new ArrayList<>();
    FloatMatrix r = x;
    for (int l = 0; l < 2; l++) {
      SomMap m = new SomTrainer(hsom.levelConfig(l)).train(r, new JavaSomBackend(1));
      maps.add(m);
      r = HierarchicalSomModel.subtractPrototypes(r, m);
    }
    assertThat(bytes(HierarchicalSomModel.ofResidual(hsom.levels(), maps), dir))
        .isEqualTo(bytes(hsom.fit(x), dir));
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(out)) {
      o.writeObject(value);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(out.toByteArray()))) {
      return (T) in.readObject();
    }
  }

  @Test
  void modelsMapsMatricesAndConfigurationsSerialize(@TempDir Path dir) throws Exception {
    FloatMatrix x = HierarchicalSomTest.clustered(300, 5);
    HierarchicalSom hsom = tree();
    HierarchicalSomModel model = hsom.fit(x);
    assertThat(bytes(roundTrip(model), dir)).isEqualTo(bytes(model, dir));
    assertThat(roundTrip(x)).isEqualTo(x);
    SomMap map = model.maps(0).get(0);
    SomMap back = roundTrip(map);
    assertThat(back.codebook()).isEqualTo(map.codebook());
    assertThat(back.lattice()).isEqualTo(map.lattice());
    HierarchicalSom copy = roundTrip(hsom);
    assertThat(copy.levels()).isEqualTo(hsom.levels());
    assertThat(copy.levelConfig(1, 3)).isEqualTo(hsom.levelConfig(1, 3));
    assertThat(bytes(copy.fit(x), dir)).isEqualTo(bytes(model, dir));
  }

  @Test
  void seamArgumentsAreChecked() {
    HierarchicalSom hsom = tree();
    assertThatThrownBy(() -> hsom.levelConfig(1)).hasMessageContaining("parent cells");
    assertThatThrownBy(() -> hsom.levelConfig(3)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> hsom.fitSubtree(25, HierarchicalSomTest.clustered(10, 1)))
        .isInstanceOf(IndexOutOfBoundsException.class);
    HierarchicalSom residual =
        HierarchicalSom.builder()
            .levels(LatticeSpec.rectangular(2, 2), LatticeSpec.rectangular(2, 2))
            .mode(HierarchyMode.RESIDUAL)
            .build();
    assertThatThrownBy(() -> residual.fitSubtree(0, HierarchicalSomTest.clustered(10, 1)))
        .isInstanceOf(IllegalStateException.class);
    SomMap root = new SomMap(LatticeSpec.rectangular(2, 2), HierarchicalSomTest.clustered(4, 1));
    assertThatThrownBy(() -> HierarchicalSomModel.ofTree(hsom.levels(), root, List.of()))
        .hasMessageContaining("root map");
  }
}
