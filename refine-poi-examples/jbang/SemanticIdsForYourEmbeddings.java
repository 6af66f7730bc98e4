///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25
//DEPS org.refinepoi:refine-poi-core:0.1.0-SNAPSHOT
//DEPS org.refinepoi:refine-poi-som:0.1.0-SNAPSHOT
//DEPS org.slf4j:slf4j-simple:2.0.17
//RUNTIME_OPTIONS --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED

// Semantic IDs for your own embeddings: an .npy (float32/float64, 2-D) or a CSV of vectors in,
// a semantic-ID index and its quality table (HSOM vs RQ-KMeans vs random IDs) out.
//
//   jbang SemanticIdsForYourEmbeddings.java [embeddings.npy|embeddings.csv] [out-dir]
//
// Without arguments it makes a small clustered matrix, writes it to a temporary .npy and uses
// that. A CSV has one vector per line, comma-separated; when the first field is not a number it is
// the item's id (otherwise items are named row-0, row-1, ...). A '#' line is a comment.

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.refinepoi.core.io.Npy;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.som.HierarchicalSom;
import org.refinepoi.som.HierarchicalSomModel;
import org.refinepoi.som.baseline.RandomIds;
import org.refinepoi.som.baseline.RqKMeans;
import org.refinepoi.som.quality.IdDistance;
import org.refinepoi.som.quality.SidQuality;
import org.refinepoi.som.quality.SidQualityReport;
import org.refinepoi.som.quality.TopographicError;

public class SemanticIdsForYourEmbeddings {

