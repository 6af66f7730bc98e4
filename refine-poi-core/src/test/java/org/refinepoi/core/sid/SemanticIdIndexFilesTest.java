package org.refinepoi.core.sid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refinepoi.core.io.AtomicFiles;
import org.refinepoi.core.sid.SemanticIdIndexFileException.Problem;

/** Saving and loading an index, and refusing files that are not intact index files. */
class SemanticIdIndexFilesTest {

  @TempDir Path dir;

  private static SemanticIdIndex sample(IdFormat format) {
    SplittableRandom random = new SplittableRandom(11);
    SemanticIdIndex.Builder b = SemanticIdIndex.builder(format.space()).format(format);
    int added = 0;
    java.util.Set<SemanticId> used = new java.util.HashSet<>();
    while (added < 300) {
      SemanticId id =
          SemanticId.of(new int[] {random.nextInt(64), random.nextInt(16)}, random.nextInt(2));
      if (used.add(id)) {
        b.add("venue-" + added + (added % 7 == 0 ? "-café" : ""), id);
        added++;
      }
    }
    return b.build();
  }

  private static IdSpace space() {
    return IdSpace.of(
        new LatticeSpec(8, 8, LatticeSpec.Topology.HEXAGONAL, true), LatticeSpec.rectangular(4, 4));
  }

  @Test
  void roundTripBothFormats() throws IOException {
    for (IdFormat format :
        new IdFormat[] {LatticeTokenFormat.of(space()), RowColumnTokenFormat.of(space())}) {
      SemanticIdIndex index = sample(format);
      Path file = dir.resolve(format.name() + ".sid");
      index.save(file);
      SemanticIdIndex loaded = SemanticIdIndex.load(file);
      assertThat(loaded).isEqualTo(index);
      assertThat(loaded.format()).isEqualTo(format);
      assertThat(loaded.space()).isEqualTo(space());
      assertThat(loaded.entries()).isEqualTo(index.entries());
      assertThat(loaded.nearest("venue-1", 5)).isEqualTo(index.nearest("venue-1", 5));
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("lattice.sid", "row-column.sid");
    }
  }

  @Test
  void saveReplacesAnExistingFile() throws IOException {
    Path file = dir.resolve("index.sid");
    Files.writeString(file, "old contents");
    SemanticIdIndex index = sample(LatticeTokenFormat.of(space()));
    index.save(file);
    assertThat(SemanticIdIndex.load(file)).isEqualTo(index);
  }

  private Path saved() throws IOException {
    Path file = dir.resolve("index.sid");
    sample(LatticeTokenFormat.of(space())).save(file);
    return file;
  }

  @Test
  void everyCorruptedPayloadByteIsCaughtByTheChecksum() throws IOException {
    byte[] good = Files.readAllBytes(saved());
    Path bad = dir.resolve("bad.sid");
    SplittableRandom random = new SplittableRandom(3);
    for (int trial = 0; trial < 50; trial++) {
      byte[] bytes = good.clone();
      int at = 20 + random.nextInt(bytes.length - 24); // inside the payload
      bytes[at] ^= (byte) (1 + random.nextInt(255));
      Files.write(bad, bytes);
      assertThatThrownBy(() -> SemanticIdIndex.load(bad))
          .isInstanceOf(SemanticIdIndexFileException.class)
          .hasMessageContaining("checksum mismatch: file is corrupt")
          .satisfies(
              e ->
                  assertThat(((SemanticIdIndexFileException) e).problem())
                      .isEqualTo(Problem.CORRUPT));
    }
  }

  @Test
  void truncatedFileIsRefused() throws IOException {
    byte[] good = Files.readAllBytes(saved());
    Path bad = dir.resolve("cut.sid");
    for (int length : new int[] {good.length - 1, good.length / 2, 21, 12}) {
      Files.write(bad, Arrays.copyOf(good, length));
      assertThatThrownBy(() -> SemanticIdIndex.load(bad))
          .isInstanceOf(SemanticIdIndexFileException.class)
          .hasMessageContaining("truncated")
          .satisfies(
              e ->
                  assertThat(((SemanticIdIndexFileException) e).problem())
                      .isEqualTo(Problem.TRUNCATED));
    }
  }

  @Test
  void foreignFileIsRefused() throws IOException {
    Path foreign = dir.resolve("foreign.sid");
    Files.writeString(foreign, "poi_id,sid\nabc,<a_0_0><b_0_0><c_0>\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> SemanticIdIndex.load(foreign))
        .isInstanceOf(SemanticIdIndexFileException.class)
        .hasMessageContaining("not a Refine-POI semantic-ID index");
    Files.write(foreign, new byte[0]);
    assertThatThrownBy(() -> SemanticIdIndex.load(foreign))
        .hasMessageContaining("not a Refine-POI semantic-ID index");
  }

  @Test
  void newerVersionIsRefused() throws IOException {
    byte[] bytes = Files.readAllBytes(saved());
    // A newer version keeps the header layout, its checksum included.
    ByteBuffer.wrap(bytes).putInt(8, 7).putInt(20, (int) AtomicFiles.crc32(bytes, 0, 20));
    Path newer = dir.resolve("newer.sid");
    Files.write(newer, bytes);
    assertThatThrownBy(() -> SemanticIdIndex.load(newer))
        .isInstanceOf(SemanticIdIndexFileException.class)
        .hasMessageContaining("format version 7 is newer than this library supports (2)");
  }

  @Test
  void trailingBytesAreRefused() throws IOException {
    byte[] good = Files.readAllBytes(saved());
    Path bad = dir.resolve("long.sid");
    Files.write(bad, Arrays.copyOf(good, good.length + 3));
    assertThatThrownBy(() -> SemanticIdIndex.load(bad))
        .hasMessageContaining("3 unexpected bytes after the checksum");
  }

  @Test
  void unknownFormatNeedsAFactory() throws IOException {
    IdFormat base = LatticeTokenFormat.of(space());
    IdFormat custom = new RenamedFormat(base);
    SemanticIdIndex index =
        SemanticIdIndex.builder(space())
            .format(custom)
            .add("x", SemanticId.of(new int[] {1, 2}, 0))
            .build();
    Path file = dir.resolve("custom.sid");
    index.save(file);
    assertThatThrownBy(() -> SemanticIdIndex.load(file))
        .isInstanceOf(SemanticIdIndexFileException.class)
        .hasMessageContaining("unknown ID format 'custom'");
    assertThat(SemanticIdIndex.load(file, s -> new RenamedFormat(LatticeTokenFormat.of(s))))
        .isEqualTo(index);
    assertThatThrownBy(() -> SemanticIdIndex.load(file, LatticeTokenFormat::of))
        .hasMessageContaining("the file uses ID format 'custom'; the given factory made 'lattice'");
  }

  /** A lattice format under another name, standing in for a user's own format. */
  private record RenamedFormat(IdFormat base) implements IdFormat {
    @Override
    public String name() {
      return "custom";
    }

    @Override
    public IdSpace space() {
      return base.space();
    }

    @Override
    public int tokensPerId() {
      return base.tokensPerId();
    }

    @Override
    public java.util.List<String> tokensOf(SemanticId id) {
      return base.tokensOf(id);
    }

    @Override
    public SemanticId parseTokens(java.util.List<String> tokens) {
      return base.parseTokens(tokens);
    }

    @Override
    public java.util.List<String> vocabulary(int slotCount) {
      return base.vocabulary(slotCount);
    }
  }
}
