package org.refinepoi.rl.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Keys and values of the positions already processed, per layer, so that incremental decoding runs
 * the network on the new token only. Arrays are {@code (B, heads, length, headDim)}. Not
 * thread-safe; lives inside one decoding call.
 */
final class KvCache {

  private final NDArray[] keys;
  private final NDArray[] values;
  private int length;

  KvCache(int layers) {
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
  }

  /** Number of positions cached. */
  int length() {
    return length;
  }

  NDArray appendKeys(int layer, NDArray k) {
    keys[layer] = keys[layer] == null ? k : keys[layer].concat(k, 2);
    return keys[layer];
  }

  NDArray appendValues(int layer, NDArray v) {
    values[layer] = values[layer] == null ? v : values[layer].concat(v, 2);
    return values[layer];
  }

  void advance(int steps) {
    length += steps;
  }

  /**
   * Keeps the rows at the given indices, in that order (rows may repeat): how beam search and group
   * sampling fork and prune sequences.
   */
  void selectRows(NDManager manager, long[] rows) {
    NDArray index = manager.create(rows);
    for (int l = 0; l < keys.length; l++) {
      if (keys[l] != null) {
        keys[l] = keys[l].get(new NDIndex("{}", index));
        values[l] = values[l].get(new NDIndex("{}", index));
      }
    }
  }
}
