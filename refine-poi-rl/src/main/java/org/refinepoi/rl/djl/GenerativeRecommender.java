package org.refinepoi.rl.djl;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.List;
import org.refinepoi.core.eval.Recommender;
import org.refinepoi.core.prompt.SampleTokenizer;
import org.refinepoi.core.protocol.Sample;

/**
 * The generative policy as a {@link Recommender}. Two ways to rank, chosen at construction:
 *
 * <ul>
 *   <li>{@link Decoding#BEAM}: beam search over the ID trie for one ID, the k most likely complete
 *       IDs as the ranking (the standard generative-retrieval top-k; what an SFT model is evaluated
 *       with);
 *   <li>{@link Decoding#GREEDY_LIST}: the greedy list of k distinct IDs, written the way rollouts
 *       are (what a policy trained on whole lists by GRPO is evaluated with).
 * </ul>
 *
 * Calls are serialized (the network is not thread-safe); {@link #recommendAll} batches prompts for
 * speed.
 */
public final class GenerativeRecommender implements Recommender {

  /** How a ranking is decoded. */
  public enum Decoding {
    /** Beam search for one ID; the k best complete IDs by log-probability. */
    BEAM,
    /** One greedy list of k distinct IDs. */
    GREEDY_LIST
  }

  /** Default beam width (raised to k when smaller). */
  public static final int DEFAULT_BEAM_WIDTH = 20;

  private final String name;
  private final ConstrainedDecoder decoder;
  private final SampleTokenizer tokenizer;
  private final int beamWidth;
  private final Decoding decoding;

  /** A beam-search recommender (see {@link Decoding#BEAM}). */
  public GenerativeRecommender(
      String name, ConstrainedDecoder decoder, SampleTokenizer tokenizer, int beamWidth) {
    this(name, decoder, tokenizer, Decoding.BEAM, beamWidth);
  }

  /**
   * A recommender.
   *
   * @param name the name for tables, for example {@code "SFT"}
   * @param decoder the network and trie
   * @param tokenizer renders samples (its vocabulary must match the trie's)
   * @param decoding beam search or greedy list
   * @param beamWidth beams per step for beam search (raised to k when smaller)
   */
  public GenerativeRecommender(
      String name,
      ConstrainedDecoder decoder,
      SampleTokenizer tokenizer,
      Decoding decoding,
      int beamWidth) {
    this.decoding = checkNotNull(decoding, "decoding");
    this.name = checkNotNull(name, "name");
    this.decoder = checkNotNull(decoder, "decoder");
    this.tokenizer = checkNotNull(tokenizer, "tokenizer");
    checkArgument(beamWidth >= 1, "beamWidth must be >= 1, got %s", beamWidth);
    checkArgument(
        tokenizer.vocabulary().equals(decoder.trie().vocabulary()),
        "the tokenizer's vocabulary differs from the trie's");
    this.beamWidth = beamWidth;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized int[] recommend(Sample sample, int k) {
    checkNotNull(sample, "sample");
    return recommendAll(List.of(sample), k, 1).getFirst();
  }

  /**
   * Top-k POIs for many samples, {@code batchSize} prompts per beam search.
   *
   * @return one ranking per sample, in order
   */
  public synchronized List<int[]> recommendAll(List<Sample> samples, int k, int batchSize) {
    checkNotNull(samples, "samples");
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    checkArgument(batchSize >= 1, "batchSize must be >= 1, got %s", batchSize);
    List<int[]> out = new ArrayList<>(samples.size());
    for (int from = 0; from < samples.size(); from += batchSize) {
      List<Sample> chunk = samples.subList(from, Math.min(samples.size(), from + batchSize));
      int[][] prompts = new int[chunk.size()][];
      for (int i = 0; i < prompts.length; i++) {
        prompts[i] = tokenizer.prompt(chunk.get(i));
      }
      if (decoding == Decoding.GREEDY_LIST) {
        out.addAll(decoder.greedyLists(prompts, k));
      } else {
        for (List<ScoredPoi> ranked : decoder.beamSearch(prompts, k, beamWidth)) {
          out.add(ranked.stream().mapToInt(ScoredPoi::poi).toArray());
        }
      }
    }
    return out;
  }
}
