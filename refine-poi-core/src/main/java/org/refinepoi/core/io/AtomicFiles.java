package org.refinepoi.core.io;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * Atomic, durable file replacement and the CRC32 the SDK's versioned file formats use, shared by
 * every writer of SDK files (semantic-ID indexes, SOM models, {@code .npy} matrices).
 *
 * <p>A write goes to a temporary file in the target's directory (same file system, so the move can
 * be atomic), is forced to disk, then moved over the target with {@link
 * StandardCopyOption#ATOMIC_MOVE}. Readers therefore see either the old file or the complete new
 * one, never a partial write; on failure the temporary file is deleted and the target is left as it
 * was. The target's directory must exist. Stateless and thread-safe; concurrent writes to the same
 * target leave one of the complete versions.
 */
public final class AtomicFiles {

  /** Writes a file's content into an open channel (positioned at 0, opened for writing). */
  @FunctionalInterface
  public interface ChannelWriter {
    /**
     * Writes the content.
     *
     * @param channel the temporary file's channel; do not close it
     * @throws IOException when writing fails (the target is then left unchanged)
     */
    void writeTo(FileChannel channel) throws IOException;
  }

  private AtomicFiles() {}

  /**
   * Replaces {@code file} atomically with the concatenation of {@code parts}.
   *
   * @param file the target; its directory must exist
   * @param parts the content, written in order
   * @throws IOException when the temporary file cannot be written, forced or moved; the target is
   *     then left unchanged
   */
  public static void write(Path file, byte[]... parts) throws IOException {
    checkNotNull(parts, "parts");
    write(
        file,
        channel -> {
          for (byte[] part : parts) {
            writeFully(channel, ByteBuffer.wrap(part));
          }
        });
  }

  /**
   * Replaces {@code file} atomically with what {@code content} writes (for content streamed in
   * pieces rather than held in one array).
   *
   * @param file the target; its directory must exist
   * @param content writes the new content into the temporary file's channel
   * @throws IOException when the temporary file cannot be written, forced or moved; the target is
   *     then left unchanged
   */
  public static void write(Path file, ChannelWriter content) throws IOException {
    checkNotNull(file, "file");
    checkNotNull(content, "content");
    Path target = file.toAbsolutePath();
    Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
    boolean moved = false;
    try {
      try (FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        content.writeTo(channel);
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /**
   * Writes all remaining bytes of {@code buffer} (a channel write may take several calls).
   *
   * @param channel the channel to write to
   * @param buffer the bytes from its position to its limit; its position ends at its limit
   * @throws IOException when the channel fails
   */
  public static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /**
   * The CRC32 of {@code length} bytes of {@code bytes} from {@code offset}.
   *
   * @return the checksum as an unsigned 32-bit value in a long, 0 to 2<sup>32</sup> - 1
   * @throws IndexOutOfBoundsException when the range does not lie within {@code bytes}
   */
  public static long crc32(byte[] bytes, int offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, offset, length);
    return crc.getValue();
  }
}
