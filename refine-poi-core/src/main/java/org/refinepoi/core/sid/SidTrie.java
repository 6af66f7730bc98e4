package org.refinepoi.core.sid;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableSet;
import java.util.Arrays;
import java.util.List;

/**
 * A prefix trie over the token sequences of the IDs in a {@link SemanticIdIndex}, for constrained
 * decoding: after any prefix it answers which tokens may come next so that the sequence can still
 * end as an indexed ID. Its complete paths (depth {@link #depth()}) are exactly the indexed IDs.
 *
 * <p>Two interfaces: by token strings ({@link #allowedNextTokens(List)}), and by dense token ids of
 * the index's {@link TokenVocabulary}, either for a whole prefix ({@link #allowedNextTokenIds}) or
 * step by step from a node ({@link #root()}, {@link #child}, {@link #allowedTokenIds(int)}), which
 * a decoder keeps per beam so each step costs one binary search.
 *
 * <p>Stored flat (children of a node are a contiguous, token-sorted run of edge arrays), immutable
 * and safe to share across threads. Nodes are ints: 0 is the root, -1 means "no such node".
 */
public final class SidTrie {

  private final TokenVocabulary vocabulary;
  private final int depth;
  private final int[] childStart;
  private final int[] childToken;
  private final int[] childNode;
  private final int[] leafEntry;

  private SidTrie(
      TokenVocabulary vocabulary,
      int depth,
      int[] childStart,
      int[] childToken,
      int[] childNode,
      int[] leafEntry) {
    this.vocabulary = vocabulary;
    this.depth = depth;
    this.childStart = childStart;
    this.childToken = childToken;
    this.childNode = childNode;
    this.leafEntry = leafEntry;
  }

  /**
   * Builds the trie of distinct token-id sequences of equal length.
   *
   * @param sequences {@code sequences[i]} is the token ids of entry {@code i}; the leaf of that
   *     path reports {@code i} from {@link #entryAt}
   */
  static SidTrie build(TokenVocabulary vocabulary, int depth, int[][] sequences) {
    checkNotNull(vocabulary, "vocabulary");
    checkArgument(depth >= 1, "depth must be >= 1, got %s", depth);
    int n = sequences.length;
    for (int[] s : sequences) {
      checkArgument(
          s.length == depth, "sequence of length %s in a trie of depth %s", s.length, depth);
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Arrays.compare(sequences[a], sequences[b]));

    int maxNodes = Math.addExact(Math.multiplyExact(n, depth), 1);
    int[] rangeLo = new int[maxNodes];
    int[] rangeHi = new int[maxNodes];
    int[] nodeDepth = new int[maxNodes];
    int[] childStart = new int[maxNodes + 1];
    int[] childToken = new int[maxNodes];
    int[] childNode = new int[maxNodes];
    int[] leafEntry = new int[maxNodes];
    rangeLo[0] = 0;
    rangeHi[0] = n;
    int nodes = 1;
    int edges = 0;
    // Breadth-first: node ids are assigned in creation order, so each node's edges are contiguous.
    for (int node = 0; node < nodes; node++) {
      childStart[node] = edges;
      int d = nodeDepth[node];
      int lo = rangeLo[node];
      int hi = rangeHi[node];
      if (d == depth) {
        checkArgument(hi - lo == 1, "duplicate token sequence in trie input");
        leafEntry[node] = order[lo];
        continue;
      }
      leafEntry[node] = -1;
      int i = lo;
      while (i < hi) {
        int token = sequences[order[i]][d];
        int j = i + 1;
        while (j < hi && sequences[order[j]][d] == token) {
          j++;
        }
        childToken[edges] = token;
        childNode[edges] = nodes;
        edges++;
        rangeLo[nodes] = i;
        rangeHi[nodes] = j;
        nodeDepth[nodes] = d + 1;
        nodes++;
        i = j;
      }
    }
    childStart[nodes] = edges;
    return new SidTrie(
        vocabulary,
        depth,
        Arrays.copyOf(childStart, nodes + 1),
        Arrays.copyOf(childToken, edges),
        Arrays.copyOf(childNode, edges),
        Arrays.copyOf(leafEntry, nodes));
  }

