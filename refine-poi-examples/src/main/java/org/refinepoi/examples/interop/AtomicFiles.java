package org.refinepoi.examples.interop;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Text files written atomically (a temporary file in the target's directory, moved into place with
 * {@link StandardCopyOption#ATOMIC_MOVE}), so a crash never leaves a half-written export, with the
 * SHA-256 of the bytes written for the export's manifest.
 */
final class AtomicFiles {

  private AtomicFiles() {}

  /** Writes text through a callback. */
  @FunctionalInterface
  interface TextBody {
    /** Writes the file's content. */
    void writeTo(Writer out) throws IOException;
  }

  /**
   * Writes a UTF-8 text file atomically.
   *
   * @return the lower-case hex SHA-256 of the bytes written
   */
  static String write(Path file, TextBody body) throws IOException {
    Path target = file.toAbsolutePath();
    Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
    try {
      MessageDigest sha = sha256();
      try (OutputStream raw = Files.newOutputStream(tmp);
          DigestOutputStream digest = new DigestOutputStream(raw, sha);
          Writer out = new BufferedWriter(new OutputStreamWriter(digest, UTF_8), 1 << 16)) {
        body.writeTo(out);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return HexFormat.of().formatHex(sha.digest());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** The lower-case hex SHA-256 of a file's bytes. */
  static String sha256(Path file) throws IOException {
    MessageDigest sha = sha256();
    try (var in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        sha.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
