package org.refinepoi.core.sid;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.refinepoi.core.io.AtomicFiles;
import org.refinepoi.core.io.MemoryBudget;
import org.refinepoi.core.sid.SemanticIdIndexFileException.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The binary file format of a {@link SemanticIdIndex}, big-endian:
 *
 * <pre>
 *   8 bytes  magic "RPOI-SID"
 *   int      format version (2)
 *   long     payload length in bytes
 *   int      CRC32 of the 20 bytes above (version 2 on; every later version keeps these 24 bytes)
 *   payload:
 *     UTF    ID format name ("lattice", "row-column", ...)
 *     int    level count; per level: int rows, int cols, UTF topology name, boolean toroidal
 *     int    entry count; per entry: int n, n bytes UTF-8 POI id, int cell per level, int slot
 *   int      CRC32 of the payload
 * </pre>
 *
 * <p>Version 1 (no header checksum) is still read. The header checksum is checked before the
 * version is believed, so a flipped version byte reads as corruption, not as a newer version. Every
 * count in the payload is bounded by the bytes that remain before anything is allocated for it, and
 * the ID space and vocabulary by {@link SemanticIdIndex#MAX_SPACE_CELLS} and {@link
 * SemanticIdIndex#MAX_VOCABULARY_TOKENS}, so a small crafted file cannot claim a huge index.
 */
final class SemanticIdIndexFiles {

  static final byte[] MAGIC = "RPOI-SID".getBytes(US_ASCII);
  static final int VERSION = 2;
  private static final int HEADER_V1 = MAGIC.length + Integer.BYTES + Long.BYTES;
  private static final int HEADER = HEADER_V1 + Integer.BYTES;
  private static final int MAX_POI_ID_BYTES = 1 << 16;

  /** The fewest payload bytes of one level: rows, cols, an empty UTF string, the torus flag. */
  private static final int MIN_LEVEL_BYTES = 4 + 4 + 2 + 1;

  private static final Logger LOG = LoggerFactory.getLogger(SemanticIdIndexFiles.class);

  private SemanticIdIndexFiles() {}

  static void write(SemanticIdIndex index, Path file) throws IOException {
    ByteArrayOutputStream payloadBytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(payloadBytes)) {
      out.writeUTF(index.format().name());
      IdSpace space = index.space();
      out.writeInt(space.levelCount());
      for (LatticeSpec lattice : space.levels()) {
        out.writeInt(lattice.rows());
        out.writeInt(lattice.cols());
        out.writeUTF(lattice.topology().name());
        out.writeBoolean(lattice.toroidal());
      }
      out.writeInt(index.size());
      for (SemanticIdIndex.Entry e : index.entries()) {
        byte[] poi = e.poiId().getBytes(UTF_8);
        out.writeInt(poi.length);
        out.write(poi);
        for (int l = 0; l < space.levelCount(); l++) {
          out.writeInt(e.id().cell(l));
        }
        out.writeInt(e.id().collisionSlot());
      }
    }
    byte[] payload = payloadBytes.toByteArray();
    ByteBuffer head = ByteBuffer.allocate(HEADER);
    head.put(MAGIC).putInt(VERSION).putLong(payload.length);
    head.putInt((int) AtomicFiles.crc32(head.array(), 0, HEADER_V1));
    ByteBuffer tail =
        ByteBuffer.allocate(Integer.BYTES)
            .putInt((int) AtomicFiles.crc32(payload, 0, payload.length));
    AtomicFiles.write(file, head.array(), payload, tail.array());
    LOG.debug("wrote semantic-ID index of {} POIs to {}", index.size(), file);
  }

  static SemanticIdIndex read(Path file, Function<IdSpace, IdFormat> formatFactory)
      throws IOException {
    byte[] magic;
    try (InputStream in = Files.newInputStream(file)) {
      magic = in.readNBytes(MAGIC.length);
    }
    if (!Arrays.equals(magic, MAGIC)) {
      if (magic.length > 0
          && magic.length < MAGIC.length
          && Arrays.equals(magic, 0, magic.length, MAGIC, 0, magic.length)) {
        throw new SemanticIdIndexFileException(
            Problem.TRUNCATED,
            file + ": file is truncated: " + magic.length + " bytes, not even the magic string");
      }
      throw new SemanticIdIndexFileException(
          Problem.NOT_AN_INDEX,
          file
              + ": not a Refine-POI semantic-ID index ("
              + (magic.length == 0 ? "the file is empty" : "it does not start with 'RPOI-SID'")
              + ")");
    }
    long size = Files.size(file);
    if (size > Integer.MAX_VALUE - 16) {
      throw new SemanticIdIndexFileException(
          Problem.CORRUPT,
          "%s: %d bytes is larger than any index this library writes".formatted(file, size));
    }
    MemoryBudget.require(size, "reading the index " + file);
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length < HEADER_V1) {
      throw truncatedHeader(file, bytes.length, HEADER_V1);
    }
    ByteBuffer head = ByteBuffer.wrap(bytes, MAGIC.length, HEADER_V1 - MAGIC.length);
    int version = head.getInt();
    long payloadLength = head.getLong();
    int headerLength = version == 1 ? HEADER_V1 : HEADER;
    if (version != 1) {
      if (bytes.length < HEADER) {
        throw truncatedHeader(file, bytes.length, HEADER);
      }
      int storedHeaderCrc = ByteBuffer.wrap(bytes, HEADER_V1, Integer.BYTES).getInt();
      if ((int) AtomicFiles.crc32(bytes, 0, HEADER_V1) != storedHeaderCrc) {
        throw new SemanticIdIndexFileException(
            Problem.CORRUPT,
            "%s: header checksum mismatch: file is corrupt (its version field reads %d)"
                .formatted(file, version));
      }
    }
    if (version > VERSION) {
      throw new SemanticIdIndexFileException(
          Problem.NEWER_VERSION,
          "%s: format version %d is newer than this library supports (%d)"
              .formatted(file, version, VERSION));
    }
    if (version < 1) {
      throw new SemanticIdIndexFileException(
          Problem.CORRUPT,
          "%s: invalid format version %d: file is corrupt".formatted(file, version));
    }
    long expected = headerLength + payloadLength + Integer.BYTES;
    if (payloadLength < 0 || expected > bytes.length) {
      throw new SemanticIdIndexFileException(
          Problem.TRUNCATED,
          "%s: file is truncated: the header announces %d payload bytes plus a 4-byte checksum,"
                  .formatted(file, payloadLength)
              + " only %d bytes follow the header".formatted(bytes.length - headerLength));
    }
    if (expected < bytes.length) {
      throw new SemanticIdIndexFileException(
          Problem.CORRUPT,
          "%s: %d unexpected bytes after the checksum: file is corrupt"
              .formatted(file, bytes.length - expected));
    }
    int length = (int) payloadLength;
    int stored = ByteBuffer.wrap(bytes, headerLength + length, Integer.BYTES).getInt();
    if ((int) AtomicFiles.crc32(bytes, headerLength, length) != stored) {
      throw new SemanticIdIndexFileException(
          Problem.CORRUPT, file + ": checksum mismatch: file is corrupt");
    }
    try {
      return decode(
          file,
          new DataInputStream(new ByteArrayInputStream(bytes, headerLength, length)),
          formatFactory);
    } catch (SemanticIdIndexFileException e) {
      throw e;
    } catch (IOException | IllegalArgumentException | ArithmeticException e) {
      // UTFDataFormatException, EOFException, a lattice or ID the API refuses: the checksum held,
      // so the writer itself was broken or the file was crafted.
      throw new SemanticIdIndexFileException(
          Problem.CORRUPT,
          file + ": file is corrupt: its payload does not decode (" + e.getMessage() + ")",
          e);
    }
  }

  private static SemanticIdIndexFileException truncatedHeader(Path file, int length, int header) {
    return new SemanticIdIndexFileException(
        Problem.TRUNCATED,
        file + ": file is truncated: " + length + " bytes, the header alone takes " + header);
  }

  private static SemanticIdIndex decode(
      Path file, DataInputStream in, Function<IdSpace, IdFormat> formatFactory) throws IOException {
    String formatName = in.readUTF();
    int levelCount = in.readInt();
    if (levelCount < 1 || levelCount > in.available() / MIN_LEVEL_BYTES) {
      throw new IllegalArgumentException(
          "level count %d, for %d payload bytes left".formatted(levelCount, in.available()));
    }
    List<LatticeSpec> lattices = new ArrayList<>(levelCount);
    for (int l = 0; l < levelCount; l++) {
      int rows = in.readInt();
      int cols = in.readInt();
      LatticeSpec.Topology topology = LatticeSpec.Topology.valueOf(in.readUTF());
      boolean toroidal = in.readBoolean();
      lattices.add(new LatticeSpec(rows, cols, topology, toroidal));
    }
    // Before IdSpace, whose constructor scans every cell of every lattice.
    SemanticIdIndex.checkSpaceSize(lattices);
    IdSpace space = new IdSpace(lattices);
    IdFormat format = formatFor(file, formatName, space, formatFactory);
    int count = in.readInt();
    long entryBytes = 4L + 4L * levelCount + 4L;
    if (count < 1 || count > in.available() / entryBytes) {
      throw new IllegalArgumentException(
          "entry count %d, for %d payload bytes left".formatted(count, in.available()));
    }
    SemanticIdIndex.Builder builder = SemanticIdIndex.builder(space).format(format);
    int[] cells = new int[levelCount];
    for (int i = 0; i < count; i++) {
      int n = in.readInt();
      if (n < 0 || n > MAX_POI_ID_BYTES || n > in.available()) {
        throw new IllegalArgumentException("POI id length " + n + " of entry " + i);
      }
      byte[] poi = in.readNBytes(n);
      if (poi.length != n) {
        throw new EOFException("entry " + i + " ends early");
      }
      for (int l = 0; l < levelCount; l++) {
        cells[l] = in.readInt();
      }
      builder.add(new String(poi, UTF_8), SemanticId.of(cells, in.readInt()));
    }
    if (in.available() > 0) {
      throw new IllegalArgumentException(in.available() + " bytes left after the last entry");
    }
    return builder.build();
  }

  private static IdFormat formatFor(
      Path file, String name, IdSpace space, Function<IdSpace, IdFormat> factory)
      throws SemanticIdIndexFileException {
    if (factory != null) {
      IdFormat format = factory.apply(space);
      if (format == null || !format.name().equals(name) || !format.space().equals(space)) {
        throw new SemanticIdIndexFileException(
            Problem.UNKNOWN_FORMAT,
            "%s: the file uses ID format '%s'; the given factory made %s"
                .formatted(file, name, format == null ? "null" : "'" + format.name() + "'"));
      }
      return format;
    }
    return switch (name) {
      case LatticeTokenFormat.NAME -> LatticeTokenFormat.of(space);
      case RowColumnTokenFormat.NAME -> RowColumnTokenFormat.of(space);
      default ->
          throw new SemanticIdIndexFileException(
              Problem.UNKNOWN_FORMAT,
              "%s: unknown ID format '%s'; load it with a format factory".formatted(file, name));
    };
  }
}
