package org.refinepoi.som.cuda;

import java.util.Locale;

/**
 * How the fused BMU kernel computes the sample-prototype dot products. The accumulation of sums,
 * the neighbourhood product and the QE/TE distances are FP32 (or better) in every mode.
 */
public enum CudaPrecision {
  /** FP32 fused multiply-adds on the CUDA cores: the reference mode, closest to the CPU. */
  FP32("som_bmu_fp32", "som_bmu2_fp32", 0),
  /**
   * Tensor-core TF32 ({@code mma.sync ... tf32}, compute capability 8.0+): inputs rounded to 10
   * mantissa bits, so dot products carry a relative error near 3e-4 and near-tie BMUs can differ.
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
