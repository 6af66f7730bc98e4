package org.refinepoi.rl.djl;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.refinepoi.rl.io.StateFiles;

/**
 * The built-in generative policy network (docs/method.md section 3): a small decoder-only
 * Transformer over the token rendering of samples, trained from scratch with DJL's PyTorch engine.
 * Owns its native memory: close it when done.
 *
 * <p>Saved files carry a magic string, a format version, then one CRC32-checked block holding the
 * config and DJL's parameter encoding. {@link #load} refuses a corrupt or foreign file with a clear
 * message naming it: a checksum mismatch, a config that DJL's parameters do not fit (every
 * parameter's shape is checked against the config), or bytes after the model. Files of format
 * version 1 (the config before the checked block) are still read, with the same shape check. Not
 * thread-safe: one thread trains or decodes at a time.
 *
 * <p>Threads: DJL sizes PyTorch's intra-op pool to the cores; on a machine shared with other busy
 * processes, OpenMP threads spin against them and throughput can collapse (measured here, 2 cores
 * under load: SFT 7 times slower with 2 threads than with 1). Set {@code
 * -Dai.djl.pytorch.num_threads=1} (and {@code num_interop_threads}) before the engine starts in
 * that case.
 */
public final class TransformerPolicyModel implements AutoCloseable {

  private static final String MAGIC = "REFINE-POI-DJL-TRANSFORMER";

  /** Version 2: the config inside the checked block. Version 1 had it before the block. */
  private static final int FORMAT_VERSION = 2;

  private final TransformerConfig config;
  private final NDManager manager;
  private final DecoderBlock block;

  private TransformerPolicyModel(TransformerConfig config, NDManager manager, DecoderBlock block) {
    this.config = config;
    this.manager = manager;
    this.block = block;
  }

