package org.refinepoi.som.cuda;

import java.util.Locale;

/**
 * How the fused BMU kernel computes the sample-prototype dot products. The accumulation of sums,
 * the neighbourhood product and the QE/TE distances are FP32 (or better) in every mode.
 */
public enum CudaPrecision {
  /**
   * FP32 fused multiply-adds on the CUDA cores: the reference mode. Scores are bit-identical to the
   * pure-Java backend's (the same fma chain over the features, the same {@code |w|^2}), so BMUs are
   * too.
   */
  FP32("som_bmu_fp32", "som_bmu2_fp32", 0),
  /**
   * Tensor-core TF32 ({@code mma.sync ... tf32}, compute capability 8.0+) with an exact FP32
   * re-rank: the default {@code cuda} mode. The samples are rounded to TF32 once per session; the
   * best few candidates per sample by TF32 score (a relative error near 3e-4) are re-scored with
   * the FP32 mode's arithmetic, so the chosen BMU is the FP32 one except where three or more units
   * lie within TF32 error of each other.
   */
  TF32("som_bmu_tf32", "som_bmu2_tf32", 8),
  /**
   * Three TF32 products per step ({@code hi*hi + hi*lo + lo*hi} with {@code x = hi + lo}): close to
   * FP32 accuracy at tensor-core speed (compute capability 8.0+).
   */
  TF32X3("som_bmu_3xtf32", "som_bmu2_3xtf32", 8);

  private final String kernel;
  private final String kernelWithSecond;
  private final int minComputeMajor;

  CudaPrecision(String kernel, String kernelWithSecond, int minComputeMajor) {
    this.kernel = kernel;
    this.kernelWithSecond = kernelWithSecond;
    this.minComputeMajor = minComputeMajor;
  }

  /** The BMU kernel's name in {@code som_kernels.cu}. */
  String kernel(boolean withSecond) {
    return withSecond ? kernelWithSecond : kernel;
  }

  /** Whether this mode runs on the tensor cores (dynamic shared memory, sm_80+). */
  boolean tensorCores() {
    return minComputeMajor > 0;
  }

  /** Whether the kernel takes the samples rounded to TF32 besides the FP32 rows. */
  boolean roundedSamples() {
    return this == TF32;
  }

  /** The mode the {@code cuda} backend name stands for. */
  public static final CudaPrecision DEFAULT = TF32;

  /** The backend name of a mode: {@code cuda} for the default, else {@code cuda-<label>}. */
  public String backendName() {
    return this == DEFAULT ? "cuda" : "cuda-" + label();
  }

  /** Whether a device of this compute capability can run the mode. */
  boolean supportedOn(DeviceInfo device) {
    return device.computeMajor() >= minComputeMajor;
  }

  /** The short lower-case name ({@code fp32}, {@code tf32}, {@code 3xtf32}). */
  public String label() {
    return this == TF32X3 ? "3xtf32" : name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code fp32}, {@code tf32} or {@code 3xtf32} (case-insensitive).
   *
   * @throws IllegalArgumentException for anything else
   */
  public static CudaPrecision parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (CudaPrecision p : values()) {
      if (p.label().equals(t)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown CUDA precision '" + text + "'; use fp32, tf32 or 3xtf32");
  }
}
