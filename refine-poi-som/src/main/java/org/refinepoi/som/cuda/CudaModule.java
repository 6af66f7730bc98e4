package org.refinepoi.som.cuda;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;

/** A loaded PTX or CUBIN module and the kernels found in it; unloaded by {@link #close()}. */
final class CudaModule implements AutoCloseable {

  private final CudaContext context;
  private final Map<String, CudaFunction> functions = new HashMap<>();
  private MemorySegment handle;

  private CudaModule(CudaContext context, MemorySegment handle) {
    this.context = context;
    this.handle = handle;
  }

  static CudaModule load(CudaContext context, byte[] image) {
    checkArgument(image.length > 0, "empty module image");
    try (Arena arena = Arena.ofConfined()) {
      // PTX must be NUL-terminated; a CUBIN ignores the extra byte.
      MemorySegment copy = arena.allocate(image.length + 1L, 16);
      MemorySegment.copy(image, 0, copy, ValueLayout.JAVA_BYTE, 0, image.length);
      copy.set(ValueLayout.JAVA_BYTE, image.length, (byte) 0);
      return new CudaModule(context, context.driver().moduleLoadData(copy));
    }
  }

  /** The kernel with this (unmangled, {@code extern "C"}) name. */
  public CudaFunction function(String name) {
    checkState(handle != null, "module is closed");
    return functions.computeIfAbsent(
        name, n -> new CudaFunction(context, n, context.driver().moduleGetFunction(handle, n)));
  }

  @Override
  public void close() {
    if (handle != null) {
      MemorySegment h = handle;
      handle = null;
      functions.clear();
      context.makeCurrent();
      context.driver().moduleUnload(h);
    }
  }
}
