package org.refinepoi.som.cuda;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import com.google.common.base.Supplier;
import com.google.common.base.Suppliers;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CUDA driver API ({@code libcuda.so.1}) through {@code java.lang.foreign}: device discovery,
 * primary contexts, memory, modules, launches, streams and events. Every call's {@code CUresult} is
 * checked; a failure becomes a {@link CudaException} naming the call and the driver's name and
 * description of the error.
 *
 * <p>Obtain the process-wide instance with {@link #load()}, which never throws: when the library, a
 * symbol or {@code cuInit} fails, the result says why. Device handles and pointers are plain {@code
 * int}/{@code long}/{@link MemorySegment} values here; the {@code AutoCloseable} wrappers ({@link
 * CudaContext}, {@link DeviceBuffer}, {@link CudaModule}, {@link CudaStream}, {@link CudaEvent},
 * {@link PinnedHostBuffer}) own them.
 */
@SuppressWarnings("restricted") // native access is this package's purpose
public final class CudaDriver {

  private static final Logger LOG = LoggerFactory.getLogger(CudaDriver.class);

  /** {@code CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT}. */
  static final int ATTR_MULTIPROCESSOR_COUNT = 16;

  /** {@code CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE}. */
  static final int ATTR_L2_CACHE_SIZE = 38;

  /** {@code CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR}. */
  static final int ATTR_CC_MAJOR = 75;

  /** {@code CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR}. */
  static final int ATTR_CC_MINOR = 76;

  /** {@code CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN}. */
  static final int ATTR_MAX_SHARED_PER_BLOCK_OPTIN = 97;

  /** {@code CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES}. */
  static final int FUNC_ATTR_MAX_DYNAMIC_SHARED = 8;

  /** {@code CU_FUNC_ATTRIBUTE_NUM_REGS}. */
  static final int FUNC_ATTR_NUM_REGS = 4;

  /** {@code CU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES}. */
  static final int FUNC_ATTR_LOCAL_SIZE = 3;

  private static final ValueLayout.OfLong SIZE_T = JAVA_LONG;
  private static final FunctionDescriptor STATUS_INT = FunctionDescriptor.of(JAVA_INT, JAVA_INT);
  private static final FunctionDescriptor STATUS_PTR = FunctionDescriptor.of(JAVA_INT, ADDRESS);

  /** Loads on the first call, once per process (thread-safe; later calls share the result). */
  private static final Supplier<Loaded> LOADED = Suppliers.memoize(CudaDriver::tryLoad);

  /** The outcome of loading the driver: the driver, or the reason it is unavailable. */
  public record Loaded(CudaDriver driver, String unavailableReason) {

    /** Whether the driver loaded and initialised. */
    public boolean available() {
      return driver != null;
    }
  }

  private final String library;
  private final NativeFunctions.Bound cuInit;
  private final NativeFunctions.Bound cuDriverGetVersion;
  private final NativeFunctions.Bound cuDeviceGetCount;
  private final NativeFunctions.Bound cuDeviceGet;
  private final NativeFunctions.Bound cuDeviceGetName;
  private final NativeFunctions.Bound cuDeviceGetAttribute;
  private final NativeFunctions.Bound cuDeviceTotalMem;
  private final NativeFunctions.Bound cuDevicePrimaryCtxRetain;
  private final NativeFunctions.Bound cuDevicePrimaryCtxRelease;
  private final NativeFunctions.Bound cuCtxSetCurrent;
  private final NativeFunctions.Bound cuCtxSynchronize;
  private final NativeFunctions.Bound cuMemGetInfo;
  private final NativeFunctions.Bound cuMemAlloc;
  private final NativeFunctions.Bound cuMemFree;
  private final NativeFunctions.Bound cuMemAllocHost;
  private final NativeFunctions.Bound cuMemFreeHost;
  private final NativeFunctions.Bound cuMemcpyHtoD;
  private final NativeFunctions.Bound cuMemcpyDtoH;
  private final NativeFunctions.Bound cuMemcpyHtoDAsync;
  private final NativeFunctions.Bound cuMemcpyDtoHAsync;
  private final NativeFunctions.Bound cuMemcpyDtoDAsync;
  private final NativeFunctions.Bound cuMemsetD8Async;
  private final NativeFunctions.Bound cuModuleLoadData;
  private final NativeFunctions.Bound cuModuleUnload;
  private final NativeFunctions.Bound cuModuleGetFunction;
  private final NativeFunctions.Bound cuFuncSetAttribute;
  private final NativeFunctions.Bound cuFuncGetAttribute;
  private final NativeFunctions.Bound cuLaunchKernel;
  private final NativeFunctions.Bound cuStreamCreate;
  private final NativeFunctions.Bound cuStreamDestroy;
  private final NativeFunctions.Bound cuStreamSynchronize;
  private final NativeFunctions.Bound cuStreamWaitEvent;
  private final NativeFunctions.Bound cuEventCreate;
  private final NativeFunctions.Bound cuEventRecord;
  private final NativeFunctions.Bound cuEventSynchronize;
  private final NativeFunctions.Bound cuEventElapsedTime;
  private final NativeFunctions.Bound cuEventDestroy;
  private final NativeFunctions.Bound cuGetErrorName;
  private final NativeFunctions.Bound cuGetErrorString;

  private CudaDriver(NativeFunctions f) throws NativeFunctions.MissingSymbolException {
    this.library = f.library();
    cuInit = f.bind(STATUS_INT, "cuInit");
    cuDriverGetVersion = f.bind(STATUS_PTR, "cuDriverGetVersion");
    cuDeviceGetCount = f.bind(STATUS_PTR, "cuDeviceGetCount");
    cuDeviceGet = f.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), "cuDeviceGet");
    cuDeviceGetName =
        f.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), "cuDeviceGetName");
    cuDeviceGetAttribute =
        f.bind(
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), "cuDeviceGetAttribute");
    cuDeviceTotalMem =
        f.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), "cuDeviceTotalMem_v2");
    cuDevicePrimaryCtxRetain =
        f.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), "cuDevicePrimaryCtxRetain");
    cuDevicePrimaryCtxRelease =
        f.bind(STATUS_INT, "cuDevicePrimaryCtxRelease_v2", "cuDevicePrimaryCtxRelease");
    cuCtxSetCurrent = f.bind(STATUS_PTR, "cuCtxSetCurrent");
    cuCtxSynchronize = f.bind(FunctionDescriptor.of(JAVA_INT), "cuCtxSynchronize");
    cuMemGetInfo = f.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), "cuMemGetInfo_v2");
    cuMemAlloc = f.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, SIZE_T), "cuMemAlloc_v2");
    cuMemFree = f.bind(FunctionDescriptor.of(JAVA_INT, JAVA_LONG), "cuMemFree_v2");
    cuMemAllocHost = f.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, SIZE_T), "cuMemAllocHost_v2");
    cuMemFreeHost = f.bind(STATUS_PTR, "cuMemFreeHost");
    cuMemcpyHtoD =
        f.bind(FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, SIZE_T), "cuMemcpyHtoD_v2");
    cuMemcpyDtoH =
        f.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, SIZE_T), "cuMemcpyDtoH_v2");
    cuMemcpyHtoDAsync =
        f.bind(
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, SIZE_T, ADDRESS),
            "cuMemcpyHtoDAsync_v2");
    cuMemcpyDtoHAsync =
        f.bind(
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, SIZE_T, ADDRESS),
            "cuMemcpyDtoHAsync_v2");
    cuMemcpyDtoDAsync =
        f.bind(
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, SIZE_T, ADDRESS),
            "cuMemcpyDtoDAsync_v2");
    cuMemsetD8Async =
        f.bind(
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_BYTE, SIZE_T, ADDRESS),
            "cuMemsetD8Async");
    cuModuleLoadData =
        f.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), "cuModuleLoadData");
    cuModuleUnload = f.bind(STATUS_PTR, "cuModuleUnload");
    cuModuleGetFunction =
        f.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS), "cuModuleGetFunction");
    cuFuncSetAttribute =
        f.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), "cuFuncSetAttribute");
    cuFuncGetAttribute =
        f.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), "cuFuncGetAttribute");
    cuLaunchKernel =
        f.bind(
            FunctionDescriptor.of(
                JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, ADDRESS, ADDRESS, ADDRESS),
            "cuLaunchKernel");
    cuStreamCreate = f.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), "cuStreamCreate");
    cuStreamDestroy = f.bind(STATUS_PTR, "cuStreamDestroy_v2", "cuStreamDestroy");
    cuStreamSynchronize = f.bind(STATUS_PTR, "cuStreamSynchronize");
    cuStreamWaitEvent =
        f.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT), "cuStreamWaitEvent");
    cuEventCreate = f.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), "cuEventCreate");
    cuEventRecord = f.bind(FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), "cuEventRecord");
    cuEventSynchronize = f.bind(STATUS_PTR, "cuEventSynchronize");
    cuEventElapsedTime =
        f.bind(
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS),
            "cuEventElapsedTime_v2",
            "cuEventElapsedTime");
    cuEventDestroy = f.bind(STATUS_PTR, "cuEventDestroy_v2", "cuEventDestroy");
    cuGetErrorName = f.bind(FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), "cuGetErrorName");
    cuGetErrorString =
        f.bind(FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), "cuGetErrorString");
  }

  /**
   * Loads {@code libcuda.so.1} and calls {@code cuInit(0)} once per process. Never throws: the
   * result carries the reason when the driver is missing, too old, or finds no device.
   */
  public static Loaded load() {
    return LOADED.get();
  }

  private static Loaded tryLoad() {
    try {
      NativeLibraries.Opened lib =
          NativeLibraries.open("libcuda", List.of("1", ""), Arena.global());
      CudaDriver driver = new CudaDriver(new NativeFunctions(lib.lookup(), lib.source()));
      driver.check("cuInit", driver.cuInit.callInt(0));
      int count = driver.deviceCount();
      if (count < 1) {
        return new Loaded(null, "the CUDA driver (" + lib.source() + ") reports no device");
      }
      LOG.debug(
          "CUDA driver {} loaded from {}, {} device(s)",
          driver.driverVersion(),
          lib.source(),
          count);
      return new Loaded(driver, null);
    } catch (NativeLibraries.LibraryNotFoundException e) {
      return new Loaded(null, "no NVIDIA driver: " + e.getMessage());
    } catch (NativeFunctions.MissingSymbolException e) {
      return new Loaded(null, "unusable NVIDIA driver: " + e.getMessage());
    } catch (CudaException e) {
      return new Loaded(null, "the CUDA driver (libcuda) failed to start: " + e.getMessage());
    } catch (RuntimeException | LinkageError e) {
      return new Loaded(null, "the CUDA driver (libcuda) could not be bound: " + e);
    }
  }

  /** The library path or soname that was opened. */
  public String library() {
    return library;
  }

  /** Throws a {@link CudaException} naming {@code call} when {@code status} is not success. */
  void check(String call, int status) {
    if (status != 0) {
      throw new CudaException(call, status, errorName(status), errorString(status));
    }
  }

  /** The driver's symbolic name for a status, e.g. {@code CUDA_ERROR_OUT_OF_MEMORY}. */
  public String errorName(int status) {
    return describe(cuGetErrorName, status);
  }

  /** The driver's description of a status. */
  public String errorString(int status) {
    return describe(cuGetErrorString, status);
  }

  private static String describe(NativeFunctions.Bound fn, int status) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(ADDRESS);
      if (fn.callInt(status, out) != 0) {
        return "unknown CUresult";
      }
      MemorySegment str = out.get(ADDRESS, 0);
      return str.equals(MemorySegment.NULL) ? "" : str.reinterpret(4096).getString(0);
    }
  }

  /** The driver's CUDA version as {@code 1000 * major + 10 * minor}. */
  public int driverVersion() {
    return getInt("cuDriverGetVersion", cuDriverGetVersion);
  }

  /** Number of visible CUDA devices. */
  public int deviceCount() {
    return getInt("cuDeviceGetCount", cuDeviceGetCount);
  }

  private int getInt(String call, NativeFunctions.Bound fn) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(JAVA_INT);
      check(call, fn.callInt(out));
      return out.get(JAVA_INT, 0);
    }
  }

  /** The device handle for an ordinal. */
  int device(int ordinal) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(JAVA_INT);
      check("cuDeviceGet", cuDeviceGet.callInt(out, ordinal));
      return out.get(JAVA_INT, 0);
    }
  }

  /** Describes the device with this ordinal. */
  public DeviceInfo deviceInfo(int ordinal) {
    int dev = device(ordinal);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment name = arena.allocate(256);
      check("cuDeviceGetName", cuDeviceGetName.callInt(name, 256, dev));
      MemorySegment total = arena.allocate(SIZE_T);
      check("cuDeviceTotalMem_v2", cuDeviceTotalMem.callInt(total, dev));
      return new DeviceInfo(
          ordinal,
          name.getString(0),
          attribute(dev, ATTR_CC_MAJOR),
          attribute(dev, ATTR_CC_MINOR),
          attribute(dev, ATTR_MULTIPROCESSOR_COUNT),
          total.get(SIZE_T, 0),
          attribute(dev, ATTR_MAX_SHARED_PER_BLOCK_OPTIN),
          attribute(dev, ATTR_L2_CACHE_SIZE));
    }
  }

  /** One {@code CUdevice_attribute} of a device handle. */
  int attribute(int device, int attribute) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(JAVA_INT);
      check("cuDeviceGetAttribute", cuDeviceGetAttribute.callInt(out, attribute, device));
      return out.get(JAVA_INT, 0);
    }
  }

  MemorySegment primaryContextRetain(int device) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(ADDRESS);
      check("cuDevicePrimaryCtxRetain", cuDevicePrimaryCtxRetain.callInt(out, device));
      return out.get(ADDRESS, 0);
    }
  }

  void primaryContextRelease(int device) {
    check(cuDevicePrimaryCtxRelease.name(), cuDevicePrimaryCtxRelease.callInt(device));
  }

  void setCurrent(MemorySegment context) {
    check("cuCtxSetCurrent", cuCtxSetCurrent.callInt(context));
  }

  void synchronize() {
    check("cuCtxSynchronize", cuCtxSynchronize.callInt());
  }

  /** Free and total device memory of the current context's device, in bytes. */
  long[] memInfo() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment free = arena.allocate(SIZE_T);
      MemorySegment total = arena.allocate(SIZE_T);
      check("cuMemGetInfo_v2", cuMemGetInfo.callInt(free, total));
      return new long[] {free.get(SIZE_T, 0), total.get(SIZE_T, 0)};
    }
  }

  long memAlloc(long bytes) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(JAVA_LONG);
      check("cuMemAlloc_v2", cuMemAlloc.callInt(out, bytes));
      return out.get(JAVA_LONG, 0);
    }
  }

  void memFree(long pointer) {
    check("cuMemFree_v2", cuMemFree.callInt(pointer));
  }

  MemorySegment memAllocHost(long bytes) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(ADDRESS);
      check("cuMemAllocHost_v2", cuMemAllocHost.callInt(out, bytes));
      return out.get(ADDRESS, 0).reinterpret(bytes);
    }
  }

  void memFreeHost(MemorySegment pointer) {
    check("cuMemFreeHost", cuMemFreeHost.callInt(pointer));
  }

  /**
   * Synchronous copy to the device. From pageable memory the driver may return before its DMA has
   * landed, and work on a non-blocking stream is not ordered after it, so this also waits for the
   * context: the data is on the device when it returns.
   */
  void copyHtoD(long dst, MemorySegment src, long bytes) {
    check("cuMemcpyHtoD_v2", cuMemcpyHtoD.callInt(dst, src, bytes));
    synchronize();
  }

  void copyDtoH(MemorySegment dst, long src, long bytes) {
    check("cuMemcpyDtoH_v2", cuMemcpyDtoH.callInt(dst, src, bytes));
  }

  void copyHtoDAsync(long dst, MemorySegment src, long bytes, MemorySegment stream) {
    check("cuMemcpyHtoDAsync_v2", cuMemcpyHtoDAsync.callInt(dst, src, bytes, stream));
  }

  void copyDtoHAsync(MemorySegment dst, long src, long bytes, MemorySegment stream) {
    check("cuMemcpyDtoHAsync_v2", cuMemcpyDtoHAsync.callInt(dst, src, bytes, stream));
  }

  void copyDtoDAsync(long dst, long src, long bytes, MemorySegment stream) {
    check("cuMemcpyDtoDAsync_v2", cuMemcpyDtoDAsync.callInt(dst, src, bytes, stream));
  }

  void memsetAsync(long dst, int value, long bytes, MemorySegment stream) {
    check("cuMemsetD8Async", cuMemsetD8Async.callInt(dst, (byte) value, bytes, stream));
  }

  MemorySegment moduleLoadData(MemorySegment image) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(ADDRESS);
      check("cuModuleLoadData", cuModuleLoadData.callInt(out, image));
      return out.get(ADDRESS, 0);
    }
  }

  void moduleUnload(MemorySegment module) {
    check("cuModuleUnload", cuModuleUnload.callInt(module));
  }

  MemorySegment moduleGetFunction(MemorySegment module, String name) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(ADDRESS);
      check(
          "cuModuleGetFunction(" + name + ")",
          cuModuleGetFunction.callInt(out, module, arena.allocateFrom(name)));
      return out.get(ADDRESS, 0);
    }
  }

  void funcSetAttribute(MemorySegment function, int attribute, int value) {
    check("cuFuncSetAttribute", cuFuncSetAttribute.callInt(function, attribute, value));
  }

  int funcGetAttribute(MemorySegment function, int attribute) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(JAVA_INT);
      check("cuFuncGetAttribute", cuFuncGetAttribute.callInt(out, attribute, function));
      return out.get(JAVA_INT, 0);
    }
  }

  void launch(
      String kernel,
      MemorySegment function,
      LaunchConfig config,
      MemorySegment stream,
      MemorySegment params) {
    check(
        "cuLaunchKernel(" + kernel + ")",
        cuLaunchKernel.callInt(
            function,
            config.gridX(),
            config.gridY(),
            1,
            config.blockX(),
            1,
            1,
            config.sharedBytes(),
            stream,
            params,
            MemorySegment.NULL));
  }

  MemorySegment streamCreate() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(ADDRESS);
      check("cuStreamCreate", cuStreamCreate.callInt(out, 1 /* CU_STREAM_NON_BLOCKING */));
      return out.get(ADDRESS, 0);
    }
  }

  void streamDestroy(MemorySegment stream) {
    check(cuStreamDestroy.name(), cuStreamDestroy.callInt(stream));
  }

  void streamSynchronize(MemorySegment stream) {
    check("cuStreamSynchronize", cuStreamSynchronize.callInt(stream));
  }

  void streamWaitEvent(MemorySegment stream, MemorySegment event) {
    check("cuStreamWaitEvent", cuStreamWaitEvent.callInt(stream, event, 0));
  }

  MemorySegment eventCreate() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(ADDRESS);
      check("cuEventCreate", cuEventCreate.callInt(out, 0 /* CU_EVENT_DEFAULT */));
      return out.get(ADDRESS, 0);
    }
  }

  void eventRecord(MemorySegment event, MemorySegment stream) {
    check("cuEventRecord", cuEventRecord.callInt(event, stream));
  }

  void eventSynchronize(MemorySegment event) {
    check("cuEventSynchronize", cuEventSynchronize.callInt(event));
  }

  float eventElapsedMillis(MemorySegment start, MemorySegment end) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(JAVA_FLOAT);
      check(cuEventElapsedTime.name(), cuEventElapsedTime.callInt(out, start, end));
      return out.get(JAVA_FLOAT, 0);
    }
  }

  void eventDestroy(MemorySegment event) {
    check(cuEventDestroy.name(), cuEventDestroy.callInt(event));
  }
}
