package org.refinepoi.rl.io;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.refinepoi.core.io.AtomicFiles;
import org.refinepoi.core.io.FileFormatException;

/**
 * Atomic file replacement and CRC32-checked blocks for the module's saved states (transformer
 * models, policy states, GRPO checkpoints).
 *
 * <p>A {@linkplain #replaceAtomically replacement} goes through core's {@link AtomicFiles}: a
 * temporary file in the target's directory (same file system, so the move can be atomic), forced to
 * disk, then moved over the target with {@link java.nio.file.StandardCopyOption#ATOMIC_MOVE};
 * readers see the old file or the complete new one, never a partial write, and on failure the
 * target is left as it was. This class adds the creation of missing parent directories, as the
 * module's savers always did.
 *
 * <p>A {@linkplain #writeCheckedBlock checked block} is {@code int length, long CRC32, length
 * bytes}; {@link #readCheckedBlock} refuses a bad length, a truncated block or a checksum mismatch
 * with a {@link CorruptStateException}. Stateless and thread-safe.
 */
public final class StateFiles {

  /** A saved state that is truncated, has an impossible length or fails its checksum. */
  public static final class CorruptStateException extends FileFormatException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message naming the source and the problem.
     *
     * @param message what is wrong, for example "policy state is truncated"
     */
    public CorruptStateException(String message) {
      super(message);
    }
  }

  private StateFiles() {}

  /**
   * Replaces {@code file} atomically and durably with what {@code content} writes; creates the
   * parent directories when missing.
   *
   * @param file the target
   * @param content writes the new content
   * @throws IOException when the temporary file cannot be written, forced or moved; the target is
   *     then left unchanged and the temporary file deleted
   */
  public static void replaceAtomically(Path file, AtomicFiles.StreamWriter content)
      throws IOException {
    checkNotNull(file, "file");
    checkNotNull(content, "content");
    Path target = file.toAbsolutePath();
    Files.createDirectories(target.getParent());
    AtomicFiles.writeStream(target, content);
  }

  /**
   * Writes {@code block} as {@code int length, long CRC32, bytes}.
   *
   * @param out the destination
   * @param block the bytes, not empty
   * @throws IOException when writing fails
   * @throws IllegalArgumentException when the block is empty
   */
  public static void writeCheckedBlock(DataOutput out, byte[] block) throws IOException {
    checkNotNull(out, "out");
    checkNotNull(block, "block");
    if (block.length == 0) {
      throw new IllegalArgumentException("an empty block");
    }
    out.writeInt(block.length);
    out.writeLong(AtomicFiles.crc32(block, 0, block.length));
    out.write(block);
  }

  /**
   * Reads a block written by {@link #writeCheckedBlock} and checks it.
   *
   * @param in the source, positioned at the block's length
   * @param what names the data in error messages, for example "policy state"
   * @return the block's bytes
   * @throws CorruptStateException when the length is not positive, the block is cut short or its
   *     CRC32 does not match (the message names {@code what} and the problem)
   * @throws IOException when reading fails
   */
  public static byte[] readCheckedBlock(DataInputStream in, String what) throws IOException {
    checkNotNull(in, "in");
    checkNotNull(what, "what");
    int length;
    long expected;
    try {
      length = in.readInt();
      expected = in.readLong();
    } catch (EOFException e) {
      throw new CorruptStateException(what + " is truncated (no block header)");
    }
    if (length <= 0) {
      throw new CorruptStateException(what + " is corrupt: block length " + length);
    }
    // readNBytes grows as data arrives, so a corrupt huge length cannot allocate it up front.
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new CorruptStateException(what + " is truncated");
    }
    if (AtomicFiles.crc32(bytes, 0, length) != expected) {
      throw new CorruptStateException(what + " is corrupt: checksum mismatch");
    }
    return bytes;
  }
}
