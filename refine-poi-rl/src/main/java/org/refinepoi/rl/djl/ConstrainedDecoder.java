package org.refinepoi.rl.djl;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.refinepoi.core.prompt.PromptVocabulary;

/**
 * Decoding of ranked ID lists constrained by an {@link IdTrie} (docs/method.md section 3): only
 * valid IDs, never the same ID twice in a list. Two modes:
 *
 * <ul>
 *   <li>{@link #sample}: rollouts for GRPO, a group of whole top-k lists per prompt with
 *       temperature and top-p, and the per-token log-probabilities of the constrained policy;
 *   <li>{@link #beamSearch}: the SFT model's top-k, the standard generative-retrieval recipe: a
 *       beam over the trie for ONE ID, returning the k complete IDs of highest log p(ID | prompt).
 * </ul>
 *
 * Both run incrementally with a key/value cache. Stateless; calls on one model must not overlap.
 */
public final class ConstrainedDecoder {

  private static final float NEG_INF = Float.NEGATIVE_INFINITY;

  private final TransformerPolicyModel model;
  private final IdTrie trie;

  /** A decoder for a model and the trie of its valid IDs (same vocabulary). */
  public ConstrainedDecoder(TransformerPolicyModel model, IdTrie trie) {
    this.model = checkNotNull(model, "model");
    this.trie = checkNotNull(trie, "trie");
    checkArgument(
        trie.vocabulary().size() == model.config().vocabSize(),
        "the trie's vocabulary has %s tokens, the model %s",
        trie.vocabulary().size(),
        model.config().vocabSize());
  }

  /** The trie of valid IDs. */
  public IdTrie trie() {
    return trie;
  }

  /**
   * Samples {@code groupSize} lists per prompt.
   *
   * @param prompts token prompts (ending with the ANSWER token)
   * @param groupSize lists per prompt, at least 1
   * @param config list length, temperature, top-p
   * @param random the source of randomness (seed it for reproducible rollouts)
   * @return per prompt, its group of lists
   */
  public List<List<GeneratedList>> sample(
      int[][] prompts, int groupSize, SamplingConfig config, SplittableRandom random) {
    checkNotNull(config, "config");
    TrieConstraint constraint = new TrieConstraint(trie, config.k(), config.allowEarlyStop());
    List<RowResult> rows =
        sampleRows(
            prompts,
            groupSize,
            config.temperature(),
            config.topP(),
            config.k() * trie.depth() + 1,
            p -> new ListRow(constraint.newList()),
            random);
    List<List<GeneratedList>> out = new ArrayList<>();
    for (int p = 0; p < prompts.length; p++) {
      List<GeneratedList> group = new ArrayList<>();
      for (int g = 0; g < groupSize; g++) {
        RowResult r = rows.get(p * groupSize + g);
        group.add(new GeneratedList(r.tokens, r.logProbs, ((ListRow) r.state).list.pois()));
      }
      out.add(group);
    }
    return out;
  }

  /**
   * The greedy list of {@code k} distinct valid IDs for each prompt: at every step the most likely
   * allowed token. This is how a policy trained on whole lists (GRPO) writes its ranking.
   *
   * @return per prompt, the listed POIs in order
   */
  public List<int[]> greedyLists(int[][] prompts, int k) {
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    TrieConstraint constraint = new TrieConstraint(trie, k, false);
    List<RowResult> rows =
        sampleRows(
            prompts,
            1,
            1.0,
            0.0,
            k * trie.depth() + 1,
            p -> new ListRow(constraint.newList()),
            new SplittableRandom(0));
    List<int[]> out = new ArrayList<>(rows.size());
    for (RowResult r : rows) {
      out.add(((ListRow) r.state).list.pois());
    }
    return out;
  }

  /** The per-row decoding state: which tokens may come next. */
  interface RowState {
    /** Allowed next tokens, ascending; {@code null} for every token; empty to stop. */
    int[] allowed();

    /** Records the sampled token. */
    void advance(int token);
  }

  /** A row constrained by a {@link ListConstraint}. */
  record ListRow(ListConstraint list) implements RowState {
    @Override
    public int[] allowed() {
      return list.allowedTokens();
    }

