package org.refinepoi.som.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** One kernel of a {@link CudaModule}; valid while the module is open. */
final class CudaFunction {

  private final CudaContext context;
  private final String name;
  private final MemorySegment handle;

  CudaFunction(CudaContext context, String name, MemorySegment handle) {
    this.context = context;
    this.name = name;
    this.handle = handle;
  }

  /** The kernel's name. */
  public String name() {
    return name;
  }

  /** Allows this kernel more than 48 KiB of dynamic shared memory (up to the device's opt-in). */
  public void allowDynamicShared(int bytes) {
    context.makeCurrent();
    context.driver().funcSetAttribute(handle, CudaDriver.FUNC_ATTR_MAX_DYNAMIC_SHARED, bytes);
  }

  /** Registers per thread, as compiled. */
  public int registers() {
    context.makeCurrent();
    return context.driver().funcGetAttribute(handle, CudaDriver.FUNC_ATTR_NUM_REGS);
  }

  /** Local memory (spills, stack) per thread in bytes, as compiled. */
  public int localBytes() {
    context.makeCurrent();
    return context.driver().funcGetAttribute(handle, CudaDriver.FUNC_ATTR_LOCAL_SIZE);
  }

  /** Queues the kernel on a stream with the packed arguments. */
  public void launch(LaunchConfig config, CudaStream stream, KernelArgs args) {
    context.makeCurrent();
    try (Arena arena = Arena.ofConfined()) {
      context.driver().launch(name, handle, config, stream.handle(), args.pack(arena));
    }
  }
}
