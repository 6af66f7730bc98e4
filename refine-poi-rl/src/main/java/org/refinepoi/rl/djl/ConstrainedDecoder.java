package org.refinepoi.rl.djl;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.refinepoi.core.prompt.PromptVocabulary;

/**
 * Decoding of ranked ID lists constrained by an {@link IdTrie} (METHOD section 5): only valid IDs,
 * never the same ID twice in a list. Two modes:
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
    checkNotNull(prompts, "prompts");
    checkArgument(prompts.length > 0, "no prompts");
    checkArgument(groupSize >= 1, "groupSize must be >= 1, got %s", groupSize);
    checkNotNull(config, "config");
    checkNotNull(random, "random");
    int maxNew = config.k() * trie.depth() + 1;
    int rows = prompts.length * groupSize;
    int vocab = model.config().vocabSize();
    ListConstraint[] lists = new ListConstraint[rows];
    List<List<Integer>> tokens = new ArrayList<>();
    List<List<Float>> logProbs = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      lists[r] = new ListConstraint(trie, config.k(), config.allowEarlyStop());
      tokens.add(new ArrayList<>());
      logProbs.add(new ArrayList<>());
    }
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDManager m = model.manager();
      PaddedBatch prefill = PaddedBatch.of(prompts, true, model.config().maxLength() - maxNew);
      KvCache cache = model.newCache();
      NDArray logits =
          model.forward(
              prefill.tokenArray(m), prefill.positionArray(m), prefill.maskArray(m), cache);
      float[] last =
          logits.get(new NDIndex(":, {}, :", prefill.width() - 1)).toFloatArray(); // (B, V)
      long[] fork = new long[rows];
      float[] stepLogits = new float[rows * vocab];
      for (int r = 0; r < rows; r++) {
        fork[r] = r / groupSize;
        System.arraycopy(last, (r / groupSize) * vocab, stepLogits, r * vocab, vocab);
      }
      cache.selectRows(m, fork);
      int width = prefill.width();
      float[][] keyMask = new float[rows][];
      for (int r = 0; r < rows; r++) {
        keyMask[r] =
            Arrays.copyOfRange(
                prefill.mask(), (r / groupSize) * width, (r / groupSize + 1) * width);
      }
      for (int step = 0; step < maxNew; step++) {
        long[] next = new long[rows];
        long[] pos = new long[rows];
        boolean any = false;
        for (int r = 0; r < rows; r++) {
          boolean active = !lists[r].finished();
          if (active) {
            int[] allowed = lists[r].allowedTokens();
            float[] lp = constrainedLogProbs(stepLogits, r * vocab, allowed, config.temperature());
            int choice = drawNucleus(lp, config.topP(), random);
            int token = allowed[choice];
            lists[r].advance(token);
            tokens.get(r).add(token);
            logProbs.get(r).add(lp[choice]);
            next[r] = token;
            any |= !lists[r].finished();
          } else {
            next[r] = PromptVocabulary.PAD;
          }
          pos[r] = prompts[r / groupSize].length + tokens.get(r).size() - 1;
          keyMask[r] = Arrays.copyOf(keyMask[r], keyMask[r].length + 1);
          keyMask[r][keyMask[r].length - 1] = active ? 1f : 0f;
        }
        if (!any) {
          break;
        }
        float[] flatMask = flatten(keyMask);
        NDArray stepOut =
            model.forward(
                m.create(next, new Shape(rows, 1)),
                m.create(pos, new Shape(rows, 1)),
                m.create(flatMask, new Shape(rows, keyMask[0].length)),
                cache);
        stepLogits = stepOut.toFloatArray();
      }
    }
    List<List<GeneratedList>> out = new ArrayList<>();
    for (int p = 0; p < prompts.length; p++) {
      List<GeneratedList> group = new ArrayList<>();
      for (int g = 0; g < groupSize; g++) {
        int r = p * groupSize + g;
        group.add(
            new GeneratedList(
                tokens.get(r).stream().mapToInt(Integer::intValue).toArray(),
                toFloatArray(logProbs.get(r)),
                lists[r].pois()));
      }
      out.add(group);
    }
    return out;
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
      PaddedBatch prefill = PaddedBatch.of(prompts, true, model.config().maxLength() - depth);
      KvCache cache = model.newCache();
      NDArray logits =
          model.forward(
              prefill.tokenArray(m), prefill.positionArray(m), prefill.maskArray(m), cache);
      float[] logp =
          logits.get(new NDIndex(":, {}, :", prefill.width() - 1)).logSoftmax(-1).toFloatArray();
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
        List<Beam> expanded = new ArrayList<>();
        for (int r = 0; r < rowBeam.size(); r++) {
          Beam b = rowBeam.get(r);
          int[] toks = trie.childTokensView(b.node);
          int[] nodes = trie.childNodesView(b.node);
          for (int i = 0; i < toks.length; i++) {
            expanded.add(
                new Beam(b.prompt, nodes[i], b.score + logp[r * vocab + toks[i]], r, toks[i]));
          }
        }
        List<Beam> kept = new ArrayList<>();
        for (int p = 0; p < prompts.length; p++) {
          final int prompt = p;
          expanded.stream()
              .filter(b -> b.prompt == prompt)
              .sorted(
                  Comparator.comparingDouble((Beam b) -> -b.score).thenComparingInt(b -> b.node))
              .limit(width)
              .forEach(kept::add);
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

  /** A partial ID of one prompt: trie node, cumulative log-probability, where it came from. */
  private record Beam(int prompt, int node, double score, int sourceRow, int token) {}

  /** Log-probabilities over the allowed tokens of {@code logits[offset..]} at a temperature. */
  static float[] constrainedLogProbs(
      float[] logits, int offset, int[] allowed, double temperature) {
    float[] z = new float[allowed.length];
    float max = NEG_INF;
    for (int i = 0; i < allowed.length; i++) {
      z[i] = (float) (logits[offset + allowed[i]] / temperature);
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

  /** Draws an index from log-probabilities restricted to the smallest set of mass >= topP. */
  static int drawNucleus(float[] logProbs, double topP, SplittableRandom random) {
    int n = logProbs.length;
    if (n == 1) {
      return 0;
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
