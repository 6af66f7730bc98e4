package org.refinepoi.pipeline.recommender;

import static java.nio.charset.StandardCharsets.US_ASCII;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.eval.MetricsReport;
import org.refinepoi.core.history.HistoryEvidence;
import org.refinepoi.core.io.AtomicFiles;
import org.refinepoi.core.io.FileFormatException;
import org.refinepoi.core.io.Npy;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.protocol.ProtocolConfig;
import org.refinepoi.core.protocol.SampleMode;
import org.refinepoi.core.sid.SemanticIdIndex;
import org.refinepoi.rl.djl.HistoryPolicy;
import org.refinepoi.rl.djl.HistoryPolicyConfig;
import org.refinepoi.som.HierarchicalSomModel;

/**
 * The file format of a {@link NextPoiRecommender}: one file, big-endian.
 *
 * <pre>
 *   8 bytes  magic "RPOI-REC"
 *   int      format version ({@value #VERSION})
 *   long     payload length P
 *   int      CRC32 of the 20 bytes above
 *   P bytes  payload:
 *              int  section count (1 .. {@value #MAX_SECTIONS})
 *              per section: UTF name (Java modified UTF-8, at most 64 bytes), int length L, L bytes
 *   int      CRC32 of the payload
 * </pre>
 *
 * Sections: {@code settings.json} (format, protocol, policy configuration, users, provenance),
 * {@code catalogue.json} (the POIs in dense order), {@code evidence.bin} (training popularity and
 * transition counts), {@code features.npy} (float32 NumPy), {@code hsom.bin} (the hierarchical
 * SOM's own format), {@code index.sid} (the {@link SemanticIdIndex} file format), {@code
 * policy.bin} (the policy's state format). Every part keeps its own checks as well.
 *
 * <p>Reading checks the header checksum before believing the version, the file's length against the
 * header's payload length, and every count against the bytes that remain before anything is
 * allocated for it; whatever fails is reported as a {@link FileFormatException} naming the file and
 * the part.
 */
final class RecommenderBundle {

  static final byte[] MAGIC = "RPOI-REC".getBytes(US_ASCII);
  static final int VERSION = 1;
  static final int MAX_SECTIONS = 32;
  private static final int HEADER = MAGIC.length + Integer.BYTES + Long.BYTES + Integer.BYTES;

  /** The largest bundle read: the parts live in byte arrays. */
  static final long MAX_BYTES = Integer.MAX_VALUE - 64L;

  private static final String FORMAT = "refine-poi next-POI recommender";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RecommenderBundle() {}

