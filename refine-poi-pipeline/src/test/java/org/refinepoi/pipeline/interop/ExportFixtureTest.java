package org.refinepoi.pipeline.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.core.testing.Fixtures;

/** An export that users keep still verifies and reads, and the same data exports the same bytes. */
class ExportFixtureTest {

  private static final ObjectMapper JSON = new ObjectMapper();

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
    // The fixture predates the tokenizer additions (added within format version 1, no file
    // changed): today's manifest is the fixture's plus that file and the SFT setting (a test
    // split has no SFT file).
    ObjectNode now = (ObjectNode) JSON.readTree(dir.resolve(ExportManifest.FILE).toFile());
    assertThat(now.get("sft_answer").asText()).isEqualTo(SftAnswer.RANKED_LIST.cliName());
    ExportManifest current = ExportManifest.read(dir.resolve(ExportManifest.FILE));
    for (String name : current.files().keySet()) {
      current.verify(dir.resolve(name));
    }
    assertThat(((ObjectNode) now.get("files")).remove(TrainingDataExporter.TOKENS_FILE))
        .isNotNull();
    now.remove("sft_answer");
    assertThat(now).isEqualTo(JSON.readTree(fixture.resolve(ExportManifest.FILE).toFile()));
  }
}