  /** A freshly initialized model (seeded by {@link TransformerConfig#seed()}). */
  public static TransformerPolicyModel create(TransformerConfig config) {
    checkNotNull(config, "config");
    NDManager manager = NDManager.newBaseManager();
    DecoderBlock block = new DecoderBlock(config);
    block.initialize(manager, DataType.FLOAT32, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1));
    return new TransformerPolicyModel(config, manager, block);
  }

  /** The model's shape. */
  public TransformerConfig config() {
    return config;
  }

  /** Number of trainable scalars. */
  public long parameterCount() {
    long n = 0;
    for (Parameter p : parameters()) {
      n += p.getArray().getShape().size();
    }
    return n;
  }

  List<Parameter> parameters() {
    return block.getParameters().values();
  }

  NDManager manager() {
    return manager;
  }

  /**
   * Logits {@code (B, T, V)} of a padded batch, optionally continuing from a cache (then the batch
   * holds only the new tokens and {@code keyMask} covers cached and new positions).
   */
  NDArray forward(NDArray tokens, NDArray positions, NDArray keyMask, KvCache cache) {
    return block.forward(tokens, positions, keyMask, cache);
  }

  /** Logits of the columns from {@code headFrom} on (see {@link DecoderBlock}). */
  NDArray forward(
      NDArray tokens, NDArray positions, NDArray keyMask, KvCache cache, long headFrom) {
    return block.forward(tokens, positions, keyMask, cache, headFrom);
  }

  /** Logits of a padded batch without a cache. */
  NDArray forward(PaddedBatch batch, NDManager m) {
    return forward(batch.tokenArray(m), batch.positionArray(m), batch.maskArray(m), null);
  }

  KvCache newCache() {
    return new KvCache(config.layers());
  }

  /**
   * The next-token log-probabilities after every prefix of one sequence: {@code [t][v]} is log p(v
   * | tokens[0..t]). For inspection and tests; decoding and training use batched paths.
   */
  public float[][] nextTokenLogProbs(int[] tokens) {
    checkNotNull(tokens, "tokens");
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      PaddedBatch batch =
          PaddedBatch.of(new int[][] {tokens}, false, config.maxLength(), config.vocabSize());
      NDArray logp = forward(batch, manager).logSoftmax(-1);
      float[] flat = logp.toFloatArray();
      int v = config.vocabSize();
      float[][] out = new float[tokens.length][v];
      for (int t = 0; t < tokens.length; t++) {
        System.arraycopy(flat, t * v, out[t], 0, v);
      }
      return out;
    }
  }

  /**
   * A deep copy with the same parameters; a frozen copy records no gradients (the GRPO reference).
   */
  public TransformerPolicyModel copy(boolean trainable) {
    byte[] bytes = parameterBytes();
    TransformerPolicyModel copy = fromParameterBytes(config, bytes, "an in-memory copy");
    copy.setTrainable(trainable);
    return copy;
  }

  /** Copies another model's parameters (same shape; the seed may differ) into this one. */
  public void copyParametersFrom(TransformerPolicyModel other) {
    checkArgument(
        sameShape(other.config, config), "model shapes differ: %s vs %s", other.config, config);
    List<Parameter> mine = parameters();
    List<Parameter> theirs = other.parameters();
    for (int i = 0; i < mine.size(); i++) {
      theirs.get(i).getArray().copyTo(mine.get(i).getArray());
    }
  }

  static boolean sameShape(TransformerConfig a, TransformerConfig b) {
    return a.vocabSize() == b.vocabSize()
        && a.dModel() == b.dModel()
        && a.layers() == b.layers()
        && a.heads() == b.heads()
        && a.mlpWidth() == b.mlpWidth()
        && a.maxLength() == b.maxLength()
        && a.tiedEmbeddings() == b.tiedEmbeddings();
  }

  /** Turns gradient recording on or off for every parameter. */
  public void setTrainable(boolean trainable) {
    for (Parameter p : parameters()) {
      p.freeze(!trainable);
    }
  }

  /** Writes the model atomically (temp file in the same directory, then an atomic move). */
  public void save(Path file) {
    checkNotNull(file, "file");
    try {
      StateFiles.replaceAtomically(file, this::writeTo);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model " + file, e);
    }
  }

  /**
   * Writes the model (magic, format version, then a CRC32-checked block of the config and DJL's
   * parameter encoding) to a stream, which is not closed.
   */
  public void writeTo(OutputStream stream) throws IOException {
    checkNotNull(stream, "stream");
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    DataOutputStream blockOut = new DataOutputStream(block);
    writeConfig(blockOut, config);
    blockOut.write(parameterBytes());
    blockOut.flush();
    StateFiles.writeFramed(stream, MAGIC, FORMAT_VERSION, block.toByteArray());
  }

  /**
   * Reads a model written by {@link #save}; parameters are trainable.
   *
   * @throws IllegalArgumentException when the file is not such a model, has a format version this
   *     build does not read, fails its checksum, has parameters that do not fit its config, or has
   *     bytes after the model (the message names the file)
   */
  public static TransformerPolicyModel load(Path file) {
    checkNotNull(file, "file");
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      return readFrom(in, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model " + file, e);
    }
  }

  /**
   * Reads a model written by {@link #writeTo}; {@code source} names the origin in error messages.
   * The model must end the stream: bytes after it are refused.
   *
   * @throws IllegalArgumentException when the data is not such a model, has a format version this
   *     build does not read, fails its checksum, has parameters that do not fit its config, or is
   *     followed by more bytes
   */
  public static TransformerPolicyModel readFrom(InputStream stream, String source)
      throws IOException {
    checkNotNull(stream, "stream");
    DataInputStream in = new DataInputStream(stream);
    String magic;
    try {
      magic = in.readUTF();
    } catch (IOException e) {
      throw new IllegalArgumentException(source + " is not a Refine-POI DJL model file", e);
    }
    checkArgument(MAGIC.equals(magic), "%s is not a Refine-POI DJL model file", source);
    int version;
    TransformerConfig config;
    byte[] params;
    try {
      version = in.readInt();
      checkArgument(
          version == 1 || version == FORMAT_VERSION,
          "%s has model format version %s, this build reads versions 1 and %s",
          source,
          version,
          FORMAT_VERSION);
      if (version == 1) {
        config = readConfig(in, source);
        params = StateFiles.readCheckedBlock(in, source + "'s parameter block");
      } else {
        byte[] block = StateFiles.readCheckedBlock(in, source + "'s model block");
        DataInputStream blockIn = new DataInputStream(new ByteArrayInputStream(block));
        config = readConfig(blockIn, source);
        params = blockIn.readAllBytes();
      }
    } catch (StateFiles.CorruptStateException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    } catch (EOFException e) {
      throw new IllegalArgumentException(source + " is truncated (the model ends early)", e);
    }
    if (in.read() != -1) {
      throw new IllegalArgumentException(
          source
              + " is corrupt: unexpected bytes after the model (format version "
              + version
              + ")");
    }
    return fromParameterBytes(config, params, source);
  }

  private byte[] parameterBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      block.saveParameters(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static TransformerPolicyModel fromParameterBytes(
      TransformerConfig config, byte[] bytes, String source) {
    NDManager manager = NDManager.newBaseManager();
    DecoderBlock block;
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      block = new DecoderBlock(config);
      // The shapes the config implies; loading replaces them with the file's.
      List<Shape> expected =
          block.getParameters().values().stream().map(Parameter::getShape).toList();
      block.loadParameters(manager, in);
      if (in.available() > 0) {
        throw new MalformedModelException(in.available() + " bytes after the last parameter");
      }
      List<Parameter> loaded = block.getParameters().values();
      for (int i = 0; i < loaded.size(); i++) {
        Shape actual = loaded.get(i).getArray().getShape();
        if (!actual.equals(expected.get(i))) {
          throw new MalformedModelException(
              "parameter %s has shape %s, the model's config %s needs %s"
                  .formatted(loaded.get(i).getName(), actual, config, expected.get(i)));
        }
      }
    } catch (IOException | MalformedModelException | RuntimeException e) {
      manager.close();
      throw new IllegalArgumentException(
          "cannot decode the parameters of " + source + ": " + e.getMessage(), e);
    }
    TransformerPolicyModel model = new TransformerPolicyModel(config, manager, block);
    model.setTrainable(true);
    return model;
  }

  private static void writeConfig(DataOutputStream out, TransformerConfig c) throws IOException {
    out.writeInt(c.vocabSize());
    out.writeInt(c.dModel());
    out.writeInt(c.layers());
    out.writeInt(c.heads());
    out.writeInt(c.mlpWidth());
    out.writeInt(c.maxLength());
    out.writeBoolean(c.tiedEmbeddings());
    out.writeLong(c.seed());
  }

  private static TransformerConfig readConfig(DataInputStream in, String source)
      throws IOException {
    int vocabSize = in.readInt();
    int dModel = in.readInt();
    int layers = in.readInt();
    int heads = in.readInt();
    int mlpWidth = in.readInt();
    int maxLength = in.readInt();
    boolean tied = in.readBoolean();
    long seed = in.readLong();
    try {
      return new TransformerConfig(
          vocabSize, dModel, layers, heads, mlpWidth, maxLength, tied, seed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + " is corrupt: its config " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    manager.close();
  }

  @Override
  public String toString() {
    return "TransformerPolicyModel" + config;
  }
}
