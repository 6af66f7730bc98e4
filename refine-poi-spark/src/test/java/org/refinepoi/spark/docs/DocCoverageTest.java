package org.refinepoi.spark.docs;

import org.junit.jupiter.api.Test;
import org.refinepoi.core.docs.DocCoverage;

/** Every public and protected declaration of this module's main sources carries Javadoc. */
class DocCoverageTest {

  @Test
  void everyPublicAndProtectedDeclarationHasAComment() throws Exception {
    DocCoverage.assertEveryPublicDeclarationHasAComment();
  }
}
