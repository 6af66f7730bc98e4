package org.refinepoi.som;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.refinepoi.core.io.AtomicFiles;
import org.refinepoi.core.io.FileFormatException;
import org.refinepoi.core.io.MemoryBudget;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.som.train.SomMap;

/**
 * The model file: magic {@code RPOIHSOM}, format version (int), the payload, then a CRC32 (long) of
 * everything before it. Big-endian (DataOutputStream). Payload: mode ordinal, level count, per
 * level (rows, cols, topology ordinal, toroidal), dims; then the maps (RESIDUAL: one codebook per
 * level; TREE: pre-order, each node's codebook then, unless at the last level, one presence byte
 * per cell followed by that child's subtree).
 *
 * <p>Loading refuses, with a {@link FileFormatException} naming the file: a file too short for the
 * header (truncated) or without the magic, a checksum mismatch (checked before the version is
 * believed), another version, and a payload whose counts do not fit the bytes it has (each checked
 * before the array it sizes is allocated). A file larger than the free heap can decode is refused
 * before it is read ({@link MemoryBudget}).
 */
final class HsomFormat {

  static final byte[] MAGIC = "RPOIHSOM".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;

  private HsomFormat() {}

  static void save(HierarchicalSomModel model, Path file) throws IOException {
    AtomicFiles.write(file, toBytes(model));
  }

