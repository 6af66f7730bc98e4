package org.refinepoi.examples.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.core.testing.Fixtures;

/** An export that users keep still verifies and reads, and the same data exports the same bytes. */
class ExportFixtureTest {

  @Test
  void theFixtureVerifiesReadsAndIsExportedAgainByteForByte(@TempDir Path dir) throws IOException {
    Path fixture = Fixtures.path(ExportFixtures.DIR + "/" + ExportManifest.FILE).getParent();
    ExportManifest manifest = ExportManifest.read(fixture.resolve(ExportManifest.FILE));
    assertThat(manifest.toBytes())
        .isEqualTo(Files.readAllBytes(fixture.resolve(ExportManifest.FILE)));
    assertThat(manifest.files())
        .containsOnlyKeys("trl-test.jsonl", "verl-test.jsonl", "vocab.json", "index.sid");
    for (String name : manifest.files().keySet()) {
      manifest.verify(fixture.resolve(name));
    }
    assertThat(SemanticIdIndex.load(fixture.resolve("index.sid")))
        .isEqualTo(ExportFixtures.index());
    ExportFixtures.export(dir);
    for (String name : manifest.files().keySet()) {
      assertThat(Files.readAllBytes(dir.resolve(name)))
          .as(name)
          .isEqualTo(Files.readAllBytes(fixture.resolve(name)));
    }
    assertThat(Files.readAllBytes(dir.resolve(ExportManifest.FILE)))
        .isEqualTo(Files.readAllBytes(fixture.resolve(ExportManifest.FILE)));
  }
}
