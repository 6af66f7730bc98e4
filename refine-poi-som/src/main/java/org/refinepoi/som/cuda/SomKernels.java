package org.refinepoi.som.cuda;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SOM kernel module compiled by NVRTC for one device and loaded into its context. Compiled
 * images are cached per compute capability for the life of the process (NVRTC takes about a second;
 * the device can load the same image many times).
 */
final class SomKernels implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SomKernels.class);
  private static final Map<String, Nvrtc.Compiled> COMPILED = new HashMap<>();

  private final CudaModule module;

  private SomKernels(CudaModule module) {
    this.module = module;
  }

  /** Compiles (or reuses) the kernels for the context's device and loads them. */
  static SomKernels load(CudaContext context, Nvrtc nvrtc) {
    DeviceInfo info = context.info();
    Nvrtc.Compiled compiled = compile(nvrtc, info.computeMajor(), info.computeMinor());
    return new SomKernels(context.loadModule(compiled.image()));
  }

  /** Compiles the SOM kernels for a compute capability (cached); needs NVRTC, not a GPU. */
  static Nvrtc.Compiled compile(Nvrtc nvrtc, int major, int minor) {
    List<String> options = KernelSource.nvrtcOptions(major, minor);
    String key = String.join(" ", options);
    synchronized (COMPILED) {
      Nvrtc.Compiled c = COMPILED.get(key);
      if (c == null) {
        long t0 = System.nanoTime();
        c =
            nvrtc.compile(
                KernelSource.read(KernelSource.SOM_KERNELS), KernelSource.SOM_KERNELS, options);
        LOG.debug(
            "compiled {} for sm_{}{} in {} ms{}",
            KernelSource.SOM_KERNELS,
            major,
            minor,
            (System.nanoTime() - t0) / 1_000_000,
            c.log().isEmpty() ? "" : "; log: " + c.log());
        COMPILED.put(key, c);
      }
      return c;
    }
  }

  /** A kernel by name. */
  CudaFunction function(String name) {
    return module.function(name);
  }

  @Override
  public void close() {
    module.close();
  }
}
