package org.refinepoi.rl.djl;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.refinepoi.core.prompt.PromptVocabulary;

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
 * @param tokens row-major tokens, {@link PromptVocabulary#PAD} in padding
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
    return of(sequences, leftPadded, maxLength, Integer.MAX_VALUE);
  }

  /**
   * Packs sequences of token ids in {@code [0, vocabSize)}; each must be non-empty and at most
   * {@code maxLength} long. The token check turns what would be an opaque native index error in the
   * embedding lookup into a message naming the sequence and position.
   */
  static PaddedBatch of(int[][] sequences, boolean leftPadded, int maxLength, int vocabSize) {
    checkNotNull(sequences, "sequences");
    checkArgument(sequences.length > 0, "a batch needs at least one sequence");
    int width = 0;
    int[] lengths = new int[sequences.length];
    for (int r = 0; r < sequences.length; r++) {
      checkNotNull(sequences[r], "sequence %s is null", r);
      checkArgument(sequences[r].length > 0, "sequence %s is empty", r);
      for (int i = 0; i < sequences[r].length; i++) {
        int token = sequences[r][i];
        if (token < 0 || token >= vocabSize) {
          throw new IllegalArgumentException(
              "sequence %s holds token %s at %s, outside the vocabulary [0, %s)"
                  .formatted(r, token, i, vocabSize));
        }
      }
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

  /**
   * Prompts left-padded to a common width followed by completions right-padded to a common width,
   * so that every completion starts at the same column (the prompt width). Positions count each
   * row's real tokens.
   */
  static PaddedBatch promptCompletion(int[][] prompts, int[][] completions, int maxLength) {
    checkArgument(
        prompts.length == completions.length && prompts.length > 0,
        "need as many prompts as completions (at least one), got %s and %s",
        prompts.length,
        completions.length);
    int wp = 0;
    int wc = 0;
    for (int r = 0; r < prompts.length; r++) {
      checkArgument(prompts[r].length > 0, "prompt %s is empty", r);
      wp = Math.max(wp, prompts[r].length);
      wc = Math.max(wc, completions[r].length);
    }
    int width = wp + wc;
    long[] tokens = new long[prompts.length * width];
    long[] positions = new long[tokens.length];
    float[] mask = new float[tokens.length];
    int[] lengths = new int[prompts.length];
    for (int r = 0; r < prompts.length; r++) {
      int total = prompts[r].length + completions[r].length;
      checkArgument(
          total <= maxLength,
          "prompt plus completion %s has %s tokens, the model has %s positions",
          r,
          total,
          maxLength);
      lengths[r] = total;
      int start = r * width + wp - prompts[r].length;
      for (int i = 0; i < total; i++) {
        int at = start + i;
        tokens[at] = i < prompts[r].length ? prompts[r][i] : completions[r][i - prompts[r].length];
        positions[at] = i;
        mask[at] = 1f;
      }
    }
    return new PaddedBatch(prompts.length, width, true, lengths, tokens, positions, mask);
  }

  /** Column of token {@code i} of row {@code r} (for {@link #of} batches). */
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
