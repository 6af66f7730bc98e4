package org.refinepoi.som.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the CUDA C resources compile for Hopper with the toolkit's {@code nvcc} when it is on the
 * PATH (skipped otherwise). NVRTC, which the backend uses at run time, is covered by {@link
 * NvrtcCompileTest}; this one also catches what only the full compiler reports.
 */
class KernelCompileTest {

  private static Path nvcc() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, "nvcc");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  @Test
  void somKernelsCompileToPtxForSm90WithNvcc(@TempDir Path tmp)
      throws IOException, InterruptedException {
    Path nvcc = nvcc();
    assumeTrue(nvcc != null, "nvcc is not on the PATH: kernel compilation not checked here");
    Path src = tmp.resolve(KernelSource.SOM_KERNELS);
    Files.writeString(src, KernelSource.read(KernelSource.SOM_KERNELS), StandardCharsets.UTF_8);
    Path ptx = tmp.resolve("som_kernels.ptx");
    Process p =
        new ProcessBuilder(
                List.of(
                    nvcc.toString(),
                    "-ptx",
                    "-arch=sm_90",
                    "-Werror=all-warnings",
                    src.toString(),
                    "-o",
                    ptx.toString()))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("nvcc finished").isTrue();
    assertThat(p.exitValue()).as("nvcc output: %s", out).isZero();
    String text = Files.readString(ptx);
    for (String entry : KernelSource.SOM_ENTRY_POINTS) {
      assertThat(text).contains(".entry " + entry + "(");
    }
    assertThat(text).contains("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32");
  }

  /**
   * Every kernel compiles to machine code without register spills or a stack frame for the
   * architectures the spill report named (sm_80 and sm_100: the 3xTF32 epoch kernel spilled at two
   * blocks per SM) and Hopper, with the options the backend passes NVRTC for each.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {80, 90, 100})
  void noKernelSpillsOnAmpereHopperOrBlackwell(int sm, @TempDir Path tmp)
      throws IOException, InterruptedException {
    Path nvcc = nvcc();
    assumeTrue(nvcc != null, "nvcc is not on the PATH: register use not checked here");
    Path src = tmp.resolve(KernelSource.SOM_KERNELS);
    Files.writeString(src, KernelSource.read(KernelSource.SOM_KERNELS), StandardCharsets.UTF_8);
    List<String> cmd =
        new java.util.ArrayList<>(List.of(nvcc.toString(), "-cubin", "-arch=sm_" + sm));
    for (String o : KernelSource.nvrtcOptions(sm / 10, sm % 10)) {
      if (o.startsWith("-D")) {
        cmd.add(o);
      }
    }
    cmd.addAll(List.of("-Xptxas", "-v", src.toString(), "-o", tmp.resolve("k.cubin").toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("nvcc finished").isTrue();
    assertThat(p.exitValue()).as("nvcc output: %s", out).isZero();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "(\\d+) bytes stack frame, (\\d+) bytes spill stores, (\\d+) bytes spill loads")
            .matcher(out);
    int functions = 0;
    while (m.find()) {
      functions++;
      assertThat(m.group(0))
          .as("sm_%s: %s", sm, out)
          .isEqualTo("0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads");
    }
    assertThat(functions).as(out).isGreaterThanOrEqualTo(KernelSource.SOM_ENTRY_POINTS.size());
  }
}
