package org.refinepoi.som;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.refinepoi.core.io.FileFormatException;
import org.refinepoi.core.testing.Fixtures;
import org.refinepoi.core.testing.Mutations;
import org.refinepoi.core.testing.Scratch;

/**
 * Mutated {@code .hsom} files, their checksum left broken or sealed again so that the decoder's
 * bounds are reached, load or are refused with a {@link FileFormatException} naming the file.
 */
class HostileHsomFileProperties {

  @Provide
  Arbitrary<byte[]> mutated() {
    return Arbitraries.of(HierarchyMode.values())
        .flatMap(mode -> Mutations.of(Fixtures.bytes(HsomFixtures.name(mode))));
  }

  @Property(tries = 400)
  void aMutatedModelLoadsOrIsRefusedNamingTheFile(
      @ForAll("mutated") byte[] bytes, @ForAll boolean seal) throws Exception {
    Scratch.withFile(
        ".hsom",
        seal ? Mutations.sealTrailingCrc32(bytes) : bytes,
        file -> {
          HierarchicalSomModel model =
              Mutations.loadsOrRefuses(
                  () -> HierarchicalSomModel.load(file),
                  FileFormatException.class,
                  file.toString());
          if (model != null) {
            model.idSpace();
          }
        });
  }
}
