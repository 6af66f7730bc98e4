package org.refinepoi.examples.interop;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.refinepoi.core.io.AtomicFiles;
import org.refinepoi.core.io.FileFormatException;

/**
 * The {@code manifest.json} of an export ({@link TrainingDataExporter}): the format and its
 * version, the export's settings, and the SHA-256 (and line count) of every file the export wrote.
 * It is written last, after every other file is in place, so it describes a complete export; a
 * kill, a full disk or a second export into the same folder leaves files whose checksums differ
 * from it, which {@link #verify} detects. {@code refine-poi score} verifies the index and samples
 * files it reads against the manifest of their folder. Immutable.
 */
public final class ExportManifest {

  /** The manifest's file name in an export folder. */
  public static final String FILE = "manifest.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Two-space indents and {@code \n} line breaks on every platform, so the bytes are stable. */
  private static final DefaultPrettyPrinter PRETTY =
      new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));

  /**
   * What the manifest says of one file.
   *
   * @param sha256 the lower-case hex SHA-256 of the file's bytes
   * @param lines the file's line count, for the JSONL files
   */
  public record Entry(String sha256, OptionalLong lines) {

    /** Checks the fields. */
    public Entry {
      checkNotNull(sha256, "sha256");
      checkNotNull(lines, "lines");
    }
  }

  private final ObjectNode json;
  private final Map<String, Entry> files;

  private ExportManifest(ObjectNode json, Map<String, Entry> files) {
    this.json = json;
    this.files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
  }

  /**
   * A manifest from its JSON object, whose {@code files} object lists each file's {@code sha256}
   * and, optionally, {@code lines}.
   *
   * @throws IllegalArgumentException when the object lacks the format, its version or the files
   */
  static ExportManifest of(ObjectNode json) {
    checkNotNull(json, "json");
    checkArgument(
        TrainingDataExporter.FORMAT.equals(json.path("format").asText()),
        "format is not %s",
        TrainingDataExporter.FORMAT);
    checkArgument(json.path("format_version").isInt(), "no integer format_version");
    JsonNode filesNode = json.get("files");
    checkArgument(filesNode != null && filesNode.isObject(), "no files object");
    Map<String, Entry> files = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> f : filesNode.properties()) {
      JsonNode sha = f.getValue().get("sha256");
      JsonNode lines = f.getValue().get("lines");
      checkArgument(
          sha != null && sha.isTextual() && sha.asText().matches("[0-9a-f]{64}"),
          "file %s has no valid sha256",
          f.getKey());
      checkArgument(
          lines == null || lines.canConvertToLong(), "file %s has a bad line count", f.getKey());
      files.put(
          f.getKey(),
          new Entry(
              sha.asText(),
              lines == null ? OptionalLong.empty() : OptionalLong.of(lines.asLong())));
    }
    return new ExportManifest(json.deepCopy(), files);
  }

  /**
   * Reads a manifest.
   *
   * @throws FileFormatException naming the file when it is not an export manifest
   * @throws IOException when it cannot be read
   */
  public static ExportManifest read(Path file) throws IOException {
    checkNotNull(file, "file");
    JsonNode node;
    try {
      // Decoded here, strictly: Jackson would guess the encoding from the first bytes.
      String text =
          UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
      node = JSON.readTree(text);
    } catch (CharacterCodingException e) {
      throw new FileFormatException(file + ": not an export manifest (not UTF-8 text)", e);
    } catch (JsonProcessingException e) {
      throw new FileFormatException(
          file + ": not an export manifest (not valid JSON: " + e.getOriginalMessage() + ")", e);
    }
    if (node == null || !node.isObject()) {
      throw new FileFormatException(file + ": not an export manifest (not a JSON object)");
    }
    try {
      ExportManifest manifest = of((ObjectNode) node);
      if (manifest.formatVersion() > TrainingDataExporter.FORMAT_VERSION) {
        throw new FileFormatException(
            "%s: export format version %d is newer than this library reads (%d)"
                .formatted(file, manifest.formatVersion(), TrainingDataExporter.FORMAT_VERSION));
      }
      return manifest;
    } catch (IllegalArgumentException e) {
      throw new FileFormatException(file + ": not an export manifest: " + e.getMessage(), e);
    }
  }

  /** The manifest of a folder, or empty when the folder has none. */
  public static Optional<ExportManifest> find(Path dir) throws IOException {
    try {
      return Optional.of(read(dir.resolve(FILE)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /**
   * Checks files that were written by an export against the manifest of their folder: each must be
   * listed there with its current SHA-256. A file whose folder has no manifest is not checked.
   *
   * @throws FileFormatException naming the file and the manifest when a file is not listed or its
   *     bytes differ (an interrupted or mixed export)
   * @throws IOException when a file or a manifest cannot be read
   */
  public static void verifyAgainstTheirExport(Path... exportFiles) throws IOException {
    for (Path file : exportFiles) {
      if (file == null) {
        continue;
      }
      Path dir = file.toAbsolutePath().getParent();
      Optional<ExportManifest> manifest = find(dir);
      if (manifest.isPresent()) {
        manifest.get().verify(file);
      }
    }
  }

  /** The export format's version. */
  public int formatVersion() {
    return json.get("format_version").asInt();
  }

  /** The files of the export, by name, in the manifest's order. */
  public Map<String, Entry> files() {
    return files;
  }

  /** A setting of the export ({@code split}, {@code k}, {@code id_scheme}...), as text. */
  public Optional<String> setting(String name) {
    JsonNode value = json.get(checkNotNull(name, "name"));
    return value == null || value.isContainerNode()
        ? Optional.empty()
        : Optional.of(value.asText());
  }

  /**
   * Checks that a file of the export folder is listed here and still has the listed SHA-256.
   *
   * @throws FileFormatException naming the file when it is not listed or its bytes differ
   * @throws IOException when it cannot be read
   */
  public void verify(Path file) throws IOException {
    String name = String.valueOf(file.getFileName());
    Entry entry = files.get(name);
    Path manifestFile = file.toAbsolutePath().resolveSibling(FILE);
    if (entry == null) {
      throw new FileFormatException(
          "%s is not part of the export described by %s (it lists %s): it is left from an earlier"
                  .formatted(file, manifestFile, String.join(", ", files.keySet()))
              + " export; export again into an empty folder");
    }
    String actual = sha256(file);
    if (!actual.equals(entry.sha256())) {
      throw new FileFormatException(
          "%s does not match %s (SHA-256 %s, the manifest lists %s): the export in this folder"
                  .formatted(file, manifestFile, abbreviate(actual), abbreviate(entry.sha256()))
              + " is incomplete or mixes two exports (interrupted, disk full, or exported again"
              + " with other options); export again");
    }
  }

  private static String abbreviate(String sha) {
    return sha.substring(0, 12) + "...";
  }

  /** The manifest's bytes: pretty-printed JSON, the same bytes on every platform. */
  public byte[] toBytes() {
    try {
      return JSON.writer(PRETTY).writeValueAsBytes(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /** Writes the manifest atomically. */
  public void write(Path file) throws IOException {
    AtomicFiles.write(file, toBytes());
  }

  /** The lower-case hex SHA-256 of a file's bytes. */
  public static String sha256(Path file) throws IOException {
    MessageDigest sha = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return new String(toBytes(), UTF_8);
  }
}
