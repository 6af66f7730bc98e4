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
import org.refinepoi.core.sid.SemanticIdIndexFileException.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The binary file format of a {@link SemanticIdIndex}, big-endian:
 *
 * <pre>
 *   8 bytes  magic "RPOI-SID"
 *   int      format version (1)
 *   long     payload length in bytes
 *   payload:
 *     UTF    ID format name ("lattice", "row-column", ...)
 *     int    level count; per level: int rows, int cols, UTF topology name, boolean toroidal
 *     int    entry count; per entry: int n, n bytes UTF-8 POI id, int cell per level, int slot
 *   int      CRC32 of the payload
 * </pre>
 */
final class SemanticIdIndexFiles {

  static final byte[] MAGIC = "RPOI-SID".getBytes(US_ASCII);
  static final int VERSION = 1;
  private static final int HEADER = MAGIC.length + Integer.BYTES + Long.BYTES;
  private static final int MAX_POI_ID_BYTES = 1 << 16;
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
      throw new SemanticIdIndexFileException(
          Problem.NOT_AN_INDEX,
          file + ": not a Refine-POI semantic-ID index (the file does not start with 'RPOI-SID')");
    }
    long size = Files.size(file);
    if (size > Integer.MAX_VALUE - 16) {
      throw new SemanticIdIndexFileException(
          Problem.CORRUPT,
          "%s: %d bytes is larger than any index this library writes".formatted(file, size));
    }
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length < HEADER) {
      throw new SemanticIdIndexFileException(
          Problem.TRUNCATED,
          file
              + ": file is truncated: "
              + bytes.length
              + " bytes, the header alone takes "
              + HEADER);
    }
    ByteBuffer head = ByteBuffer.wrap(bytes, MAGIC.length, HEADER - MAGIC.length);
    int version = head.getInt();
    long payloadLength = head.getLong();
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
    long expected = HEADER + payloadLength + Integer.BYTES;
    if (payloadLength < 0 || expected > bytes.length) {
      throw new SemanticIdIndexFileException(
          Problem.TRUNCATED,
          "%s: file is truncated: the header announces %d payload bytes plus a 4-byte checksum,"
                  .formatted(file, payloadLength)
              + " only %d bytes follow the header".formatted(bytes.length - HEADER));
    }
    if (expected < bytes.length) {
      throw new SemanticIdIndexFileException(
          Problem.CORRUPT,
          "%s: %d unexpected bytes after the checksum: file is corrupt"
              .formatted(file, bytes.length - expected));
    }
    int length = (int) payloadLength;
    int stored = ByteBuffer.wrap(bytes, HEADER + length, Integer.BYTES).getInt();
    if ((int) AtomicFiles.crc32(bytes, HEADER, length) != stored) {
      throw new SemanticIdIndexFileException(
          Problem.CORRUPT, file + ": checksum mismatch: file is corrupt");
    }
    try {
      return decode(
          file,
          new DataInputStream(new ByteArrayInputStream(bytes, HEADER, length)),
          formatFactory);
    } catch (EOFException | IllegalArgumentException e) {
      throw new SemanticIdIndexFileException(
          Problem.CORRUPT,
          file + ": file is corrupt: its payload does not decode (" + e.getMessage() + ")",
          e);
    }
  }

  private static SemanticIdIndex decode(
      Path file, DataInputStream in, Function<IdSpace, IdFormat> formatFactory) throws IOException {
    String formatName = in.readUTF();
    int levelCount = in.readInt();
    if (levelCount < 1 || levelCount > 1024) {
      throw new IllegalArgumentException("level count " + levelCount);
    }
    List<LatticeSpec> lattices = new ArrayList<>(levelCount);
    for (int l = 0; l < levelCount; l++) {
      int rows = in.readInt();
      int cols = in.readInt();
      LatticeSpec.Topology topology = LatticeSpec.Topology.valueOf(in.readUTF());
      boolean toroidal = in.readBoolean();
      lattices.add(new LatticeSpec(rows, cols, topology, toroidal));
    }
    IdSpace space = new IdSpace(lattices);
    IdFormat format = formatFor(file, formatName, space, formatFactory);
    int count = in.readInt();
    if (count < 1) {
      throw new IllegalArgumentException("entry count " + count);
    }
    SemanticIdIndex.Builder builder = SemanticIdIndex.builder(space).format(format);
    int[] cells = new int[levelCount];
    for (int i = 0; i < count; i++) {
      int n = in.readInt();
      if (n < 0 || n > MAX_POI_ID_BYTES) {
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
