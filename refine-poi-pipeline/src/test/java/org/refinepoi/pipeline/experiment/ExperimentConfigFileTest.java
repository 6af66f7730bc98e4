package org.refinepoi.pipeline.experiment;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.io.FileFormatException;
import org.refinepoi.core.sid.LatticeSpec;

/** Configuration files: the describe() block round-trips, and bad files are refused by key. */
class ExperimentConfigFileTest {

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, UTF_8);
    return file;
  }

  @Test
  void theConfigBlockOfARunReproducesItsSettings() throws IOException {
    ExperimentConfig original =
        ExperimentConfig.builder()
            .seed(9)
            .lattices(LatticeSpec.rectangular(8, 8), LatticeSpec.rectangular(2, 2))
            .policyTraining(3, 64, 1e-3)
            .listGrpo(40, 8, 16, 3e-4, 0.02)
            .validateEvery(10)
            .ablations(EnumSet.of(ExperimentConfig.Ablation.COPY_OFF))
            .policy(
                ExperimentConfig.builder().build().policy().toBuilder()
                    .copy(false)
                    .listScale(1.5)
                    .build())
            .build();
    Path file = write("run.json", new ObjectMapper().writeValueAsString(original.describe()));
    ExperimentConfig read = ExperimentConfigFile.apply(file, ExperimentConfig.builder()).build();
    assertThat(read.describe()).isEqualTo(original.describe());
    assertThat(read.policy()).isEqualTo(original.policy());
  }

  @Test
  void yamlFilesAndPartialFilesKeepTheRest() throws IOException {
    Path file =
        write(
            "small.yaml", "seed: 5\nrl_steps: 12\nablations: []\npolicy:\n  candidate_slots: 16\n");
    ExperimentConfig base = ExperimentConfig.builder().build();
    ExperimentConfig read = ExperimentConfigFile.apply(file, ExperimentConfig.builder()).build();
    assertThat(read.seed()).isEqualTo(5);
    assertThat(read.rlSteps()).isEqualTo(12);
    assertThat(read.ablations()).isFalse();
    assertThat(read.policy().candidateSlots()).isEqualTo(16);
    assertThat(read.policy().recentCheckIns()).isEqualTo(base.policy().recentCheckIns());
    assertThat(read.rlGroupSize()).isEqualTo(base.rlGroupSize());
    assertThat(read.level1()).isEqualTo(base.level1());
  }

  @Test
  void badFilesAreRefusedWithTheFileAndTheKey() throws IOException {
    assertThatThrownBy(
            () ->
                ExperimentConfigFile.apply(
                    write("a.json", "{\"rl_stepz\": 3}"), ExperimentConfig.builder()))
        .isInstanceOf(FileFormatException.class)
        .hasMessageContaining("a.json")
        .hasMessageContaining("unknown key 'rl_stepz'")
        .hasMessageContaining("rl_steps");
    assertThatThrownBy(
            () ->
                ExperimentConfigFile.apply(
                    write("b.json", "{\"rl_steps\": \"many\"}"), ExperimentConfig.builder()))
        .hasMessageContaining("rl_steps: a whole number");
    assertThatThrownBy(
            () ->
                ExperimentConfigFile.apply(
                    write("c.json", "{\"rl_steps\": -4}"), ExperimentConfig.builder()))
        .isInstanceOf(FileFormatException.class)
        .hasMessageContaining("c.json");
    assertThatThrownBy(
            () ->
                ExperimentConfigFile.apply(
                    write("d.json", "{\"k\": 5}"), ExperimentConfig.builder()))
        .hasMessageContaining("k: the lists are always 10 long");
    assertThatThrownBy(
            () ->
                ExperimentConfigFile.apply(
                    write("e.json", "{\"policy\": {\"slots\": 3}}"), ExperimentConfig.builder()))
        .hasMessageContaining("unknown key 'policy.slots'");
    assertThatThrownBy(
            () -> ExperimentConfigFile.apply(write("f.json", "[1, 2"), ExperimentConfig.builder()))
        .isInstanceOf(FileFormatException.class)
        .hasMessageContaining("not valid JSON/YAML");
    assertThatThrownBy(
            () ->
                ExperimentConfigFile.apply(
                    write("g.json", "{\"ablations\": [\"nope\"]}"), ExperimentConfig.builder()))
        .hasMessageContaining("unknown ablation 'nope'");
  }
}
