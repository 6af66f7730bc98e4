package org.refinepoi.som.backend;

/**
 * The fused distance + argmin loop of the Java backend, over a range of samples against a packed
 * codebook. It never writes the N × M distance matrix. Scores are {@code ||w||^2 - 2 x.w} (the
 * sample's own norm does not change the order), accumulated with fused multiply-adds in feature
 * order, so every implementation produces bit-identical scores and therefore identical BMUs.
 */
interface BmuKernel {

  /** A short description for logs and benchmark output. */
  String description();

  /** The tile width (units per tile) this kernel wants its {@link PackedCodebook} packed with. */
  int tile();

  /**
   * Fills {@code best[i]} (and {@code bestScore[i]}, the winning {@code ||w||^2 - 2 x.w}, and
   * {@code second[i]}, when not null) for samples {@code from..to-1}.
   *
   * @param x row-major samples with {@code cb.dims()} columns
   * @throws IllegalArgumentException when every score of a sample is infinite or NaN (data too
   *     large for float32 distances)
   */
  void bmu(
      float[] x, int from, int to, PackedCodebook cb, int[] best, float[] bestScore, int[] second);
}