  public static void main(String[] args) throws IOException {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Path input = args.length > 0 ? Path.of(args[0]) : writeDemoMatrix();
    Path outDir = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("semantic-ids");

    List<String> names = new ArrayList<>();
    FloatMatrix vectors = read(input, names);
    if (vectors.rows() < 21) {
      throw new IOException(input + ": " + vectors.rows() + " vectors; the quality measures need at least 21 (2k + 1, k = 10)");
    }
    System.out.printf("Read %d vectors of dimension %d from %s%n", vectors.rows(), vectors.cols(), input);

    // Two levels sized for the data: about 4 items per leaf on average.
    int side1 = Math.max(2, (int) Math.round(Math.sqrt(vectors.rows() / 16.0)));
    LatticeSpec[] levels = {LatticeSpec.rectangular(side1, side1), LatticeSpec.rectangular(2, 2)};
    IdSpace space = IdSpace.of(levels);

    HierarchicalSomModel som = HierarchicalSom.builder().levels(levels).seed(42).build().fit(vectors);
    List<SemanticId> hsomIds = som.assignIds(vectors);
    SemanticIdIndex.Builder builder = SemanticIdIndex.builder(space);
    for (int i = 0; i < hsomIds.size(); i++) {
      builder.add(names.get(i), hsomIds.get(i));
    }
    SemanticIdIndex index = builder.build();
    Path indexFile = outDir.resolve("semantic-ids.sid");
    index.save(indexFile);
    System.out.printf(
        "HSOM IDs (%dx%d then 2x2) saved to %s; reload with SemanticIdIndex.load(path)%n",
        side1, side1, indexFile);
    for (int i = 0; i < Math.min(5, names.size()); i++) {
      System.out.printf("  %-10s %s%n", names.get(i), index.format().render(index.idOf(names.get(i))));
    }

    // The quality table: each scheme with the same code budget and the same measures.
    RqKMeans.Result rq = RqKMeans.builder(space).seed(42).build().fit(vectors);
    List<SemanticId> randomIds = RandomIds.assign(vectors.rows(), space, 42);
    SidQuality quality = SidQuality.builder().k(10).spearmanPairs(20_000).seed(42).build();
    double te = TopographicError.of(vectors, som.map(0).orElseThrow().codebook(), levels[0]);
    List<SidQualityReport> reports = new ArrayList<>();
    List<String> schemes = List.of("HSOM", "RQ-KMeans", "random");
    reports.add(
        quality.evaluate(
            vectors,
            hsomIds,
            IdDistance.lattice(space),
            org.refinepoi.som.quality.PrototypeLookup.prefixCentroids(vectors, hsomIds),
            List.of(OptionalDouble.of(te), OptionalDouble.empty())));
    reports.add(quality.evaluate(vectors, rq.ids(), IdDistance.topologyBlind(), rq.prototypes(), List.of()));
    reports.add(quality.evaluate(vectors, randomIds, IdDistance.topologyBlind()));

    System.out.println();
    System.out.println("| scheme | ID distance | QE level 1 | QE level 2 | TE level 1 | T(10) | C(10) | Spearman | collisions | L1 perplexity | L1 cells used |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (int s = 0; s < reports.size(); s++) {
      SidQualityReport r = reports.get(s);
      String teText = r.topographicError().isEmpty() || r.topographicError().getFirst().isEmpty()
          ? "-" : "%.3f".formatted(r.topographicError().getFirst().getAsDouble());
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %.3f | %.3f | %s | %.3f | %.3f | %.3f | %.3f | %.1f | %d |%n",
          schemes.get(s), r.distance(), r.quantizationError().get(0), r.quantizationError().get(1), teText,
          r.trustworthiness(), r.continuity(), r.spearman(), r.collisionRate(), r.level1Perplexity(), r.level1CellsUsed());
    }
    System.out.println();
    System.out.println("T/C: trustworthiness/continuity of k-neighbourhoods between embedding and ID space (1 = kept);");
    System.out.println("Spearman: rank correlation of ID distance with embedding distance; QE: mean distance to the code's prototype.");
  }

  /** A clustered matrix: 12 overlapping clusters strung along a closed curve in 16 dimensions. */
  static Path writeDemoMatrix() throws IOException {
    int n = 1200;
    int dims = 16;
    SplittableRandom random = new SplittableRandom(7);
    float[] data = new float[n * dims];
    for (int i = 0; i < n; i++) {
      int cluster = i % 12;
      double angle = 2 * Math.PI * (cluster + 0.3 * random.nextGaussian()) / 12;
      for (int d = 0; d < dims; d++) {
        double centre = d % 2 == 0 ? Math.cos(angle * (1 + d / 2)) : Math.sin(angle * (1 + d / 2));
        data[i * dims + d] = (float) (3 * centre + 0.2 * random.nextGaussian());
      }
    }
    Path file = Files.createTempFile("clustered-embeddings", ".npy");
    Npy.write(file, FloatMatrix.of(n, dims, data));
    System.out.println("No input given: wrote a demo matrix to " + file);
    return file;
  }

  /** Reads an .npy or a CSV; fills {@code names} with one item id per row. */
  static FloatMatrix read(Path file, List<String> names) throws IOException {
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
      FloatMatrix m = Npy.read(file);
      for (int i = 0; i < m.rows(); i++) {
        names.add("row-" + i);
      }
      return m;
    }
    List<float[]> rows = new ArrayList<>();
    int lineNo = 0;
    for (String line : Files.readAllLines(file, UTF_8)) {
      lineNo++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split(",", -1);
      int from = 0;
      String name = "row-" + rows.size();
      try {
        Float.parseFloat(fields[0].strip());
      } catch (NumberFormatException e) {
        name = fields[0].strip();
        from = 1;
      }
      float[] v = new float[fields.length - from];
      for (int j = from; j < fields.length; j++) {
        try {
          v[j - from] = Float.parseFloat(fields[j].strip());
        } catch (NumberFormatException e) {
          throw new IOException("%s:%d: field %d is not a number: '%s'".formatted(file, lineNo, j + 1, fields[j]));
        }
        if (!Float.isFinite(v[j - from])) {
          throw new IOException("%s:%d: field %d is not finite: %s".formatted(file, lineNo, j + 1, fields[j]));
        }
      }
      if (!rows.isEmpty() && v.length != rows.getFirst().length) {
        throw new IOException(
            "%s:%d: %d values, the first vector has %d".formatted(file, lineNo, v.length, rows.getFirst().length));
      }
      rows.add(v);
      names.add(name);
    }
    if (rows.isEmpty()) {
      throw new IOException(file + ": no vectors");
    }
    return FloatMatrix.ofRows(rows.toArray(new float[0][]));
  }
}
