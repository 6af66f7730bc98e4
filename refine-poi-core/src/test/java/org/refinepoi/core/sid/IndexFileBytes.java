package org.refinepoi.core.sid;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.refinepoi.core.io.AtomicFiles;

/** Index files built byte by byte, with valid checksums, as a crafted (hostile) file would be. */
final class IndexFileBytes {

  private IndexFileBytes() {}

  /** A payload: the format name, the lattices, then one POI per entry at the given cells, slot. */
  static byte[] payload(String format, int[][] lattices, String poi, int[] cells, int slot) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeUTF(format);
      out.writeInt(lattices.length);
      for (int[] l : lattices) {
        out.writeInt(l[0]);
        out.writeInt(l[1]);
        out.writeUTF("RECTANGULAR");
        out.writeBoolean(false);
      }
      out.writeInt(1);
      byte[] id = poi.getBytes(StandardCharsets.UTF_8);
      out.writeInt(id.length);
      out.write(id);
      for (int c : cells) {
        out.writeInt(c);
      }
      out.writeInt(slot);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A file of the given version around a payload, every checksum valid. */
  static byte[] file(int version, byte[] payload) {
    int header = version == 1 ? 20 : 24;
    ByteBuffer b = ByteBuffer.allocate(header + payload.length + 4);
    b.put(SemanticIdIndexFiles.MAGIC).putInt(version).putLong(payload.length);
    if (version != 1) {
      b.putInt((int) AtomicFiles.crc32(b.array(), 0, 20));
    }
    b.put(payload).putInt((int) AtomicFiles.crc32(payload, 0, payload.length));
    return b.array();
  }

  /** The payload of a file of the given version. */
  static byte[] payloadOf(int version, byte[] file) {
    int header = version == 1 ? 20 : 24;
    byte[] payload = new byte[file.length - header - 4];
    System.arraycopy(file, header, payload, 0, payload.length);
    return payload;
  }
}
