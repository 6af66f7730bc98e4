package org.refinepoi.rl.djl;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * The shape of the built-in decoder-only Transformer. Defaults: {@code dModel = 128}, 2 layers, 4
 * heads, MLP width {@code 4 * dModel}, 256 positions, tied input/output embeddings, seed 42.
 *
 * @param vocabSize number of tokens (the {@code PromptVocabulary} size), at least 2
 * @param dModel width of the residual stream, divisible by {@code heads}
 * @param layers number of pre-LN blocks (causal self-attention + MLP), at least 1
 * @param heads number of attention heads
 * @param mlpWidth hidden width of each block's MLP
 * @param maxLength number of learned positions: the longest prompt plus answer
 * @param tiedEmbeddings whether the output head reuses the token embedding matrix
 * @param seed seed of the parameter initialization
 */
public record TransformerConfig(
    int vocabSize,
    int dModel,
    int layers,
    int heads,
    int mlpWidth,
    int maxLength,
    boolean tiedEmbeddings,
    long seed) {

  /** Validates the sizes. */
  public TransformerConfig {
    checkArgument(vocabSize >= 2, "vocabSize must be >= 2, got %s", vocabSize);
    checkArgument(dModel >= 1, "dModel must be >= 1, got %s", dModel);
    checkArgument(layers >= 1, "layers must be >= 1, got %s", layers);
    checkArgument(heads >= 1, "heads must be >= 1, got %s", heads);
    checkArgument(dModel % heads == 0, "dModel %s is not divisible by the %s heads", dModel, heads);
    checkArgument(mlpWidth >= 1, "mlpWidth must be >= 1, got %s", mlpWidth);
    checkArgument(maxLength >= 2, "maxLength must be >= 2, got %s", maxLength);
  }

  /** A builder for a vocabulary size and maximum length, with the documented defaults. */
  public static Builder builder(int vocabSize, int maxLength) {
    return new Builder(vocabSize, maxLength);
  }

  /** Width of one attention head. */
  public int headDim() {
    return dModel / heads;
  }

  /** Builder of a {@link TransformerConfig}; see the record for the defaults. */
  public static final class Builder {
    private final int vocabSize;
    private final int maxLength;
    private int dModel = 128;
    private int layers = 2;
    private int heads = 4;
    private int mlpWidth = -1;
    private boolean tied = true;
    private long seed = 42;

    private Builder(int vocabSize, int maxLength) {
      this.vocabSize = vocabSize;
      this.maxLength = maxLength;
    }

    /** Residual width (default 128). */
    public Builder dModel(int dModel) {
      this.dModel = dModel;
      return this;
    }

    /** Number of blocks (default 2). */
    public Builder layers(int layers) {
      this.layers = layers;
      return this;
    }

    /** Number of attention heads (default 4). */
    public Builder heads(int heads) {
      this.heads = heads;
      return this;
    }

    /** MLP hidden width (default 4 * dModel). */
    public Builder mlpWidth(int mlpWidth) {
      this.mlpWidth = mlpWidth;
      return this;
    }

    /** Whether the output head reuses the token embeddings (default true). */
    public Builder tiedEmbeddings(boolean tied) {
      this.tied = tied;
      return this;
    }

    /** Initialization seed (default 42). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Builds and validates the config. */
    public TransformerConfig build() {
      return new TransformerConfig(
          vocabSize,
          dModel,
          layers,
          heads,
          mlpWidth > 0 ? mlpWidth : 4 * dModel,
          maxLength,
          tied,
          seed);
    }
  }
}
