package org.refinepoi.core.io;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @TempDir Path dir;

  @Test
  void writesThePartsInOrderAndReplacesAnExistingFile() throws IOException {
    Path file = dir.resolve("out.bin");
    Files.writeString(file, "old content that is longer", US_ASCII);
    AtomicFiles.write(file, "ab".getBytes(US_ASCII), new byte[0], "cde".getBytes(US_ASCII));
    assertThat(Files.readString(file, US_ASCII)).isEqualTo("abcde");
    assertThat(listing()).containsExactly("out.bin");
  }

  @Test
  void aFailingWriterLeavesTheTargetAndNoTemporaryFile() throws IOException {
    Path file = dir.resolve("keep.bin");
    Files.writeString(file, "before", US_ASCII);
    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    file,
                    channel -> {
                      AtomicFiles.writeFully(channel, ByteBuffer.wrap(new byte[] {1, 2, 3}));
                      throw new IOException("disk full");
                    }))
        .isInstanceOf(IOException.class)
        .hasMessage("disk full");
    assertThat(Files.readString(file, US_ASCII)).isEqualTo("before");
    assertThat(listing()).containsExactly("keep.bin");
  }

  @Test
  void crc32MatchesTheStandardCheckValue() {
    // The CRC-32 check value of "123456789" (IEEE 802.3 polynomial) is 0xCBF43926.
    byte[] bytes = "xx123456789yy".getBytes(US_ASCII);
    assertThat(AtomicFiles.crc32(bytes, 2, 9)).isEqualTo(0xCBF43926L);
  }

  private Stream<String> listingStream() throws IOException {
    return Files.list(dir).map(p -> p.getFileName().toString());
  }

  private java.util.List<String> listing() throws IOException {
    try (Stream<String> s = listingStream()) {
      return s.toList();
    }
  }
}
