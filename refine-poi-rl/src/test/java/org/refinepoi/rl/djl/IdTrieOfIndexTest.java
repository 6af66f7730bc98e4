package org.refinepoi.rl.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.refinepoi.core.prompt.PoiIdTable;
import org.refinepoi.core.prompt.PromptVocabulary;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.LatticeSpec;
import org.refinepoi.core.sid.RowColumnTokenFormat;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.sid.SemanticIdIndex;

/** The tokenizer's table, the vocabulary and the decoder's trie built from one ID index. */
class IdTrieOfIndexTest {

  private static final IdSpace SPACE =
      IdSpace.of(LatticeSpec.rectangular(2, 2), LatticeSpec.rectangular(2, 2));

  /** Added out of ID order, so the catalogue order differs from the index's ID order. */
  private static SemanticIdIndex index() {
    return SemanticIdIndex.builder(SPACE)
        .add("venue-c", SemanticId.of(new int[] {3, 1}, 0))
        .add("venue-a", SemanticId.of(new int[] {0, 2}, 0))
        .add("venue-b", SemanticId.of(new int[] {0, 2}, 1))
        .build();
  }

  @Test
  void everyPartNumbersPoisLikeTheIndexCatalogue() {
    SemanticIdIndex index = index();
    PromptVocabulary vocabulary = PromptVocabulary.of(index, 0);
    IdTrie trie = IdTrie.of(vocabulary, index);
    PoiIdTable table = PoiIdTable.of(index);
    assertThat(trie.poiCount()).isEqualTo(3);
    for (int poi = 0; poi < index.size(); poi++) {
      assertThat(table.apply(poi)).isEqualTo(index.idAt(poi));
      assertThat(trie.poiTokens(poi)).isEqualTo(vocabulary.idTokens(index.idAt(poi)));
    }
    assertThat(index.poiId(0)).isEqualTo("venue-c");
  }

  @Test
  void aVocabularyOfAnotherFormatIsRefused() {
    SemanticIdIndex index = index();
    PromptVocabulary other = PromptVocabulary.of(RowColumnTokenFormat.of(SPACE), 2, 0);
    assertThatThrownBy(() -> IdTrie.of(other, index))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the vocabulary writes");
  }
}
