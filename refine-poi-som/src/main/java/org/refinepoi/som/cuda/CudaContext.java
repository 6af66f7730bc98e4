package org.refinepoi.som.cuda;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.lang.foreign.MemorySegment;

/**
 * A retained primary context on one device. Closing it releases the retain (the driver destroys the
 * context when the last retain goes). CUDA contexts are current per thread: every operation that
 * enters native code through this SDK first calls {@link #makeCurrent()}, so a context may be used
 * from any thread, though not from two at once.
 */
public final class CudaContext implements AutoCloseable {

  private final CudaDriver driver;
  private final int device;
  private final DeviceInfo info;
  private MemorySegment handle;

  private CudaContext(CudaDriver driver, int device, DeviceInfo info, MemorySegment handle) {
    this.driver = driver;
    this.device = device;
    this.info = info;
    this.handle = handle;
  }

  /** Retains the primary context of the device with this ordinal and makes it current. */
  public static CudaContext open(CudaDriver driver, int ordinal) {
    checkArgument(
        ordinal >= 0 && ordinal < driver.deviceCount(),
        "no CUDA device %s (%s visible)",
        ordinal,
        driver.deviceCount());
    int device = driver.device(ordinal);
    DeviceInfo info = driver.deviceInfo(ordinal);
    MemorySegment ctx = driver.primaryContextRetain(device);
    CudaContext context = new CudaContext(driver, device, info, ctx);
    context.makeCurrent();
    return context;
  }

  /** The driver this context belongs to. */
  public CudaDriver driver() {
    return driver;
  }

  /** The device's description. */
  public DeviceInfo info() {
    return info;
  }

  /** Binds this context to the calling thread. */
  public void makeCurrent() {
    checkState(handle != null, "CUDA context is closed");
    driver.setCurrent(handle);
  }

  /** Waits for all work on the device in this context. */
  public void synchronize() {
    makeCurrent();
    driver.synchronize();
  }

  /** Free device memory in bytes, as the driver reports it now. */
  public long freeMemory() {
    makeCurrent();
    return driver.memInfo()[0];
  }

  /** Allocates uninitialised device memory. */
  public DeviceBuffer allocate(long bytes) {
    makeCurrent();
    return DeviceBuffer.allocate(this, bytes);
  }

  /** Allocates page-locked host memory (fast, asynchronous transfers). */
  PinnedHostBuffer allocatePinned(long bytes) {
    makeCurrent();
    return PinnedHostBuffer.allocate(this, bytes);
  }

  /** Creates a non-blocking stream. */
  public CudaStream createStream() {
    makeCurrent();
    return new CudaStream(this, driver.streamCreate());
  }

  /** Creates a timing event. */
  public CudaEvent createEvent() {
    makeCurrent();
    return new CudaEvent(this, driver.eventCreate());
  }

  /** Loads a PTX or CUBIN image. */
  CudaModule loadModule(byte[] image) {
    makeCurrent();
    return CudaModule.load(this, image);
  }

  @Override
  public void close() {
    if (handle != null) {
      handle = null;
      driver.primaryContextRelease(device);
    }
  }
}