    @Override
    public void advance(int token) {
      list.advance(token);
    }
  }

  /** One sampled row: tokens, log-probabilities and entropies of the sampling distribution. */
  record RowResult(
      int[] tokens, float[] logProbs, float[] entropies, boolean truncated, RowState state) {}

  /**
   * Runs the prompts through the model once, filling {@code cache}, and returns the logits at the
   * last prompt position of every row (left-padded, so that is column {@code width - 1}).
   */
  private NDArray prefill(NDManager m, PaddedBatch prompts, KvCache cache) {
    return model.forward(
        prompts.tokenArray(m),
        prompts.positionArray(m),
        prompts.maskArray(m),
        cache,
        prompts.width() - 1);
  }

  /**
   * The sampling loop shared by {@link #sample} and the {@code Policy} implementation. A row stops
   * after emitting EOS, when its state allows nothing (no token emitted), or after {@code
   * maxTokens} tokens (truncated).
   */
  List<RowResult> sampleRows(
      int[][] prompts,
      int groupSize,
      double temperature,
      double topP,
      int maxTokens,
      java.util.function.IntFunction<RowState> stateForPrompt,
      SplittableRandom random) {
    checkNotNull(prompts, "prompts");
    checkArgument(prompts.length > 0, "no prompts");
    checkArgument(groupSize >= 1, "groupSize must be >= 1, got %s", groupSize);
    checkArgument(maxTokens >= 1, "maxTokens must be >= 1, got %s", maxTokens);
    checkNotNull(random, "random");
    int maxLength = model.config().maxLength();
    for (int p = 0; p < prompts.length; p++) {
      checkNotNull(prompts[p], "prompt %s is null", p);
      checkArgument(
          prompts[p].length + maxTokens <= maxLength,
          "prompt %s has %s tokens; with up to %s new tokens that exceeds the model's %s positions",
          p,
          prompts[p].length,
          maxTokens,
          maxLength);
    }
    int rows = prompts.length * groupSize;
    int vocab = model.config().vocabSize();
    RowState[] states = new RowState[rows];
    boolean[] done = new boolean[rows];
    List<List<Integer>> tokens = new ArrayList<>();
    List<List<Float>> logProbs = new ArrayList<>();
    List<List<Float>> entropies = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      states[r] = stateForPrompt.apply(r / groupSize);
      tokens.add(new ArrayList<>());
      logProbs.add(new ArrayList<>());
      entropies.add(new ArrayList<>());
    }
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDManager m = model.manager();
      PaddedBatch prefill = PaddedBatch.of(prompts, true, maxLength, vocab);
      KvCache cache = model.newCache();
      NDArray logits = prefill(m, prefill, cache);
      float[] last = logits.toFloatArray();
      long[] fork = new long[rows];
      float[] stepLogits = new float[rows * vocab];
      int width = prefill.width();
      float[][] keyMask = new float[rows][];
      for (int r = 0; r < rows; r++) {
        int p = r / groupSize;
        fork[r] = p;
        System.arraycopy(last, p * vocab, stepLogits, r * vocab, vocab);
        keyMask[r] = Arrays.copyOfRange(prefill.mask(), p * width, (p + 1) * width);
      }
      if (groupSize > 1) {
        cache.selectRows(m, fork);
      }
      for (int step = 0; step < maxTokens; step++) {
        long[] next = new long[rows];
        long[] pos = new long[rows];
        boolean any = false;
        for (int r = 0; r < rows; r++) {
          boolean active = !done[r];
          if (active) {
            int[] allowed = states[r].allowed();
            if (allowed != null && allowed.length == 0) {
              done[r] = true;
              active = false;
            } else {
              float[] lp = constrainedLogProbs(stepLogits, r * vocab, allowed, vocab, temperature);
              int choice = drawNucleus(lp, topP, random);
              int token = allowed == null ? choice : allowed[choice];
              states[r].advance(token);
              tokens.get(r).add(token);
              logProbs.get(r).add(lp[choice]);
              entropies.get(r).add(entropy(lp));
              next[r] = token;
              done[r] = token == PromptVocabulary.EOS || tokens.get(r).size() >= maxTokens;
              any |= !done[r];
            }
          }
          if (!active) {
            next[r] = PromptVocabulary.PAD;
          }
          pos[r] = Math.max(0, prompts[r / groupSize].length + tokens.get(r).size() - 1);
          keyMask[r] = Arrays.copyOf(keyMask[r], keyMask[r].length + 1);
          keyMask[r][keyMask[r].length - 1] = active ? 1f : 0f;
        }
        if (!any) {
          break;
        }
        NDArray stepOut =
            model.forward(
                m.create(next, new Shape(rows, 1)),
                m.create(pos, new Shape(rows, 1)),
                m.create(flatten(keyMask), new Shape(rows, keyMask[0].length)),
                cache);
        stepLogits = stepOut.toFloatArray();
      }
    }
    List<RowResult> out = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      List<Integer> t = tokens.get(r);
      boolean truncated = t.size() >= maxTokens && t.getLast() != PromptVocabulary.EOS;
      out.add(
          new RowResult(
              t.stream().mapToInt(Integer::intValue).toArray(),
              toFloatArray(logProbs.get(r)),
              toFloatArray(entropies.get(r)),
              truncated,
              states[r]));
    }
    return out;
  }

  private static float entropy(float[] logProbs) {
    double h = 0;
    for (float lp : logProbs) {
      h -= Math.exp(lp) * lp;
    }
    return (float) Math.max(0, h);
  }

  /**
   * The k most likely complete IDs for each prompt by beam search over the trie (one ID, not a
   * list), best first. Scores are log p(ID | prompt) under the unconstrained softmax (the trie only
   * prunes), so they are comparable across branches.
   *
   * @param prompts token prompts (ending with the ANSWER token)
   * @param k IDs to return per prompt (fewer when the catalogue has fewer)
   * @param beamWidth beams kept per step; raised to k when smaller
   */
  public List<List<ScoredPoi>> beamSearch(int[][] prompts, int k, int beamWidth) {
    checkNotNull(prompts, "prompts");
    checkArgument(prompts.length > 0, "no prompts");
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    checkArgument(beamWidth >= 1, "beamWidth must be >= 1, got %s", beamWidth);
    int width = Math.max(k, beamWidth);
    int vocab = model.config().vocabSize();
    int depth = trie.depth();
    List<List<Beam>> beams = new ArrayList<>();
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDManager m = model.manager();
      PaddedBatch prefill =
          PaddedBatch.of(prompts, true, model.config().maxLength() - depth, vocab);
      KvCache cache = model.newCache();
      NDArray logits = prefill(m, prefill, cache);
      float[] logp = logits.logSoftmax(-1).toFloatArray();
      // Row r of the current step's log-probabilities belongs to beam rowBeam[r].
      List<Beam> rowBeam = new ArrayList<>();
      for (int p = 0; p < prompts.length; p++) {
        rowBeam.add(new Beam(p, 0, 0.0, p, -1));
        beams.add(new ArrayList<>());
      }
      float[][] keyMask = new float[prompts.length][];
      for (int p = 0; p < prompts.length; p++) {
        keyMask[p] =
            Arrays.copyOfRange(prefill.mask(), p * prefill.width(), (p + 1) * prefill.width());
      }
      for (int step = 0; step < depth; step++) {
        List<List<Beam>> expanded = new ArrayList<>(prompts.length);
        for (int p = 0; p < prompts.length; p++) {
          expanded.add(new ArrayList<>());
        }
        for (int r = 0; r < rowBeam.size(); r++) {
          Beam b = rowBeam.get(r);
          int[] toks = trie.childTokensView(b.node);
          int[] nodes = trie.childNodesView(b.node);
          for (int i = 0; i < toks.length; i++) {
            expanded
                .get(b.prompt)
                .add(new Beam(b.prompt, nodes[i], b.score + logp[r * vocab + toks[i]], r, toks[i]));
          }
        }
        List<Beam> kept = new ArrayList<>();
        for (List<Beam> candidates : expanded) {
          candidates.sort(BEST_FIRST);
          kept.addAll(candidates.subList(0, Math.min(width, candidates.size())));
        }
        if (step == depth - 1) {
          for (Beam b : kept) {
            beams.get(b.prompt).add(b);
          }
          break;
        }
        long[] source = new long[kept.size()];
        long[] next = new long[kept.size()];
        long[] pos = new long[kept.size()];
        float[][] newMask = new float[kept.size()][];
        for (int i = 0; i < kept.size(); i++) {
          Beam b = kept.get(i);
          source[i] = b.sourceRow;
          next[i] = b.token;
          pos[i] = prompts[b.prompt].length + step;
          float[] old = keyMask[b.sourceRow];
          newMask[i] = Arrays.copyOf(old, old.length + 1);
          newMask[i][old.length] = 1f;
        }
        cache.selectRows(m, source);
        keyMask = newMask;
        NDArray out =
            model.forward(
                m.create(next, new Shape(kept.size(), 1)),
                m.create(pos, new Shape(kept.size(), 1)),
                m.create(flatten(keyMask), new Shape(kept.size(), keyMask[0].length)),
                cache);
        logp = out.logSoftmax(-1).toFloatArray();
        rowBeam = kept;
      }
    }
    List<List<ScoredPoi>> results = new ArrayList<>();
    for (List<Beam> list : beams) {
      results.add(
          list.stream().limit(k).map(b -> new ScoredPoi(trie.poiAt(b.node), b.score)).toList());
    }
    return results;
  }

  /** Higher score first; ties by trie node, so results are deterministic. */
  private static final Comparator<Beam> BEST_FIRST =
      Comparator.comparingDouble((Beam b) -> -b.score).thenComparingInt(b -> b.node);

  /** A partial ID of one prompt: trie node, cumulative log-probability, where it came from. */
  private record Beam(int prompt, int node, double score, int sourceRow, int token) {}

  /** Log-probabilities over the allowed tokens of {@code logits[offset..]} at a temperature. */
  static float[] constrainedLogProbs(
      float[] logits, int offset, int[] allowed, double temperature) {
    return constrainedLogProbs(logits, offset, allowed, allowed.length, temperature);
  }

  /**
   * Log-probabilities over the allowed tokens ({@code null}: the first {@code vocab} tokens) of
   * {@code logits[offset..]} at a temperature.
   */
  static float[] constrainedLogProbs(
      float[] logits, int offset, int[] allowed, int vocab, double temperature) {
    int n = allowed == null ? vocab : allowed.length;
    float[] z = new float[n];
    float max = NEG_INF;
    for (int i = 0; i < n; i++) {
      z[i] = (float) (logits[offset + (allowed == null ? i : allowed[i])] / temperature);
      max = Math.max(max, z[i]);
    }
    double sum = 0;
    for (float v : z) {
      sum += Math.exp(v - max);
    }
    float lse = (float) (max + Math.log(sum));
    for (int i = 0; i < z.length; i++) {
      z[i] -= lse;
    }
    return z;
  }

  /**
   * Draws an index from log-probabilities restricted to the smallest set of mass >= topP; {@code
   * topP <= 0} means greedy (the most likely index, the lowest on ties).
   */
  static int drawNucleus(float[] logProbs, double topP, SplittableRandom random) {
    int n = logProbs.length;
    if (n == 1) {
      return 0;
    }
    if (topP <= 0) {
      int best = 0;
      for (int i = 1; i < n; i++) {
        if (logProbs[i] > logProbs[best]) {
          best = i;
        }
      }
      return best;
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Float.compare(logProbs[b], logProbs[a]));
    double[] probs = new double[n];
    double mass = 0;
    int keep = 0;
    while (keep < n && (keep == 0 || mass < topP)) {
      probs[keep] = Math.exp(logProbs[order[keep]]);
      mass += probs[keep];
      keep++;
    }
    double u = random.nextDouble() * mass;
    double acc = 0;
    for (int i = 0; i < keep; i++) {
      acc += probs[i];
      if (u < acc) {
        return order[i];
      }
    }
    return order[keep - 1];
  }

  private static float[] flatten(float[][] rows) {
    int w = rows[0].length;
    float[] flat = new float[rows.length * w];
    for (int r = 0; r < rows.length; r++) {
      System.arraycopy(rows[r], 0, flat, r * w, w);
    }
    return flat;
  }

  private static float[] toFloatArray(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
