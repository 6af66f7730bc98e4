package org.refinepoi.core.data;

import java.util.Arrays;

/**
 * Interns byte strings (ids read from a file) to dense indices 0, 1, 2... in order of first
 * appearance, without building a {@code String} for an id already seen. Open addressing with linear
 * probing; not thread-safe.
 */
final class ByteSliceIndex {

  private int[] table = new int[1024];
  private int[] hashes = new int[256];
  private byte[][] keys = new byte[256][];
  private int size;

  /** A hash of {@code b[from, to)}; the caller passes it back to {@link #find} and {@link #add}. */
  static int hash(byte[] b, int from, int to) {
    int h = 1;
    for (int i = from; i < to; i++) {
      h = 31 * h + b[i];
    }
    return h ^ (h >>> 16);
  }

  /** The index of {@code b[from, to)}, or -1 when it was never added. */
  int find(byte[] b, int from, int to, int hash) {
    int mask = table.length - 1;
    for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
      int entry = table[slot];
      if (entry == 0) {
        return -1;
      }
      int id = entry - 1;
      if (hashes[id] == hash && Arrays.equals(keys[id], 0, keys[id].length, b, from, to)) {
        return id;
      }
    }
  }

  /** Adds {@code b[from, to)} (which must be absent) and returns its new index. */
  int add(byte[] b, int from, int to, int hash) {
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      hashes = Arrays.copyOf(hashes, size * 2);
    }
    if ((size + 1) * 2 > table.length) {
      rehash(table.length * 2);
    }
    int id = size++;
    keys[id] = Arrays.copyOfRange(b, from, to);
    hashes[id] = hash;
    insert(id);
    return id;
  }

  int size() {
    return size;
  }

  private void insert(int id) {
    int mask = table.length - 1;
    int slot = hashes[id] & mask;
    while (table[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    table[slot] = id + 1;
  }

  private void rehash(int capacity) {
    table = new int[capacity];
    for (int id = 0; id < size; id++) {
      insert(id);
    }
  }
}
