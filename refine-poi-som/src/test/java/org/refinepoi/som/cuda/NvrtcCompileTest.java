package org.refinepoi.som.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Compiles the SOM kernels through the FFM NVRTC binding. NVRTC needs no GPU, only {@code
 * libnvrtc.so.13|12} (found on the loader path or through {@code REFINEPOI_CUDA_LIBDIR}); skipped
 * when it is absent.
 */
class NvrtcCompileTest {

  private static Nvrtc nvrtc() {
    Nvrtc.Loaded loaded = Nvrtc.load();
    assumeTrue(loaded.available(), "NVRTC not available: " + loaded.unavailableReason());
    return loaded.nvrtc();
  }

  @Test
  void compilesEveryKernelForHopperWithPtxAndCubin() {
    Nvrtc nvrtc = nvrtc();
    assertThat(nvrtc.version()[0]).isGreaterThanOrEqualTo(12);
    Nvrtc.Compiled c = SomKernels.compile(nvrtc, 9, 0);
    for (String entry : KernelSource.SOM_ENTRY_POINTS) {
      assertThat(c.ptx()).contains(".entry " + entry + "(");
    }
    assertThat(c.ptx()).contains(".target sm_90");
    assertThat(c.ptx()).contains("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32");
    // A real architecture also yields an ELF CUBIN, which the driver loads without JIT.
    assertThat(c.cubin()).hasSizeGreaterThan(4);
    assertThat(new String(c.cubin(), 1, 3, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("ELF");
    assertThat(c.image()).isSameAs(c.cubin());
  }

  @Test
  void compilesForTuringToo() {
    Nvrtc nvrtc = nvrtc();
    // Below sm_80 the tensor-core kernels compile to a trap; the host never selects them there.
    assertThat(SomKernels.compile(nvrtc, 7, 5).ptx()).contains(".entry som_bmu_fp32(");
  }

  @Test
  void compileErrorNamesTheCallAndCarriesTheLog() {
    Nvrtc nvrtc = nvrtc();
    assertThatThrownBy(
            () ->
                nvrtc.compile(
                    "extern \"C\" __global__ void k(float* x) { x[0] = undefined_name; }",
                    "broken.cu",
                    List.of("--gpu-architecture=sm_90")))
        .isInstanceOf(CudaException.class)
        .hasMessageContaining("nvrtcCompileProgram(broken.cu")
        .hasMessageContaining("NVRTC_ERROR_COMPILATION")
        .hasMessageContaining("undefined_name");
  }

  @Test
  void virtualArchitectureGivesPtxOnly() {
    Nvrtc nvrtc = nvrtc();
    Nvrtc.Compiled c =
        nvrtc.compile(
            "extern \"C\" __global__ void twice(float* x) { x[threadIdx.x] *= 2.f; }",
            "twice.cu",
            List.of("--gpu-architecture=compute_90"));
    assertThat(c.cubin()).isEmpty();
    assertThat(c.ptx()).contains(".entry twice(");
    assertThat(new String(c.image(), java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo(c.ptx());
    assertThat(nvrtc.errorString(0)).isEqualTo("NVRTC_SUCCESS");
  }
}
