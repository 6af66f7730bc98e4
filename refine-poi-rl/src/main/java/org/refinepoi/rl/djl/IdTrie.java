package org.refinepoi.rl.djl;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.refinepoi.core.prompt.PromptVocabulary;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.sid.SemanticIdIndex;

/**
 * A prefix trie over the token sequences of the valid semantic IDs: decoding walks it so that only
 * valid IDs can be written. Node 0 is the root; every leaf sits at depth {@link #depth()} and
 * stands for one POI. Each node knows how many leaves lie below it, which is what lets a {@link
 * ListConstraint} exclude already-listed IDs without ever reaching a dead end. Immutable.
 */
public final class IdTrie {

  private final PromptVocabulary vocabulary;
  private final int depth;
  private final int[][] childTokens;
  private final int[][] childNodes;
  private final int[] leafCount;
  private final int[] leafPoi;
  private final int[] nodeDepth;
  private final int[][] poiTokens;

  private IdTrie(
      PromptVocabulary vocabulary,
      int[][] childTokens,
      int[][] childNodes,
      int[] leafCount,
      int[] leafPoi,
      int[] nodeDepth,
      int[][] poiTokens) {
    this.vocabulary = vocabulary;
    this.depth = vocabulary.idLength();
    this.childTokens = childTokens;
    this.childNodes = childNodes;
    this.leafCount = leafCount;
    this.leafPoi = leafPoi;
    this.nodeDepth = nodeDepth;
    this.poiTokens = poiTokens;
  }

  /**
   * The trie of an ID index's catalogue: leaf POI {@code i} is the index's POI {@code i} ({@link
   * SemanticIdIndex#idsByPoi()}), so the decoder, the rewards and the index agree on every POI.
   *
   * @param vocabulary a vocabulary in the index's format, for example {@code
   *     PromptVocabulary.of(index, users)}
   * @throws IllegalArgumentException when the vocabulary writes another format or ID space
   */
  public static IdTrie of(PromptVocabulary vocabulary, SemanticIdIndex index) {
    checkNotNull(vocabulary, "vocabulary");
    checkNotNull(index, "index");
    checkArgument(
        vocabulary.format().name().equals(index.format().name())
            && vocabulary.format().space().equals(index.space()),
        "the vocabulary writes %s IDs of %s, the index %s IDs of %s",
        vocabulary.format().name(),
        vocabulary.format().space(),
        index.format().name(),
        index.space());
    return of(vocabulary, index.idsByPoi());
  }

  /**
   * A trie of the IDs of a POI catalogue.
   *
   * @param vocabulary the token vocabulary the IDs are written in
   * @param poiIds the semantic ID of each dense POI index ({@code null} for a POI without an ID,
   *     which can then never be generated); IDs must be distinct
   * @throws IllegalArgumentException on a duplicate ID, an ID outside the vocabulary, or no IDs
   */
  public static IdTrie of(PromptVocabulary vocabulary, List<SemanticId> poiIds) {
    checkNotNull(vocabulary, "vocabulary");
    checkNotNull(poiIds, "poiIds");
    List<Map<Integer, Integer>> children = new ArrayList<>();
    List<Integer> depths = new ArrayList<>();
    children.add(new HashMap<>());
    depths.add(0);
    Map<Integer, Integer> leafPoiByNode = new HashMap<>();
    int[][] poiTokens = new int[poiIds.size()][];
    int depth = vocabulary.idLength();
    for (int poi = 0; poi < poiIds.size(); poi++) {
      SemanticId id = poiIds.get(poi);
      if (id == null) {
        continue;
      }
      int[] tokens = vocabulary.idTokens(id);
      poiTokens[poi] = tokens;
      int node = 0;
      for (int i = 0; i < depth; i++) {
        Integer next = children.get(node).get(tokens[i]);
        if (next == null) {
          next = children.size();
          children.add(new HashMap<>());
          depths.add(i + 1);
          children.get(node).put(tokens[i], next);
        }
        node = next;
      }
      Integer previous = leafPoiByNode.putIfAbsent(node, poi);
      checkArgument(previous == null, "POIs %s and %s share the ID %s", previous, poi, id);
    }
    checkArgument(!leafPoiByNode.isEmpty(), "no POI has a semantic ID");
    int n = children.size();
    int[][] childTokens = new int[n][];
    int[][] childNodes = new int[n][];
    int[] nodeDepth = new int[n];
    for (int node = 0; node < n; node++) {
      int[] tokens = children.get(node).keySet().stream().mapToInt(Integer::intValue).toArray();
      Arrays.sort(tokens);
      childTokens[node] = tokens;
      childNodes[node] = new int[tokens.length];
      for (int i = 0; i < tokens.length; i++) {
        childNodes[node][i] = children.get(node).get(tokens[i]);
      }
      nodeDepth[node] = depths.get(node);
    }
    int[] leafPoi = new int[n];
    Arrays.fill(leafPoi, -1);
    leafPoiByNode.forEach((node, poi) -> leafPoi[node] = poi);
    int[] leafCount = new int[n];
    // Children always have larger node numbers than their parent: accumulate bottom-up.
    for (int node = n - 1; node >= 0; node--) {
      if (leafPoi[node] >= 0) {
        leafCount[node] = 1;
      }
      for (int child : childNodes[node]) {
        leafCount[node] += leafCount[child];
      }
    }
    return new IdTrie(
        vocabulary, childTokens, childNodes, leafCount, leafPoi, nodeDepth, poiTokens);
  }

  /** The vocabulary of the IDs. */
  public PromptVocabulary vocabulary() {
    return vocabulary;
  }

  /** Tokens per ID (every leaf's depth). */
  public int depth() {
    return depth;
  }

  /** Number of nodes, the root included. */
  public int nodeCount() {
    return leafCount.length;
  }

  /** Number of IDs (leaves). */
  public int size() {
    return leafCount[0];
  }

  /** The tokens that may follow a node, ascending. */
  public int[] childTokens(int node) {
    checkElementIndex(node, leafCount.length, "node");
    return childTokens[node].clone();
  }

  int[] childTokensView(int node) {
    return childTokens[node];
  }

  int[] childNodesView(int node) {
    return childNodes[node];
  }

  /** The child of a node along a token, or -1 when the token is not allowed there. */
  public int child(int node, int token) {
    checkElementIndex(node, leafCount.length, "node");
    int i = Arrays.binarySearch(childTokens[node], token);
    return i >= 0 ? childNodes[node][i] : -1;
  }

  /** Number of leaves (IDs) below a node. */
  public int leafCount(int node) {
    checkElementIndex(node, leafCount.length, "node");
    return leafCount[node];
  }

  /** Depth of a node (0 for the root, {@link #depth()} for leaves). */
  public int nodeDepth(int node) {
    checkElementIndex(node, leafCount.length, "node");
    return nodeDepth[node];
  }

  /** The POI of a leaf, or -1 for an inner node. */
  public int poiAt(int node) {
    checkElementIndex(node, leafCount.length, "node");
    return leafPoi[node];
  }

  /** The ID tokens of a POI, or {@code null} when it has no ID. */
  public int[] poiTokens(int poi) {
    checkElementIndex(poi, poiTokens.length, "POI");
    return poiTokens[poi] == null ? null : poiTokens[poi].clone();
  }

  /** Number of POIs in the catalogue (with or without an ID). */
  public int poiCount() {
    return poiTokens.length;
  }
}
