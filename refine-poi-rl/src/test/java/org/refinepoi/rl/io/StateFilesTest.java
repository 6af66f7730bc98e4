package org.refinepoi.rl.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFilesTest {

  @TempDir Path dir;

  private static byte[] block(byte[] content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StateFiles.writeCheckedBlock(new DataOutputStream(bytes), content);
    return bytes.toByteArray();
  }

  private static byte[] read(byte[] data) throws IOException {
    return StateFiles.readCheckedBlock(
        new DataInputStream(new ByteArrayInputStream(data)), "test state");
  }

  @Test
  void aBlockRoundTripsWithItsLengthAndTheJdkCrc32() throws IOException {
    byte[] content = "parameters".getBytes(StandardCharsets.UTF_8);
    byte[] data = block(content);
    CRC32 reference = new CRC32();
    reference.update(content);
    ByteBuffer header = ByteBuffer.wrap(data);
    assertThat(header.getInt()).isEqualTo(content.length);
    assertThat(header.getLong()).isEqualTo(reference.getValue());
    assertThat(read(data)).isEqualTo(content);
  }

  @Test
  void aFlippedByteATruncationAndAnImpossibleLengthAreRefused() throws IOException {
    byte[] data = block(new byte[] {1, 2, 3, 4});
    byte[] flipped = data.clone();
    flipped[flipped.length - 1] ^= 1;
    assertThatThrownBy(() -> read(flipped))
        .isInstanceOf(StateFiles.CorruptStateException.class)
        .hasMessage("test state is corrupt: checksum mismatch");
    byte[] cut = java.util.Arrays.copyOf(data, data.length - 1);
    assertThatThrownBy(() -> read(cut)).hasMessage("test state is truncated");
    assertThatThrownBy(() -> read(new byte[3])).hasMessageContaining("no block header");
    // A corrupt huge length must not allocate it: the block is simply truncated.
    byte[] huge = data.clone();
    ByteBuffer.wrap(huge).putInt(Integer.MAX_VALUE);
    assertThatThrownBy(() -> read(huge)).hasMessage("test state is truncated");
    byte[] negative = data.clone();
    ByteBuffer.wrap(negative).putInt(-5);
    assertThatThrownBy(() -> read(negative)).hasMessageContaining("block length -5");
  }

  @Test
  void replacementWritesTheContentCreatesTheDirectoryAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("sub").resolve("state.bin");
    StateFiles.replaceAtomically(file, out -> out.write(new byte[] {9, 8, 7}));
    StateFiles.replaceAtomically(file, out -> out.write(new byte[] {1, 2}));
    assertThat(Files.readAllBytes(file)).containsExactly(1, 2);
    try (var listing = Files.list(file.getParent())) {
      assertThat(listing).containsExactly(file.toAbsolutePath());
    }
  }

  @Test
  void aFailedWriteLeavesTheTargetAsItWas() throws IOException {
    Path file = dir.resolve("state.bin");
    Files.write(file, new byte[] {5});
    assertThatThrownBy(
            () ->
                StateFiles.replaceAtomically(
                    file,
                    out -> {
                      out.write(new byte[] {6, 6});
                      throw new IOException("disk full");
                    }))
        .hasMessage(file.toAbsolutePath() + ": cannot write: disk full");
    assertThat(Files.readAllBytes(file)).containsExactly(5);
    try (var listing = Files.list(dir)) {
      assertThat(listing).containsExactly(file);
    }
  }

  private static byte[] framed(String magic, int version, byte[] payload) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    StateFiles.writeFramed(bytes, magic, version, payload);
    return bytes.toByteArray();
  }

  private static byte[] readFramed(byte[] data) throws IOException {
    return StateFiles.readFramed(new ByteArrayInputStream(data), "KIND", 3, "test state");
  }

  @Test
  void aFramedStateRoundTripsAndIsTheMagicTheVersionThenACheckedBlock() throws IOException {
    byte[] payload = "weights".getBytes(StandardCharsets.UTF_8);
    byte[] data = framed("KIND", 3, payload);
    assertThat(readFramed(data)).isEqualTo(payload);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
    assertThat(in.readUTF()).isEqualTo("KIND");
    assertThat(in.readInt()).isEqualTo(3);
    assertThat(StateFiles.readCheckedBlock(in, "test state")).isEqualTo(payload);
  }

  @Test
  void aFramedStateOfAnotherKindOrVersionOrCutShortIsRefusedByName() throws IOException {
    byte[] payload = {1, 2, 3};
    assertThatThrownBy(() -> readFramed(framed("OTHER", 3, payload)))
        .isInstanceOf(IOException.class)
        .hasMessage("not a Refine-POI test state");
    assertThatThrownBy(() -> readFramed(framed("KIND", 4, payload)))
        .isInstanceOf(IOException.class)
        .hasMessage("test state format version 4, this build reads 3");
    assertThatThrownBy(() -> readFramed(new byte[0]))
        .isInstanceOf(IOException.class)
        .hasMessage("not a Refine-POI test state");
    byte[] full = framed("KIND", 3, payload);
    byte[] noVersion = java.util.Arrays.copyOf(full, 2 + "KIND".length() + 2);
    assertThatThrownBy(() -> readFramed(noVersion))
        .isInstanceOf(StateFiles.CorruptStateException.class)
        .hasMessageContaining("truncated");
    byte[] cut = java.util.Arrays.copyOf(full, full.length - 1);
    assertThatThrownBy(() -> readFramed(cut))
        .isInstanceOf(StateFiles.CorruptStateException.class)
        .hasMessage("test state is truncated");
  }
}
