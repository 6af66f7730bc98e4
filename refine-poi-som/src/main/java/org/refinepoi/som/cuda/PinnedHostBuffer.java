package org.refinepoi.som.cuda;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.lang.foreign.MemorySegment;

/**
 * Page-locked host memory from {@code cuMemAllocHost}: the staging area for asynchronous,
 * overlapped host-to-device copies when data streams through the device in chunks.
 */
final class PinnedHostBuffer implements AutoCloseable {

  private final CudaContext context;
  private MemorySegment segment;

  private PinnedHostBuffer(CudaContext context, MemorySegment segment) {
    this.context = context;
    this.segment = segment;
  }

  static PinnedHostBuffer allocate(CudaContext context, long bytes) {
    checkArgument(bytes > 0, "allocation must be > 0 bytes, got %s", bytes);
    return new PinnedHostBuffer(context, context.driver().memAllocHost(bytes));
  }

  /** The memory, readable and writable from Java until {@link #close()}. */
  public MemorySegment segment() {
    checkState(segment != null, "pinned buffer is closed");
    return segment;
  }

  @Override
  public void close() {
    if (segment != null) {
      MemorySegment s = segment;
      segment = null;
      context.makeCurrent();
      context.driver().memFreeHost(s);
    }
  }
}