  static void write(NextPoiRecommender r, Path file) throws IOException {
    Map<String, byte[]> sections = new LinkedHashMap<>();
    sections.put("settings.json", JSON.writeValueAsBytes(settings(r)));
    sections.put("catalogue.json", JSON.writeValueAsBytes(catalogue(r.catalogue())));
    sections.put("evidence.bin", evidence(r.evidence()));
    Path tmp = Files.createTempDirectory("refine-poi-bundle");
    try {
      Path npy = tmp.resolve("features.npy");
      Npy.write(npy, r.features());
      sections.put("features.npy", Files.readAllBytes(npy));
      if (r.hierarchicalSom().isPresent()) {
        Path som = tmp.resolve("hsom.bin");
        r.hierarchicalSom().get().save(som);
        sections.put("hsom.bin", Files.readAllBytes(som));
      }
      Path sid = tmp.resolve("index.sid");
      r.index().save(sid);
      sections.put("index.sid", Files.readAllBytes(sid));
    } finally {
      deleteTree(tmp);
    }
    ByteArrayOutputStream policy = new ByteArrayOutputStream();
    r.policy().save(policy);
    sections.put("policy.bin", policy.toByteArray());

    ByteArrayOutputStream payloadBytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(payloadBytes)) {
      out.writeInt(sections.size());
      for (Map.Entry<String, byte[]> s : sections.entrySet()) {
        out.writeUTF(s.getKey());
        out.writeInt(s.getValue().length);
        out.write(s.getValue());
      }
    }
    byte[] payload = payloadBytes.toByteArray();
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    header.put(MAGIC).putInt(VERSION).putLong(payload.length);
    header.putInt(crc(header.array(), 0, HEADER - Integer.BYTES));
    byte[] trailer =
        ByteBuffer.allocate(Integer.BYTES).putInt(crc(payload, 0, payload.length)).array();
    AtomicFiles.write(file, header.array(), payload, trailer);
  }

  static NextPoiRecommender read(Path file) throws IOException {
    long size = Files.size(file);
    if (size < HEADER + Integer.BYTES) {
      throw bad(file, "truncated: " + size + " bytes, a header alone is " + HEADER);
    }
    if (size > MAX_BYTES) {
      throw bad(file, size + " bytes, more than the " + MAX_BYTES + " a bundle may have");
    }
    // The file, then its parts decoded next to it: about three times its size at the peak.
    org.refinepoi.core.io.MemoryBudget.require(3 * size, "reading the model bundle " + file);
    byte[] all = Files.readAllBytes(file);
    ByteBuffer b = ByteBuffer.wrap(all);
    byte[] magic = new byte[MAGIC.length];
    b.get(magic);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw bad(file, "not a Refine-POI recommender bundle (no RPOI-REC magic)");
    }
    int version = b.getInt();
    long payloadLength = b.getLong();
    int headerCrc = b.getInt();
    if (headerCrc != crc(all, 0, HEADER - Integer.BYTES)) {
      throw bad(file, "header checksum mismatch: the file is corrupt");
    }
    if (version != VERSION) {
      throw bad(
          file, "format version " + version + ", this build reads version " + VERSION + " only");
    }
    if (payloadLength != size - HEADER - Integer.BYTES) {
      throw bad(
          file,
          "the header announces a payload of "
              + payloadLength
              + " bytes, the file holds "
              + (size - HEADER - Integer.BYTES)
              + ": truncated or extended");
    }
    int payloadCrc = ByteBuffer.wrap(all, (int) (size - Integer.BYTES), Integer.BYTES).getInt();
    if (payloadCrc != crc(all, HEADER, (int) payloadLength)) {
      throw bad(file, "payload checksum mismatch: the file is corrupt");
    }
    Map<String, byte[]> sections = sections(file, all, HEADER, (int) payloadLength);
    return decode(file, sections);
  }

  private static Map<String, byte[]> sections(Path file, byte[] all, int from, int length)
      throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, from, length));
    int count = in.readInt();
    if (count < 1 || count > MAX_SECTIONS) {
      throw bad(file, count + " sections, expected 1 to " + MAX_SECTIONS);
    }
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      if (in.available() < 2) {
        throw bad(file, "section " + (i + 1) + " of " + count + " is missing");
      }
      String name = in.readUTF();
      if (name.isEmpty() || name.length() > 64) {
        throw bad(file, "section " + (i + 1) + " has a name of " + name.length() + " characters");
      }
      int len = in.available() >= Integer.BYTES ? in.readInt() : -1;
      if (len < 0 || len > in.available()) {
        throw bad(file, "section " + name + ": length " + len + " beyond the payload");
      }
      if (out.put(name, in.readNBytes(len)) != null) {
        throw bad(file, "section " + name + " twice");
      }
    }
    if (in.available() > 0) {
      throw bad(file, in.available() + " bytes after the last section");
    }
    return out;
  }

  private static NextPoiRecommender decode(Path file, Map<String, byte[]> sections)
      throws IOException {
    Map<String, Object> settings = json(file, sections, "settings.json", new TypeReference<>() {});
    String section = "settings.json";
    HistoryPolicy policy = null;
    Path tmp = Files.createTempDirectory("refine-poi-bundle");
    try {
      if (!FORMAT.equals(settings.get("format"))) {
        throw bad(file, "settings.json: format '" + settings.get("format") + "'");
      }
      ProtocolConfig protocol = protocol(map(settings, "protocol"));
      HistoryPolicyConfig policyConfig =
          JSON.convertValue(map(settings, "policy"), HistoryPolicyConfig.class);
      List<String> users = JSON.convertValue(settings.get("users"), new TypeReference<>() {});
      Provenance provenance = provenance(map(settings, "provenance"));

      section = "catalogue.json";
      List<Map<String, Object>> rows = json(file, sections, section, new TypeReference<>() {});
      List<Poi> catalogue = new ArrayList<>(rows.size());
      for (Map<String, Object> row : rows) {
        catalogue.add(
            new Poi(
                (String) row.get("id"),
                (String) row.get("category_id"),
                (String) row.get("category_name"),
                ((Number) row.get("latitude")).doubleValue(),
                ((Number) row.get("longitude")).doubleValue()));
      }

      section = "evidence.bin";
      HistoryEvidence evidence = evidence(require(file, sections, section), catalogue);

      section = "features.npy";
      FloatMatrix features = Npy.read(extract(tmp, file, sections, section));

      section = "hsom.bin";
      Optional<HierarchicalSomModel> hsom =
          sections.containsKey(section)
              ? Optional.of(HierarchicalSomModel.load(extract(tmp, file, sections, section)))
              : Optional.empty();

      section = "index.sid";
      SemanticIdIndex index = SemanticIdIndex.load(extract(tmp, file, sections, section));

      section = "policy.bin";
      HistoryEvidence forPolicy = evidence;
      policy = HistoryPolicy.create(policyConfig, forPolicy, index, users.size());
      policy.load(new ByteArrayInputStream(require(file, sections, section)));

      section = "the parts together";
      return new NextPoiRecommender(
          protocol,
          catalogue,
          users,
          features,
          hsom,
          index,
          evidence,
          policyConfig,
          policy,
          provenance);
    } catch (FileFormatException e) {
      close(policy);
      throw e;
    } catch (IOException | RuntimeException e) {
      close(policy);
      throw bad(file, section + ": " + e.getMessage(), e);
    } finally {
      deleteTree(tmp);
    }
  }

  private static void close(HistoryPolicy policy) {
    if (policy != null) {
      policy.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // settings.json

  private static Map<String, Object> settings(NextPoiRecommender r) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("format", FORMAT);
    s.put("version", VERSION);
    s.put("list_size", NextPoiRecommender.LIST_SIZE);
    s.put("protocol", protocol(r.protocol()));
    s.put(
        "policy", JSON.convertValue(r.policyConfig(), new TypeReference<Map<String, Object>>() {}));
    s.put("users", r.userIds());
    Provenance p = r.provenance();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("library_version", p.libraryVersion());
    m.put("dataset", p.dataset());
    m.put("data_fingerprint", p.dataFingerprint());
    m.put("seed", p.seed());
    m.put("config", p.config());
    m.put("test_metrics", metrics(p.testMetrics()));
    m.put("test_cold_start_metrics", metrics(p.testColdStartMetrics()));
    m.put("train_seconds", p.trainSeconds());
    m.put("training", p.training());
    s.put("provenance", m);
    return s;
  }

  private static Map<String, Object> protocol(ProtocolConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("min_check_ins_per_user", c.minCheckInsPerUser());
    m.put("min_check_ins_per_poi", c.minCheckInsPerPoi());
    m.put("filter_to_fixed_point", c.filterToFixedPoint());
    m.put("drop_duplicate_check_ins", c.dropDuplicateCheckIns());
    m.put("session_gap_seconds", c.sessionGap().getSeconds());
    m.put("train_fraction", c.trainFraction());
    m.put("validation_fraction", c.validationFraction());
    m.put("sample_mode", c.sampleMode().name());
    m.put("cold_start_fraction", c.coldStartFraction());
    m.put("max_long_term_check_ins", c.maxLongTermCheckIns());
    return m;
  }

  private static ProtocolConfig protocol(Map<String, Object> m) {
    return ProtocolConfig.builder()
        .minCheckInsPerUser(integer(m, "min_check_ins_per_user"))
        .minCheckInsPerPoi(integer(m, "min_check_ins_per_poi"))
        .filterToFixedPoint((Boolean) m.get("filter_to_fixed_point"))
        .dropDuplicateCheckIns((Boolean) m.get("drop_duplicate_check_ins"))
        .sessionGap(Duration.ofSeconds(number(m, "session_gap_seconds").longValue()))
        .trainFraction(number(m, "train_fraction").doubleValue())
        .validationFraction(number(m, "validation_fraction").doubleValue())
        .sampleMode(SampleMode.valueOf((String) m.get("sample_mode")))
        .coldStartFraction(number(m, "cold_start_fraction").doubleValue())
        .maxLongTermCheckIns(integer(m, "max_long_term_check_ins"))
        .build();
  }

  private static Map<String, Object> metrics(MetricsReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", r.count());
    m.put("acc1", finite(r.acc1()));
    m.put("acc5", finite(r.acc5()));
    m.put("acc10", finite(r.acc10()));
    m.put("ndcg5", finite(r.ndcg5()));
    m.put("ndcg10", finite(r.ndcg10()));
    m.put("mrr", finite(r.mrr()));
    return m;
  }

  private static Double finite(double v) {
    return Double.isNaN(v) ? null : v;
  }

  private static MetricsReport metrics(Map<String, Object> m) {
    return new MetricsReport(
        number(m, "count").longValue(),
        orNaN(m, "acc1"),
        orNaN(m, "acc5"),
        orNaN(m, "acc10"),
        orNaN(m, "ndcg5"),
        orNaN(m, "ndcg10"),
        orNaN(m, "mrr"));
  }

  private static double orNaN(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? Double.NaN : ((Number) v).doubleValue();
  }

  private static Provenance provenance(Map<String, Object> m) {
    return new Provenance(
        (String) m.get("library_version"),
        (String) m.get("dataset"),
        (String) m.get("data_fingerprint"),
        number(m, "seed").longValue(),
        map(m, "config"),
        metrics(map(m, "test_metrics")),
        metrics(map(m, "test_cold_start_metrics")),
        number(m, "train_seconds").doubleValue(),
        map(m, "training"));
  }

  private static List<Map<String, Object>> catalogue(List<Poi> pois) {
    List<Map<String, Object>> out = new ArrayList<>(pois.size());
    for (Poi p : pois) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", p.id());
      m.put("category_id", p.categoryId());
      m.put("category_name", p.categoryName());
      m.put("latitude", p.latitude());
      m.put("longitude", p.longitude());
      out.add(m);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException("'" + key + "' missing or not an object");
    }
    return (Map<String, Object>) v;
  }

  private static Number number(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof Number n)) {
      throw new IllegalArgumentException("'" + key + "' missing or not a number");
    }
    return n;
  }

  private static int integer(Map<String, Object> m, String key) {
    return Math.toIntExact(number(m, key).longValue());
  }

  // ---------------------------------------------------------------------------------------------
  // evidence.bin: int n; per POI: int popularity, int m, m pairs (successor, count)

  private static byte[] evidence(HistoryEvidence e) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      int n = e.poiCount();
      out.writeInt(n);
      for (int i = 0; i < n; i++) {
        int[] to = e.successors(i);
        out.writeInt(e.popularity(i));
        out.writeInt(to.length);
        for (int j : to) {
          out.writeInt(j);
          out.writeInt(e.transitions(i, j));
        }
      }
    }
    return bytes.toByteArray();
  }

  private static HistoryEvidence evidence(byte[] bytes, List<Poi> catalogue) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    int n = in.readInt();
    if (n != catalogue.size()) {
      throw new IOException(n + " POIs, the catalogue has " + catalogue.size());
    }
    int[] popularity = new int[n];
    int[][] to = new int[n][];
    int[][] counts = new int[n][];
    for (int i = 0; i < n; i++) {
      popularity[i] = in.readInt();
      int m = in.readInt();
      if (m < 0 || m > n || (long) m * 2 * Integer.BYTES > in.available()) {
        throw new IOException("POI " + i + ": " + m + " successors beyond the section");
      }
      to[i] = new int[m];
      counts[i] = new int[m];
      for (int j = 0; j < m; j++) {
        to[i][j] = in.readInt();
        counts[i][j] = in.readInt();
      }
    }
    if (in.available() > 0) {
      throw new IOException(in.available() + " trailing bytes");
    }
    return HistoryEvidence.of(catalogue, popularity, to, counts);
  }

  // ---------------------------------------------------------------------------------------------

  private static <T> T json(
      Path file, Map<String, byte[]> sections, String name, TypeReference<T> type)
      throws IOException {
    byte[] bytes = require(file, sections, name);
    try {
      return JSON.readValue(bytes, type);
    } catch (IOException e) {
      throw bad(file, name + ": " + e.getMessage(), e);
    }
  }

  private static byte[] require(Path file, Map<String, byte[]> sections, String name)
      throws FileFormatException {
    byte[] bytes = sections.get(name);
    if (bytes == null) {
      throw bad(file, "no " + name + " section");
    }
    return bytes;
  }

  private static Path extract(Path tmp, Path file, Map<String, byte[]> sections, String name)
      throws IOException {
    Path part = tmp.resolve(name);
    Files.write(part, require(file, sections, name));
    return part;
  }

  private static int crc(byte[] bytes, int from, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, from, length);
    return (int) crc.getValue();
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.deleteIfExists(p);
      }
    }
    Files.deleteIfExists(dir);
  }

  private static FileFormatException bad(Path file, String reason) {
    return new FileFormatException("model bundle " + file + ": " + reason);
  }

  private static FileFormatException bad(Path file, String reason, Throwable cause) {
    return new FileFormatException("model bundle " + file + ": " + reason, cause);
  }
}
