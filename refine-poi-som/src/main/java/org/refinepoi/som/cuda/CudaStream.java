package org.refinepoi.som.cuda;

import static com.google.common.base.Preconditions.checkState;

import java.lang.foreign.MemorySegment;

/** A non-blocking CUDA stream: work queued on it runs in order, overlapping other streams. */
public final class CudaStream implements AutoCloseable {

  private final CudaContext context;
  private MemorySegment handle;

  CudaStream(CudaContext context, MemorySegment handle) {
    this.context = context;
    this.handle = handle;
  }

  MemorySegment handle() {
    checkState(handle != null, "stream is closed");
    return handle;
  }

  /** Blocks until all work queued on this stream has finished. */
  public void synchronize() {
    context.makeCurrent();
    context.driver().streamSynchronize(handle());
  }

  /** Makes later work on this stream wait for an event recorded on another stream. */
  public void waitFor(CudaEvent event) {
    context.makeCurrent();
    context.driver().streamWaitEvent(handle(), event.handle());
  }

  @Override
  public void close() {
    if (handle != null) {
      MemorySegment h = handle;
      handle = null;
      context.makeCurrent();
      context.driver().streamDestroy(h);
    }
  }
}
