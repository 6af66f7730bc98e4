package org.refinepoi.core.io;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
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
        .hasMessage(file.toAbsolutePath() + ": cannot write: disk full");
    assertThat(Files.readString(file, US_ASCII)).isEqualTo("before");
    assertThat(listing()).containsExactly("keep.bin");
  }

  @Test
  void crc32MatchesTheStandardCheckValue() {
    // The CRC-32 check value of "123456789" (IEEE 802.3 polynomial) is 0xCBF43926.
    byte[] bytes = "xx123456789yy".getBytes(US_ASCII);
    assertThat(AtomicFiles.crc32(bytes, 2, 9)).isEqualTo(0xCBF43926L);
  }

  // Issue 14, case 6: a written file gets the umask's permissions, as any new file does.
  @Test
  void aWrittenFileHasThePermissionsOfAnyNewFile() throws IOException {
    assumeTrue(
        dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "no POSIX permissions");
    Path reference = Files.createFile(dir.resolve("reference"));
    Set<PosixFilePermission> usual = Files.getPosixFilePermissions(reference);
    assumeTrue(
        usual.contains(PosixFilePermission.GROUP_READ)
            || usual.contains(PosixFilePermission.OTHERS_READ),
        "the umask itself is owner-only: nothing to tell apart");
    Path file = dir.resolve("shared.bin");
    AtomicFiles.write(file, new byte[] {1});
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(usual);
  }

  // Case 10: a failure names the target and the reason, not the hidden temporary file.
  @Test
  void failuresNameTheTargetAndTheReason() {
    Path missing = dir.resolve("no-such-folder").resolve("out.npy");
    assertThatThrownBy(() -> AtomicFiles.write(missing, new byte[] {1}))
        .isInstanceOf(IOException.class)
        .hasMessage(missing + ": cannot write: no such folder: " + missing.getParent())
        .hasMessageNotContaining(".tmp");
    Path full = dir.resolve("full.bin");
    assertThatThrownBy(
            () ->
                AtomicFiles.write(
                    full,
                    channel -> {
                      throw new IOException("No space left on device");
                    }))
        .hasMessage(full + ": cannot write: No space left on device");
  }

  // Case 18: temporary files of killed writes are deleted by the next write of the same target.
  @Test
  void temporaryFilesOfDeadWritersAreCleanedLiveOnesKept() throws IOException {
    long dead = 999_999_999L; // above Linux's pid_max
    assumeTrue(ProcessHandle.of(dead).isEmpty(), "a process with the test's dead pid exists");
    Path file = dir.resolve("export.jsonl");
    Path stale =
        Files.write(
            dir.resolve(".export.jsonl." + dead + ".0123456789abcdef.tmp"), new byte[1 << 20]);
    long live = ProcessHandle.current().pid();
    Path running =
        Files.write(dir.resolve(".export.jsonl." + live + ".fedcba9876543210.tmp"), new byte[1]);
    Path otherTarget =
        Files.write(dir.resolve(".other." + dead + ".0123456789abcdef.tmp"), new byte[1]);
    AtomicFiles.write(file, new byte[] {1});
    assertThat(stale).doesNotExist();
    assertThat(running).exists();
    assertThat(otherTarget).exists();
    assertThat(AtomicFiles.isTemporary(running)).isTrue();
    assertThat(AtomicFiles.isTemporary(file)).isFalse();
  }

  // Case 7: the directory is forced after the rename (where the platform opens directories).
  @Test
  void theDirectoryOfAWriteCanBeForced() {
    assumeTrue(System.getProperty("os.name").startsWith("Linux"), "directories open on Linux");
    assertThat(AtomicFiles.forceDirectory(dir)).isTrue();
    assertThat(AtomicFiles.forceDirectory(dir.resolve("missing"))).isFalse();
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