  /** The vocabulary whose token ids this trie uses. */
  public TokenVocabulary vocabulary() {
    return vocabulary;
  }

  /** Length of every complete path: the format's tokens per ID. */
  public int depth() {
    return depth;
  }

  /** Number of nodes, the root included. */
  public int nodeCount() {
    return leafEntry.length;
  }

  /** The root node (the empty prefix). */
  public int root() {
    return 0;
  }

  /** The node reached from {@code node} by one token, or -1 when that token may not come next. */
  public int child(int node, int tokenId) {
    checkElementIndex(node, nodeCount(), "node");
    int i = Arrays.binarySearch(childToken, childStart[node], childStart[node + 1], tokenId);
    return i >= 0 ? childNode[i] : -1;
  }

  /** Number of tokens that may follow {@code node}'s prefix (0 at a complete ID). */
  public int allowedCount(int node) {
    checkElementIndex(node, nodeCount(), "node");
    return childStart[node + 1] - childStart[node];
  }

  /** The {@code i}-th (in token-id order) token id that may follow {@code node}'s prefix. */
  public int allowedTokenId(int node, int i) {
    checkElementIndex(i, allowedCount(node), "i");
    return childToken[childStart[node] + i];
  }

  /** The token ids that may follow {@code node}'s prefix, ascending (a copy). */
  public int[] allowedTokenIds(int node) {
    checkElementIndex(node, nodeCount(), "node");
    return Arrays.copyOfRange(childToken, childStart[node], childStart[node + 1]);
  }

  /**
   * The node of a prefix of token ids, or -1 when no indexed ID starts with it.
   *
   * @throws IllegalArgumentException when the prefix is longer than {@link #depth()} or holds an id
   *     outside the vocabulary
   */
  public int walk(int[] prefixTokenIds) {
    checkNotNull(prefixTokenIds, "prefixTokenIds");
    checkArgument(
        prefixTokenIds.length <= depth,
        "prefix of %s tokens is longer than an ID (%s tokens)",
        prefixTokenIds.length,
        depth);
    int node = 0;
    for (int t : prefixTokenIds) {
      checkElementIndex(t, vocabulary.size(), "token id");
      node = child(node, t);
      if (node < 0) {
        return -1;
      }
    }
    return node;
  }

  /**
   * The token ids that may follow a prefix of token ids, ascending; empty when no indexed ID starts
   * with the prefix or the prefix is already a complete ID.
   */
  public int[] allowedNextTokenIds(int[] prefixTokenIds) {
    int node = walk(prefixTokenIds);
    return node < 0 ? new int[0] : allowedTokenIds(node);
  }

  /**
   * The tokens that may follow a prefix, in token-id order; empty when no indexed ID starts with
   * the prefix or the prefix is already a complete ID.
   *
   * @throws IllegalArgumentException naming a prefix token that is not in the vocabulary
   */
  public ImmutableSet<String> allowedNextTokens(List<String> prefixTokens) {
    checkNotNull(prefixTokens, "prefixTokens");
    int[] ids = vocabulary.encode(prefixTokens);
    ImmutableSet.Builder<String> out = ImmutableSet.builder();
    for (int t : allowedNextTokenIds(ids)) {
      out.add(vocabulary.token(t));
    }
    return out.build();
  }

  /** Whether a node ends a complete, indexed ID. */
  public boolean isComplete(int node) {
    checkElementIndex(node, nodeCount(), "node");
    return leafEntry[node] >= 0;
  }

  /**
   * The position in {@link SemanticIdIndex#entries()} of the ID a complete node ends, or -1 for a
   * node that is not complete.
   */
  public int entryAt(int node) {
    checkElementIndex(node, nodeCount(), "node");
    return leafEntry[node];
  }

  @Override
  public String toString() {
    return "SidTrie[depth " + depth + ", " + nodeCount() + " nodes]";
  }
}