  /** The model's file content (what {@link #save} writes). */
  static byte[] toBytes(HierarchicalSomModel model) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.write(MAGIC);
      out.writeInt(VERSION);
      out.writeInt(model.mode().ordinal());
      out.writeInt(model.levelCount());
      for (LatticeSpec l : model.levels()) {
        out.writeInt(l.rows());
        out.writeInt(l.cols());
        out.writeInt(l.topology().ordinal());
        out.writeBoolean(l.toroidal());
      }
      out.writeInt(model.dims());
      if (model.mode() == HierarchyMode.RESIDUAL) {
        for (SomMap m : model.residualMaps()) {
          writeCodebook(out, m);
        }
      } else {
        writeNode(out, model.root(), 0, model.levelCount());
      }
      byte[] content = bytes.toByteArray();
      out.writeLong(AtomicFiles.crc32(content, 0, content.length));
    }
    return bytes.toByteArray();
  }

  private static void writeNode(
      DataOutputStream out, HierarchicalSomModel.Node node, int level, int levels)
      throws IOException {
    writeCodebook(out, node.map());
    if (level + 1 == levels) {
      return;
    }
    for (HierarchicalSomModel.Node c : node.children()) {
      out.writeBoolean(c != null);
      if (c != null) {
        writeNode(out, c, level + 1, levels);
      }
    }
  }

  private static void writeCodebook(DataOutputStream out, SomMap m) throws IOException {
    for (float v : m.codebook().unsafeData()) {
      out.writeFloat(v);
    }
  }

  static HierarchicalSomModel load(Path file) throws IOException {
    long size = Files.size(file);
    if (size > Integer.MAX_VALUE - 16) {
      throw new FileFormatException(
          "%s: %d bytes is larger than any model file this library writes (2 GiB)"
              .formatted(file, size));
    }
    // The bytes, then the codebooks decoded from them.
    MemoryBudget.require(2 * size, "reading the model " + file);
    return fromBytes(Files.readAllBytes(file), file.toString());
  }

  /**
   * Reads a model from a file's content, with the same checks as {@link #load}.
   *
   * @param source what to name in error messages (the file, or where the bytes came from)
   */
  static HierarchicalSomModel fromBytes(byte[] all, String source) throws IOException {
    String file = source;
    int minimum = MAGIC.length + 4 + 8;
    if (all.length < minimum) {
      int k = Math.min(all.length, MAGIC.length);
      if (k > 0 && Arrays.equals(all, 0, k, MAGIC, 0, k)) {
        throw new FileFormatException(
            "%s: truncated model file: %d bytes, a model file has at least %d"
                .formatted(file, all.length, minimum));
      }
      throw notAModel(file);
    }
    if (!Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw notAModel(file);
    }
    ByteBuffer b = ByteBuffer.wrap(all);
    b.position(MAGIC.length);
    int version = b.getInt();
    // The checksum covers the version too: check it first, so that a flipped version byte reads
    // as corruption rather than as another version.
    long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
    if (stored != AtomicFiles.crc32(all, 0, all.length - 8)) {
      throw new FileFormatException(
          "%s: checksum mismatch: the model file is corrupt or truncated (%d bytes; its version"
                  .formatted(file, all.length)
              + " field reads %d)".formatted(version));
    }
    if (version != VERSION) {
      throw new FileFormatException(
          file
              + ": unsupported model format version "
              + version
              + " (this SDK reads "
              + VERSION
              + ")");
    }
    try {
      ByteBuffer payload = ByteBuffer.wrap(all, 0, all.length - 8);
      payload.position(MAGIC.length + 4);
      int modeOrdinal = payload.getInt();
      if (modeOrdinal < 0 || modeOrdinal >= HierarchyMode.values().length) {
        throw new FileFormatException(file + ": unknown hierarchy mode " + modeOrdinal);
      }
      HierarchyMode mode = HierarchyMode.values()[modeOrdinal];
      int levelCount = payload.getInt();
      if (levelCount < 1 || levelCount > 64) {
        throw new FileFormatException(file + ": implausible level count " + levelCount);
      }
      List<LatticeSpec> levels = new ArrayList<>();
      for (int l = 0; l < levelCount; l++) {
        int rows = payload.getInt();
        int cols = payload.getInt();
        int topo = payload.getInt();
        boolean torus = payload.get() != 0;
        if (topo < 0 || topo >= LatticeSpec.Topology.values().length) {
          throw new FileFormatException(file + ": unknown lattice topology " + topo);
        }
        levels.add(new LatticeSpec(rows, cols, LatticeSpec.Topology.values()[topo], torus));
      }
      int dims = payload.getInt();
      // Every level has at least one codebook of cells x dims floats.
      if (dims < 1 || (long) levels.getFirst().size() * dims * Float.BYTES > payload.remaining()) {
        throw new FileFormatException(
            "%s: implausible dims %d for a %dx%d first level and %d bytes left"
                .formatted(
                    file,
                    dims,
                    levels.getFirst().rows(),
                    levels.getFirst().cols(),
                    payload.remaining()));
      }
      HierarchicalSomModel model;
      if (mode == HierarchyMode.RESIDUAL) {
        List<SomMap> maps = new ArrayList<>();
        for (LatticeSpec l : levels) {
          maps.add(readMap(payload, l, dims));
        }
        model = HierarchicalSomModel.residual(levels, maps);
      } else {
        model = HierarchicalSomModel.tree(levels, readNode(payload, levels, 0, dims));
      }
      if (payload.hasRemaining()) {
        throw new FileFormatException(
            file + ": " + payload.remaining() + " unexpected trailing bytes");
      }
      return model;
    } catch (BufferUnderflowException e) {
      throw new FileFormatException(
          file + ": malformed model file (payload shorter than its header says)", e);
    } catch (IllegalArgumentException | ArithmeticException | IndexOutOfBoundsException e) {
      throw new FileFormatException(file + ": malformed model file: " + e.getMessage(), e);
    }
  }

  private static FileFormatException notAModel(String file) {
    return new FileFormatException(
        file + ": not a Refine-POI hierarchical SOM model (bad magic: no 'RPOIHSOM' at the start)");
  }

  private static HierarchicalSomModel.Node readNode(
      ByteBuffer b, List<LatticeSpec> levels, int level, int dims) {
    SomMap map = readMap(b, levels.get(level), dims);
    if (level + 1 == levels.size()) {
      return new HierarchicalSomModel.Node(map, null);
    }
    int cells = map.lattice().size();
    // One presence byte per child: bounded by the bytes left before the array is made.
    if (b.remaining() < cells) {
      throw new BufferUnderflowException();
    }
    HierarchicalSomModel.Node[] children = new HierarchicalSomModel.Node[cells];
    for (int c = 0; c < children.length; c++) {
      if (b.get() != 0) {
        children[c] = readNode(b, levels, level + 1, dims);
      }
    }
    return new HierarchicalSomModel.Node(map, children);
  }

  private static SomMap readMap(ByteBuffer b, LatticeSpec lattice, int dims) {
    long n = (long) lattice.size() * dims;
    if (b.remaining() < n * Float.BYTES) {
      throw new BufferUnderflowException();
    }
    float[] w = new float[(int) n];
    b.asFloatBuffer().get(w);
    b.position(b.position() + w.length * Float.BYTES);
    return new SomMap(lattice, FloatMatrix.wrap(lattice.size(), dims, w));
  }
}
