package org.refinepoi.examples.interop;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.refinepoi.core.io.FileFormatException;
import org.refinepoi.core.testing.Fixtures;
import org.refinepoi.core.testing.Mutations;
import org.refinepoi.core.testing.Scratch;

/**
 * Mutated export manifests and completion files: a manifest reads or is refused with a {@link
 * FileFormatException} naming it (and the export's files then verify or are refused the same way);
 * a completions file scores or is refused with an {@link IOException} naming it and, for a bad
 * line, the line.
 */
class HostileExportFileProperties {

  private static Path dir;
  private static Path fixture;

  @BeforeContainer
  static void folder() throws IOException {
    dir = Scratch.folder("hostile-export");
    fixture = Fixtures.path(ExportFixtures.DIR + "/" + ExportManifest.FILE).getParent();
    try (var files = Files.list(fixture)) {
      for (Path f : files.toList()) {
        Files.copy(f, dir.resolve(f.getFileName()));
      }
    }
  }

  @AfterContainer
  static void clean() throws IOException {
    Scratch.delete(dir);
  }

  @Provide
  Arbitrary<byte[]> mutatedManifests() {
    return Mutations.of(Fixtures.bytes(ExportFixtures.DIR + "/" + ExportManifest.FILE));
  }

  @Property(tries = 300)
  void aMutatedManifestReadsOrIsRefusedNamingTheFile(@ForAll("mutatedManifests") byte[] bytes)
      throws IOException {
    Path file = Files.write(dir.resolve(ExportManifest.FILE), bytes);
    ExportManifest manifest =
        Mutations.loadsOrRefuses(
            () -> ExportManifest.read(file), FileFormatException.class, file.toString());
    if (manifest != null) {
      for (String name : new String[] {"trl-test.jsonl", "index.sid"}) {
        Path listed = dir.resolve(name);
        Mutations.loadsOrRefuses(
            () -> {
              manifest.verify(listed);
              return true;
            },
            FileFormatException.class,
            listed.toString());
      }
    }
  }

  /** Completions answering the fixture's samples: one exact, one wrong, one without tags. */
  private static byte[] completions() {
    return ("{\"sample_id\":\"test-0\",\"ground_truth_id\":\"poi-1\","
            + "\"completion\":\"<think>a</think><answer><a_0_1><b_0_1><c_0></answer>\"}\n"
            + "{\"ground_truth\":\"<a_1_0><b_0_0><c_0>\",\"completion\":[{\"role\":\"assistant\","
            + "\"content\":\"<answer><a_0_0><b_0_0><c_0>, <a_1_0><b_0_0><c_0></answer>\"}]}\n"
            + "{\"ground_truth_id\":\"poi-3\",\"completion\":\"poi-3\"}\n")
        .getBytes(UTF_8);
  }

  @Provide
  Arbitrary<byte[]> mutatedCompletions() {
    return Mutations.of(completions());
  }

  @Property(tries = 300)
  void mutatedCompletionsScoreOrAreRefusedNamingTheFile(@ForAll("mutatedCompletions") byte[] bytes)
      throws IOException {
    Path file = Files.write(dir.resolve("completions.jsonl"), bytes);
    CompletionScorer scorer =
        new CompletionScorer(
            org.refinepoi.core.sid.SemanticIdIndex.load(fixture.resolve("index.sid")), 3);
    Mutations.loadsOrRefuses(() -> scorer.score(file), IOException.class, file.toString());
  }
}
