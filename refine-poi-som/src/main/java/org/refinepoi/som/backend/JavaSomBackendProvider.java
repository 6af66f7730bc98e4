package org.refinepoi.som.backend;

/** Registers the pure-Java backend ({@code java}): always available. */
public final class JavaSomBackendProvider implements SomBackendProvider {

  /** Creates the provider (for {@link java.util.ServiceLoader}). */
  public JavaSomBackendProvider() {}

  @Override
  public String name() {
    return "java";
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public Availability availability() {
    return KernelSupport.vectorModulePresent()
        ? Availability.yes("pure Java, Vector API kernel")
        : Availability.yes("pure Java, scalar kernel (jdk.incubator.vector not enabled)");
  }

  @Override
  public SomBackend create() {
    return new JavaSomBackend();
  }
}
