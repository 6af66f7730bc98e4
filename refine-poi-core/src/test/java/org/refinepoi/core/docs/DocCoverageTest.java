package org.refinepoi.core.docs;

import org.junit.jupiter.api.Test;

/** Every public and protected declaration of this module's main sources carries Javadoc. */
class DocCoverageTest {

  @Test
  void everyPublicAndProtectedDeclarationHasAComment() throws Exception {
    DocCoverage.assertEveryPublicDeclarationHasAComment();
  }
}
