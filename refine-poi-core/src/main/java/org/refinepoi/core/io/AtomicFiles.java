package org.refinepoi.core.io;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Atomic, durable file replacement and the CRC32 the SDK's versioned file formats use, shared by
 * every writer of SDK files (semantic-ID indexes, SOM models, {@code .npy} matrices, saved states,
 * exports and reports).
 *
 * <p>A write goes to a temporary file in the target's directory (same file system, so the move can
 * be atomic), is forced to disk, then moved over the target with {@link
 * StandardCopyOption#ATOMIC_MOVE}, and the directory is forced too so that the rename itself
 * survives a power cut (where the platform can open a directory; elsewhere this last step is
 * skipped). Readers therefore see either the old file or the complete new one, never a partial
 * write; on failure the temporary file is deleted, the target is left as it was, and the {@link
 * IOException} names the target (not the hidden temporary file) and the reason, for example {@code
 * /data/out.npy: cannot write: No space left on device}.
 *
 * <p>The temporary file is created like any new file, so the target gets the permissions the
 * process's umask gives (typically {@code rw-r--r--}), not the owner-only mode of {@link
 * Files#createTempFile}. Its name, {@code .<target>.<pid>.<random>.tmp}, records the writing
 * process: a write first deletes the temporary files that earlier writes of the same target left
 * when their process was killed (those whose process is no longer alive), so killed writes do not
 * accumulate. The target's directory must exist. Stateless and thread-safe; concurrent writes to
 * the same target leave one of the complete versions.
 */
public final class AtomicFiles {

  private static final Logger log = LoggerFactory.getLogger(AtomicFiles.class);

  /** Keeps temporary names within the 255-byte file name limit of common file systems. */
  private static final int MAX_NAME_CHARS = 120;

  private static final String SUFFIX = ".tmp";

  /** What follows the target's name in a temporary name: the writer's process id and a nonce. */
  private static final Pattern TAIL = Pattern.compile("\\.(\\d{1,18})\\.[0-9a-f]{16}\\.tmp");

  private static final Pattern TEMPORARY = Pattern.compile("\\..+" + TAIL.pattern());

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

  /** Writes a file's content into a stream. */
  @FunctionalInterface
  public interface StreamWriter {
    /**
     * Writes the content.
     *
     * @param out the temporary file's stream (buffered); do not close it
     * @throws IOException when writing fails (the target is then left unchanged)
     */
    void writeTo(OutputStream out) throws IOException;
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
   * Replaces {@code file} atomically with what {@code content} writes into a buffered stream (for
   * text and other content produced in pieces).
   *
   * @param file the target; its directory must exist
   * @param content writes the new content
   * @throws IOException when the temporary file cannot be written, forced or moved; the target is
   *     then left unchanged
   */
  public static void writeStream(Path file, StreamWriter content) throws IOException {
    checkNotNull(content, "content");
    write(
        file,
        channel -> {
          // Not closed here: write() forces and closes the channel after this returns.
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
          content.writeTo(out);
          out.flush();
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
    Path dir = target.getParent();
    String prefix = temporaryPrefix(target);
    deleteStaleTemporaries(dir, prefix);
    Path temp;
    try {
      temp = createTemporary(dir, prefix);
    } catch (IOException e) {
      throw failure(target, e);
    }
    boolean moved = false;
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        content.writeTo(channel);
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      moved = true;
    } catch (IOException e) {
      throw failure(target, e);
    } finally {
      if (!moved) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          log.warn("cannot delete the temporary file {}: {}", temp, e.toString());
        }
      }
    }
    forceDirectory(dir);
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

  /**
   * Whether a file name is that of a temporary file of this class (which a folder listing, for
   * example of an export, should leave out).
   */
  public static boolean isTemporary(Path file) {
    String name = String.valueOf(checkNotNull(file, "file").getFileName());
    return TEMPORARY.matcher(name).matches();
  }

  private static String temporaryPrefix(Path target) {
    String name = target.getFileName().toString();
    if (name.length() > MAX_NAME_CHARS) {
      name = name.substring(0, MAX_NAME_CHARS);
    }
    return "." + name + ".";
  }

  /** Creates {@code <prefix><pid>.<random>.tmp} with the default permissions (umask applies). */
  private static Path createTemporary(Path dir, String prefix) throws IOException {
    long pid = ProcessHandle.current().pid();
    while (true) {
      String nonce = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
      Path temp = dir.resolve(prefix + pid + "." + nonce + SUFFIX);
      try {
        Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return temp;
      } catch (FileAlreadyExistsException e) {
        // a 64-bit collision: draw another name
      }
    }
  }

  /**
   * Deletes the temporary files of this target whose writing process is gone. A process that is
   * still alive (this one included) may be writing, so its files are left alone.
   */
  private static void deleteStaleTemporaries(Path dir, String prefix) {
    try (DirectoryStream<Path> stale =
        Files.newDirectoryStream(
            dir,
            p -> {
              String name = p.getFileName().toString();
              return name.startsWith(prefix)
                  && name.endsWith(SUFFIX)
                  && !alive(processOf(name.substring(prefix.length() - 1)));
            })) {
      for (Path p : stale) {
        Files.deleteIfExists(p);
        log.info("deleted {}, left by a write that was killed", p);
      }
    } catch (IOException e) {
      // Cleaning up is a courtesy: a folder we cannot list fails the write itself below.
      log.debug("cannot clean temporary files in {}: {}", dir, e.toString());
    }
  }

  /** The process id in {@code .<pid>.<random>.tmp} (the end of a temporary name), or -1. */
  private static long processOf(String tail) {
    Matcher m = TAIL.matcher(tail);
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  private static boolean alive(long pid) {
    return pid < 0 || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * Forces a directory's entries to disk; skipped where directories cannot be opened.
   *
   * @return whether the directory was forced
   */
  static boolean forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
      return true;
    } catch (IOException e) {
      log.debug("cannot force directory {}: {}", dir, e.toString());
      return false;
    }
  }

  /** An exception naming the target and the reason, whatever file the failure was about. */
  private static IOException failure(Path target, IOException e) {
    return new IOException(target + ": cannot write: " + reason(target.getParent(), e), e);
  }

  /** The reason of a failure in words, without the temporary file's name. */
  static String reason(Path dir, IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied (folder " + dir + ")";
    }
    if (e instanceof NoSuchFileException) {
      return "no such folder: " + dir;
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
