package org.refinepoi.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module and package rules the README promises, checked on the compiled main classes of every
 * module on this class path (tests and the shared test jar excluded):
 *
 * <ul>
 *   <li>core depends on no other Refine-POI module; som and rl depend on core only (not on each
 *       other); the method library (pipeline) on core, som and rl, never on the CLI; nothing
 *       reaches back into the CLI (examples) or the Spark module;
 *   <li>library modules write no console output (no {@code System.out}, {@code System.err}, {@code
 *       printStackTrace}), log through SLF4J only (no java.util.logging, no other logging API) and
 *       use no console or charting library (picocli, progressbar, XChart) or SLF4J binding;
 *   <li>ND4J, an optional dependency, is touched only by its backend package, so the rest of
 *       refine-poi-som loads without it; no library code compiles against DJL's PyTorch engine (the
 *       engine is a run-time choice).
 * </ul>
 *
 * <p>Rules over a module that is not on this class path yet (pipeline, spark) pass while empty.
 */
class ArchitectureTest {

  private static final String CORE = "org.refinepoi.core..";
  private static final String SOM = "org.refinepoi.som..";
  private static final String RL = "org.refinepoi.rl..";
  private static final String PIPELINE = "org.refinepoi.pipeline..";
  private static final String SPARK = "org.refinepoi.spark..";
  private static final String EXAMPLES = "org.refinepoi.examples..";
  private static final String[] LIBRARIES = {CORE, SOM, RL, PIPELINE};

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("org.refinepoi");
  }

  @Test
  void coreDependsOnNoOtherModule() {
    check(
        noClasses()
            .that()
            .resideInAPackage(CORE)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(SOM, RL, PIPELINE, SPARK, EXAMPLES));
  }

  @Test
  void somDependsOnCoreOnly() {
    check(
        noClasses()
            .that()
            .resideInAPackage(SOM)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(RL, PIPELINE, SPARK, EXAMPLES));
  }

  @Test
  void rlDependsOnCoreOnly() {
    check(
        noClasses()
            .that()
            .resideInAPackage(RL)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(SOM, PIPELINE, SPARK, EXAMPLES));
  }

  @Test
  void pipelineNeverReachesTheCliOrSpark() {
    check(
        noClasses()
            .that()
            .resideInAPackage(PIPELINE)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(SPARK, EXAMPLES)
            .allowEmptyShould(true));
  }

  @Test
  void librariesWriteNoConsoleOutput() {
    check(
        noClasses()
            .that()
            .resideInAnyPackage(LIBRARIES)
            .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
            .because("libraries log through SLF4J; only the CLI prints"));
  }

  @Test
  void librariesLogThroughSlf4jOnly() {
    check(
        noClasses()
            .that()
            .resideInAnyPackage(LIBRARIES)
            .should(GeneralCodingRules.USE_JAVA_UTIL_LOGGING)
            .orShould()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "org.apache.commons.logging..",
                "org.apache.logging.log4j..",
                "org.apache.log4j..",
                "ch.qos.logback..",
                "org.slf4j.simple.."));
  }

  @Test
  void librariesUseNoConsoleOrChartingLibrary() {
    check(
        noClasses()
            .that()
            .resideInAnyPackage(LIBRARIES)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("picocli..", "me.tongfei.progressbar..", "org.knowm.xchart.."));
  }

  @Test
  void onlyTheNd4jBackendTouchesNd4j() {
    check(
        noClasses()
            .that()
            .resideInAnyPackage(LIBRARIES)
            .and()
            .resideOutsideOfPackage("org.refinepoi.som.backend.nd4j..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.nd4j..", "org.bytedeco.."));
  }

  @Test
  void noLibraryCompilesAgainstThePytorchEngine() {
    check(
        noClasses()
            .that()
            .resideInAnyPackage(LIBRARIES)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("ai.djl.pytorch.."));
  }

  private static void check(ArchRule rule) {
    rule.check(classes);
  }
}
