package org.refinepoi.som.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.refinepoi.som.backend.SomBackend;
import org.refinepoi.som.backend.SomBackendProvider;
import org.refinepoi.som.backend.SomBackends;

/** The CUDA providers are discovered; without a GPU they say why and {@code auto} uses the CPU. */
class CudaBackendSelectionTest {

  @Test
  void providersAreDiscoveredByServiceLoader() {
    List<String> names = SomBackends.providers().stream().map(SomBackendProvider::name).toList();
    assertThat(names)
        .contains("cuda", "cuda-3xtf32", "cuda-fp32", "java")
        .doesNotContain("cuda-tf32");
    // The default TF32 mode (FP32 re-ranked) first, the FP32 reference last of the GPU modes, all
    // before the CPU backends.
    assertThat(names.indexOf("cuda")).isLessThan(names.indexOf("cuda-3xtf32"));
    assertThat(names.indexOf("cuda-3xtf32")).isLessThan(names.indexOf("cuda-fp32"));
    assertThat(names.indexOf("cuda-fp32")).isLessThan(names.indexOf("java"));
    assertThat(new CudaSomBackendProvider().name()).isEqualTo("cuda");
    assertThat(CudaPrecision.DEFAULT).isEqualTo(CudaPrecision.TF32);
    assertThat(CudaPrecision.FP32.backendName()).isEqualTo("cuda-fp32");
  }

  @Test
  void autoFallsBackToTheCpuWhenNoGpuAnswers() {
    SomBackendProvider.Availability a = new CudaSomBackendProvider().availability();
    SomBackend auto = SomBackends.byName("auto");
    if (a.available()) {
      assertThat(auto.name()).isEqualTo("cuda");
      return;
    }
    assertThat(CudaDriver.load().available())
        .as("this machine has a driver; the reason must name what else is missing: %s", a.reason())
        .isFalse();
    assertThat(a.reason()).contains("libcuda");
    assertThat(auto.name()).doesNotStartWith("cuda");
    assertThatThrownBy(() -> SomBackends.byName("cuda"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not available")
        .hasMessageContaining("libcuda");
    assertThatThrownBy(() -> new CudaSomBackend(CudaPrecision.TF32))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("libcuda");
    assertThat(new CudaSomBackendProvider.Tf32x3().availability().available()).isFalse();
    assertThat(new CudaSomBackendProvider.Fp32().availability().available()).isFalse();
  }
}
