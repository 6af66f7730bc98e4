package org.refinepoi.rl.djl;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.refinepoi.core.prompt.TokenVocabulary;

/**
 * Token sequences of different lengths packed into a {@code rows x width} batch with padding, the
 * position of each token among its row's real tokens, and a mask of real tokens. Left padding (used
 * before generation, so every row ends at the last column) and right padding (used for teacher
 * forcing) give the same positions, hence the same outputs for the real tokens.
 *
 * @param rows number of sequences
 * @param width padded length
 * @param leftPadded whether padding comes first
 * @param lengths each row's real length
 * @param tokens row-major tokens, {@link TokenVocabulary#PAD} in padding
 * @param positions row-major positions, 0 in padding
 * @param mask row-major 1 for real tokens, 0 for padding
 */
record PaddedBatch(
    int rows,
    int width,
    boolean leftPadded,
    int[] lengths,
    long[] tokens,
    long[] positions,
    float[] mask) {

  /** Packs sequences; each must be non-empty and at most {@code maxLength} long. */
  static PaddedBatch of(int[][] sequences, boolean leftPadded, int maxLength) {
    checkNotNull(sequences, "sequences");
    checkArgument(sequences.length > 0, "a batch needs at least one sequence");
    int width = 0;
    int[] lengths = new int[sequences.length];
    for (int r = 0; r < sequences.length; r++) {
      checkArgument(sequences[r].length > 0, "sequence %s is empty", r);
      checkArgument(
          sequences[r].length <= maxLength,
          "sequence %s has %s tokens, the model has %s positions",
          r,
          sequences[r].length,
          maxLength);
      lengths[r] = sequences[r].length;
      width = Math.max(width, lengths[r]);
    }
    long[] tokens = new long[sequences.length * width];
    long[] positions = new long[tokens.length];
    float[] mask = new float[tokens.length];
    for (int r = 0; r < sequences.length; r++) {
      int offset = leftPadded ? width - lengths[r] : 0;
      for (int i = 0; i < lengths[r]; i++) {
        int at = r * width + offset + i;
        tokens[at] = sequences[r][i];
        positions[at] = i;
        mask[at] = 1f;
      }
    }
    return new PaddedBatch(sequences.length, width, leftPadded, lengths, tokens, positions, mask);
  }

  /** Column of token {@code i} of row {@code r}. */
  int column(int r, int i) {
    return leftPadded ? width - lengths[r] + i : i;
  }

  NDArray tokenArray(NDManager m) {
    return m.create(tokens, new Shape(rows, width));
  }

  NDArray positionArray(NDManager m) {
    return m.create(positions, new Shape(rows, width));
  }

  NDArray maskArray(NDManager m) {
    return m.create(mask, new Shape(rows, width));
  }
}
