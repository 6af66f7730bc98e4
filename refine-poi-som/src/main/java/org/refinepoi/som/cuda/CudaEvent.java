package org.refinepoi.som.cuda;

import static com.google.common.base.Preconditions.checkState;

import java.lang.foreign.MemorySegment;

/** A CUDA event: a marker in a stream, for ordering between streams and for device-side timing. */
public final class CudaEvent implements AutoCloseable {

  private final CudaContext context;
  private MemorySegment handle;

  CudaEvent(CudaContext context, MemorySegment handle) {
    this.context = context;
    this.handle = handle;
  }

  MemorySegment handle() {
    checkState(handle != null, "event is closed");
    return handle;
  }

  /** Records this event at the current end of a stream. */
  public void record(CudaStream stream) {
    context.makeCurrent();
    context.driver().eventRecord(handle(), stream.handle());
  }

  /** Blocks until the work before this event's last record has finished. */
  public void synchronize() {
    context.makeCurrent();
    context.driver().eventSynchronize(handle());
  }

  /** Milliseconds of device time between {@code start} and this event (both recorded, done). */
  public float millisSince(CudaEvent start) {
    context.makeCurrent();
    return context.driver().eventElapsedMillis(start.handle(), handle());
  }

  @Override
  public void close() {
    if (handle != null) {
      MemorySegment h = handle;
      handle = null;
      context.makeCurrent();
      context.driver().eventDestroy(h);
    }
  }
}
