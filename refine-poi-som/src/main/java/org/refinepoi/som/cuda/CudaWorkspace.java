package org.refinepoi.som.cuda;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The device-side state a session owns: a retained context, the compiled SOM kernels, a compute
 * stream, a cuBLAS handle, and every buffer allocated through it. {@link #close()} releases them in
 * reverse order, also after a partial failure in the constructor.
 */
final class CudaWorkspace implements AutoCloseable {

  /** Bytes of pinned staging used to move large heap arrays to the device. */
  static final long STAGING_BYTES = 64L << 20;

  final CudaContext context;
  final SomKernels kernels;
  final CudaStream stream;
  final Cublas.Handle blas;
  private final Deque<AutoCloseable> owned = new ArrayDeque<>();
  private PinnedHostBuffer staging;

  CudaWorkspace(int device, boolean withBlas) {
    CudaDriver.Loaded driver = CudaDriver.load();
    if (!driver.available()) {
      throw new IllegalStateException("CUDA unavailable: " + driver.unavailableReason());
    }
    Nvrtc.Loaded nvrtc = Nvrtc.load();
    if (!nvrtc.available()) {
      throw new IllegalStateException("CUDA unavailable: " + nvrtc.unavailableReason());
    }
    CudaContext ctx = CudaContext.open(driver.driver(), device);
    owned.push(ctx);
    this.context = ctx;
    try {
      this.kernels = own(SomKernels.load(ctx, nvrtc.nvrtc()));
      this.stream = own(ctx.createStream());
      if (withBlas) {
        Cublas.Loaded cublas = Cublas.load();
        if (!cublas.available()) {
          throw new IllegalStateException("CUDA unavailable: " + cublas.unavailableReason());
        }
        this.blas = own(cublas.cublas().create(ctx, stream, Cublas.MATH_DEFAULT));
      } else {
        this.blas = null;
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Registers a resource to be closed with the workspace (before those registered earlier). */
  <T extends AutoCloseable> T own(T resource) {
    owned.push(resource);
    return resource;
  }

  /** Releases one resource now (e.g. a buffer being replaced by a larger one). */
  void release(AutoCloseable resource) {
    if (resource != null && owned.remove(resource)) {
      closeQuietly(resource, null);
    }
  }

  /** Allocates a device buffer owned by the workspace. */
  DeviceBuffer allocate(long bytes) {
    return own(context.allocate(bytes));
  }

  /** Pinned staging for large transfers, allocated on first use. */
  PinnedHostBuffer staging() {
    if (staging == null) {
      staging = own(context.allocatePinned(STAGING_BYTES));
    }
    return staging;
  }

  /**
   * Copies {@code count} floats from {@code src[from..]} to {@code dst} at a byte offset through
   * the pinned staging buffer, piece by piece, waiting for each piece (the staging is reused).
   */
  void uploadFloats(float[] src, long from, long count, DeviceBuffer dst, long dstOffsetBytes) {
    MemorySegment pinned = staging().segment();
    long perPiece = STAGING_BYTES / Float.BYTES;
    long done = 0;
    while (done < count) {
      long piece = Math.min(perPiece, count - done);
      MemorySegment.copy(
          src, Math.toIntExact(from + done), pinned, ValueLayout.JAVA_FLOAT, 0, (int) piece);
      dst.uploadAsync(pinned, piece * Float.BYTES, dstOffsetBytes + done * Float.BYTES, stream);
      stream.synchronize();
      done += piece;
    }
  }

  /** Launches a kernel of the SOM module on the workspace stream. */
  void launch(String kernel, LaunchConfig config, KernelArgs args) {
    kernels.function(kernel).launch(config, stream, args);
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    while (!owned.isEmpty()) {
      failure = closeQuietly(owned.pop(), failure);
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static RuntimeException closeQuietly(AutoCloseable c, RuntimeException failure) {
    try {
      c.close();
    } catch (Exception e) {
      RuntimeException r =
          e instanceof RuntimeException re ? re : new CudaException("closing " + c + " failed", e);
      if (failure == null) {
        return r;
      }
      failure.addSuppressed(r);
    }
    return failure;
  }
}
