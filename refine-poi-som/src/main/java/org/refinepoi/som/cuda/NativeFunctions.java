package org.refinepoi.som.cuda;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * Binds native functions of one opened library and calls them. Every binding is resolved eagerly
 * when the library is opened, so a missing symbol shows up as "unavailable" at probe time rather
 * than in the middle of training.
 */
@SuppressWarnings("restricted") // native access is this package's purpose
final class NativeFunctions {

  private static final Linker LINKER = Linker.nativeLinker();

  private final SymbolLookup lookup;
  private final String library;

  NativeFunctions(SymbolLookup lookup, String library) {
    this.lookup = lookup;
    this.library = library;
  }

  /** The library this binds, as it was opened. */
  String library() {
    return library;
  }

  /**
   * Binds the first of the given symbol names that the library exports (versioned entry points such
   * as {@code cuMemAlloc_v2} before their legacy names).
   *
   * @throws MissingSymbolException when none is exported
   */
  Bound bind(FunctionDescriptor descriptor, String... names) throws MissingSymbolException {
    for (String name : names) {
      var symbol = lookup.find(name);
      if (symbol.isPresent()) {
        return new Bound(name, LINKER.downcallHandle(symbol.get(), descriptor));
      }
    }
    throw new MissingSymbolException(
        library + " does not export any of " + List.of(names) + " (library too old?)");
  }

  /** Like {@link #bind} but returns null when the symbol is absent (optional entry points). */
  Bound bindOptional(FunctionDescriptor descriptor, String... names) {
    try {
      return bind(descriptor, names);
    } catch (MissingSymbolException e) {
      return null;
    }
  }

  /** A bound native function and the symbol name that was found. */
  record Bound(String name, MethodHandle handle) {

    /** Calls a function that returns a C {@code int} status. */
    int callInt(Object... args) {
      try {
        return (int) handle.invokeWithArguments(args);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new CudaException("native call " + name + " threw", t);
      }
    }

    /** Calls a function that returns a pointer. */
    MemorySegment callAddress(Object... args) {
      try {
        return (MemorySegment) handle.invokeWithArguments(args);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable t) {
        throw new CudaException("native call " + name + " threw", t);
      }
    }
  }

  /** A required symbol is not exported by the library. */
  static final class MissingSymbolException extends Exception {
    private static final long serialVersionUID = 1L;

    MissingSymbolException(String message) {
      super(message);
    }
  }
}
