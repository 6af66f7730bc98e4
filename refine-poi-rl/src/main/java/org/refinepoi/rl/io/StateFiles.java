package org.refinepoi.rl.io;

import static com.google.common.base.Preconditions.checkNotNull;

import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * with a {@link CorruptStateException}. A {@linkplain #writeFramed framed state} is {@code UTF
 * magic, int version}, then one checked block: what every saved state of the module looks like, so
 * that a file of another kind or of another format version is refused before its payload is read.
 * Stateless and thread-safe.
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

  /**
   * Writes a framed state: {@code magic}, {@code version}, then {@code payload} as a checked block.
   *
   * @param out the destination (flushed, not closed)
   * @param magic names the kind of state, for example {@code "REFINE-POI-HISTORY-POLICY"}
   * @param version the payload's format version
   * @param payload the state's bytes, not empty
   * @throws IOException when writing fails
   */
  public static void writeFramed(OutputStream out, String magic, int version, byte[] payload)
      throws IOException {
    checkNotNull(out, "out");
    checkNotNull(magic, "magic");
    DataOutputStream header = new DataOutputStream(out);
    header.writeUTF(magic);
    header.writeInt(version);
    writeCheckedBlock(header, payload);
    header.flush();
  }

  /**
   * Reads a state written by {@link #writeFramed} and returns its payload, refusing another kind of
   * state, another format version and a corrupt block.
   *
   * @param in the source, positioned at the magic
   * @param magic the kind expected
   * @param version the format version this build reads
   * @param what names the state in error messages, for example "history policy state"
   * @return the payload
   * @throws IOException naming {@code what} when the magic or version differ, or (a {@link
   *     CorruptStateException}) when the block is truncated or fails its checksum
   */
  public static byte[] readFramed(InputStream in, String magic, int version, String what)
      throws IOException {
    checkNotNull(in, "in");
    checkNotNull(magic, "magic");
    checkNotNull(what, "what");
    DataInputStream header = new DataInputStream(in);
    String found;
    try {
      found = header.readUTF();
    } catch (IOException e) {
      throw new IOException("not a Refine-POI " + what, e);
    }
    if (!magic.equals(found)) {
      throw new IOException("not a Refine-POI " + what);
    }
    int foundVersion;
    try {
      foundVersion = header.readInt();
    } catch (EOFException e) {
      throw new CorruptStateException(what + " is truncated (no format version)");
    }
    if (foundVersion != version) {
      throw new IOException(
          "%s format version %d, this build reads %d".formatted(what, foundVersion, version));
    }
    return readCheckedBlock(header, what);
  }
}
