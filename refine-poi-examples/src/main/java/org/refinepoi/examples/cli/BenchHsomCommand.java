package org.refinepoi.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.refinepoi.core.data.LoadOptions;
import org.refinepoi.core.features.PoiFeatureBuilder;
import org.refinepoi.core.io.Npy;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.protocol.NextPoiProtocol;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.core.protocol.Split;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.som.HierarchicalSom;
import org.refinepoi.som.HierarchicalSomModel;
import org.refinepoi.som.HierarchyMode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code refine-poi bench hsom}: times {@link HierarchicalSom#fit} with the default hierarchy
 * (16×16 then 4×4) on POI vectors, either a {@code .npy} matrix or the POI features built from a
 * check-in file, and prints one JSON line (median, min and max of the repeats, plus the collision
 * rate and per-level quantization error of the last fit).
 */
@Command(
    name = "hsom",
    header = "Times a default hierarchical SOM fit on POI vectors.",
    mixinStandardHelpOptions = true,
    description = "Time a default hierarchical SOM fit on POI vectors; prints one JSON line.")
public final class BenchHsomCommand implements Callable<Integer> {

  static final class Input {
    @Option(names = "--vectors", description = "POI vectors, float32 .npy (N x D).")
    Path npy;

    @Option(
        names = "--checkins",
        description = "A check-in file: POI features are built from its training split.")
    Path checkins;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  @Option(names = "--mode", defaultValue = "tree", description = "tree or residual.")
  String mode;

  @Option(names = "--backend", defaultValue = "java", description = "java, nd4j, cuda, auto.")
  String backend;

  @Option(names = "--repeat", defaultValue = "5", description = "Timed fits (default 5).")
  int repeat;

  @Option(names = "--seed", defaultValue = "42", description = "Seed (default 42).")
  long seed;

  @Spec CommandSpec spec;

  /** Created by picocli. */
  public BenchHsomCommand() {}

  @Override
  public Integer call() {
    // Before the data is read: a typo fails at once.
    CliOptions.atLeast(spec, "--repeat", repeat, 1);
    hierarchyMode();
    CliOptions.inputFile(spec, "--vectors", input.npy);
    CliOptions.inputFile(spec, "--checkins", input.checkins);
    try {
      return run();
    } catch (java.io.IOException | RuntimeException e) {
      return CliOptions.fail(spec, e);
    }
  }

  private HierarchyMode hierarchyMode() {
    return switch (mode.toLowerCase(Locale.ROOT)) {
      case "tree" -> HierarchyMode.TREE;
      case "residual" -> HierarchyMode.RESIDUAL;
      default ->
          throw new ParameterException(
              spec.commandLine(), "--mode must be 'tree' or 'residual', got '" + mode + "'");
    };
  }

  private int run() throws java.io.IOException {
    FloatMatrix x;
    String source;
    if (input.npy != null) {
      x = Npy.read(input.npy);
      source = input.npy.getFileName().toString();
    } else {
      var layout = DataFormatOption.auto.resolve(input.checkins);
      var loaded = layout.loader().load(input.checkins, LoadOptions.strict());
      PreparedData data =
          NextPoiProtocol.prepare(loaded.dataset(), ProtocolConfig.builder().build());
      x =
          PoiFeatureBuilder.create()
              .seed(seed)
              .fit(data.dataset(), data.checkIns(Split.TRAIN))
              .matrix();
      source = input.checkins.getFileName() + " features";
    }
    HierarchicalSom hsom =
        HierarchicalSom.builder().mode(hierarchyMode()).backend(backend).seed(seed).build();
    hsom.fit(x); // warm-up: JIT, thread pools
    double[] seconds = new double[repeat];
    HierarchicalSomModel model = null;
    for (int r = 0; r < repeat; r++) {
      long t0 = System.nanoTime();
      model = hsom.fit(x);
      seconds[r] = (System.nanoTime() - t0) / 1e9;
    }
    List<SemanticId> ids = model.assignIds(x);
    int levels = model.levelCount();
    double[] qe = new double[levels];
    for (int i = 0; i < x.rows(); i++) {
      float[] v = x.row(i);
      float[][] rec = model.reconstructions(v);
      for (int l = 0; l < levels; l++) {
        double s = 0;
        for (int k = 0; k < v.length; k++) {
          s += ((double) v[k] - rec[l][k]) * ((double) v[k] - rec[l][k]);
        }
        qe[l] += Math.sqrt(s) / x.rows();
      }
    }
    var leaves = new HashSet<List<Integer>>();
    long colliding = ids.stream().filter(id -> id.collisionSlot() > 0).count();
    for (SemanticId id : ids) {
      leaves.add(Arrays.stream(id.cells()).boxed().toList());
    }
    double[] sorted = seconds.clone();
    Arrays.sort(sorted);
    ObjectNode json = new ObjectMapper().createObjectNode();
    json.put("impl", "refine-poi-hsom-" + mode + "-" + backend);
    json.put("source", source);
    json.put("n", x.rows());
    json.put("d", x.cols());
    json.put("levels", model.idSpace().levels().toString());
    json.put("repeats", repeat);
    json.put("fit_s_median", sorted[repeat / 2]);
    json.put("fit_s_min", sorted[0]);
    json.put("fit_s_max", sorted[repeat - 1]);
    json.put("leaves", leaves.size());
    json.put("pois_in_slot_above_0", colliding);
    json.putPOJO("qe_per_level", qe);
    spec.commandLine().getOut().println(json);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
