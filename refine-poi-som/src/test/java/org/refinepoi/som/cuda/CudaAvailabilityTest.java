package org.refinepoi.som.cuda;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Loading the driver never throws; without one the reason names libcuda. */
class CudaAvailabilityTest {

  @Test
  void driverLoadReportsAReasonInsteadOfThrowing() {
    CudaDriver.Loaded loaded = CudaDriver.load();
    if (loaded.available()) {
      assertThat(loaded.unavailableReason()).isNull();
      assertThat(loaded.driver().deviceCount()).isPositive();
      assertThat(loaded.driver().driverVersion()).isGreaterThanOrEqualTo(12000);
    } else {
      assertThat(loaded.driver()).isNull();
      assertThat(loaded.unavailableReason()).contains("libcuda");
    }
    // Cached: the same outcome every time.
    assertThat(CudaDriver.load()).isSameAs(loaded);
  }

  @Test
  void cublasLoadNeverThrows() {
    Cublas.Loaded loaded = Cublas.load();
    if (!loaded.available()) {
      assertThat(loaded.unavailableReason()).contains("libcublas");
    } else {
      assertThat(loaded.cublas().statusName(7)).isEqualTo("CUBLAS_STATUS_INVALID_VALUE");
    }
  }
}
