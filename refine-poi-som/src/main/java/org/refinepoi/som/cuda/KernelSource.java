package org.refinepoi.som.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The CUDA C sources kept as resources next to this class, and the NVRTC options they are compiled
 * with.
 */
final class KernelSource {

  /** The SOM kernels' resource name. */
  public static final String SOM_KERNELS = "som_kernels.cu";

  /** Every kernel entry point of {@link #SOM_KERNELS} (unmangled, {@code extern "C"}). */
  public static final List<String> SOM_ENTRY_POINTS =
      List.of(
          "som_bmu_fp32",
          "som_bmu2_fp32",
          "som_bmu_tf32",
          "som_bmu_3xtf32",
          "som_bmu2_tf32",
          "som_bmu2_3xtf32",
          "som_round_tf32",
          "som_row_norms",
          "som_accumulate",
          "som_sums_to_float",
          "som_gather_weights",
          "som_divide_update",
          "som_qe_te",
          "som_tree_train");

  private KernelSource() {}

  /** Reads a kernel source resource as text. */
  public static String read(String resource) {
    try (InputStream in = KernelSource.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("kernel source resource " + resource + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read kernel source " + resource, e);
    }
  }

  /**
   * NVRTC options for a compute capability: a real {@code sm_XX} target (so NVRTC also emits a
   * CUBIN and the driver need not JIT), device code by default, C++17, and no fast-math (IEEE
   * division and square roots, denormals kept) so results stay comparable with the CPU. Off Hopper
   * the 3xTF32 epoch kernel is compiled for one block per multiprocessor: at two (128 registers)
   * ptxas 13.0 spills it on sm_80 and sm_100, not on sm_90.
   */
  public static List<String> nvrtcOptions(int computeMajor, int computeMinor) {
    List<String> options = new java.util.ArrayList<>();
    options.add("--gpu-architecture=sm_" + computeMajor + computeMinor);
    options.add("-default-device");
    options.add("--std=c++17");
    options.add("--fmad=true");
    if (computeMajor != 9) {
      options.add("-DBMU_MIN_BLOCKS_3XTF32=1");
    }
    String extra = System.getProperty(EXTRA_OPTIONS_PROPERTY, "").strip();
    if (!extra.isEmpty()) {
      options.addAll(List.of(extra.split("\\s+")));
    }
    return List.copyOf(options);
  }

  /**
   * System property with extra NVRTC options, space-separated (for tuning on a GPU without a
   * rebuild, e.g. {@code -DBMU_MIN_BLOCKS_MMA=1}).
   */
  public static final String EXTRA_OPTIONS_PROPERTY = "refinepoi.cuda.nvrtcOptions";
}
