package org.refinepoi.rl.djl;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static com.google.common.base.Preconditions.checkState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.refinepoi.core.prompt.PromptVocabulary;

/**
 * The state of one ranked list being written token by token under the ID trie: which tokens are
 * allowed next so that every item is a valid ID, no ID is listed twice, and the list ends with EOS
 * after {@code k} IDs (or earlier when the catalogue runs out, or when early stopping is allowed).
 *
 * <p>A subtree whose IDs are all listed already is closed, so the walk never reaches a dead end.
 * Not thread-safe; one per generated list.
 */
public final class ListConstraint {

  private final IdTrie trie;
  private final int k;
  private final boolean allowEarlyStop;
  private final int[] used;
  private final int[] path;
  private final List<Integer> pois = new ArrayList<>();
  private int node;
  private int depth;
  private boolean finished;

  /**
   * A fresh list.
   *
   * @param trie the valid IDs
   * @param k the number of IDs to write before EOS (fewer if the catalogue has fewer)
   * @param allowEarlyStop whether EOS may also follow any complete ID before the k-th
   */
  public ListConstraint(IdTrie trie, int k, boolean allowEarlyStop) {
    this.trie = checkNotNull(trie, "trie");
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    this.k = k;
    this.allowEarlyStop = allowEarlyStop;
    this.used = new int[trie.nodeCount()];
    this.path = new int[trie.depth() + 1];
  }

  /** Whether EOS has been written. */
  public boolean finished() {
    return finished;
  }

  /** The POIs listed so far, in order. */
  public int[] pois() {
    return pois.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Number of complete IDs written. */
  public int listed() {
    return pois.size();
  }

  /** The trie node the next token continues from (0 at an ID boundary). */
  public int node() {
    return node;
  }

  /** The tokens allowed next, ascending (EOS first when allowed); empty once finished. */
  public int[] allowedTokens() {
    if (finished) {
      return new int[0];
    }
    if (depth == 0 && (pois.size() >= k || remaining(0) == 0)) {
      return new int[] {PromptVocabulary.EOS};
    }
    int[] tokens = trie.childTokensView(node);
    int[] nodes = trie.childNodesView(node);
    boolean eos = depth == 0 && allowEarlyStop && !pois.isEmpty();
    int[] out = new int[tokens.length + (eos ? 1 : 0)];
    int n = 0;
    if (eos) {
      out[n++] = PromptVocabulary.EOS;
    }
    for (int i = 0; i < tokens.length; i++) {
      if (remaining(nodes[i]) > 0) {
        out[n++] = tokens[i];
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /** Whether a token is allowed next. */
  public boolean allows(int token) {
    for (int t : allowedTokens()) {
      if (t == token) {
        return true;
      }
    }
    return false;
  }

  /**
   * Writes a token.
   *
   * @throws IllegalArgumentException when the token is not allowed here
   */
  public void advance(int token) {
    checkState(!finished, "the list is finished");
    checkArgument(allows(token), "token %s is not allowed here", token);
    if (token == PromptVocabulary.EOS) {
      finished = true;
      return;
    }
    node = trie.child(node, token);
    depth++;
    path[depth] = node;
    if (depth == trie.depth()) {
      for (int d = 1; d <= depth; d++) {
        used[path[d]]++;
      }
      used[0]++;
      pois.add(trie.poiAt(node));
      node = 0;
      depth = 0;
    }
  }

  private int remaining(int n) {
    return trie.leafCount(n) - used[n];
  }
}
