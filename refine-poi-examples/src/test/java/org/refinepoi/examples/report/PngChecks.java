package org.refinepoi.examples.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Checks shared by the report tests: a real PNG, the expected size, not blank. */
final class PngChecks {

  private PngChecks() {}

  static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  /** Reads the file as PNG, checking the signature, and returns the image. */
  static BufferedImage readPng(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    assertThat(bytes).as("%s starts with the PNG signature", file).startsWith(PNG_SIGNATURE);
    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image).as("%s decodes", file).isNotNull();
    return image;
  }

  /** Variance of the grey level over all pixels: 0 for a one-colour picture. */
  static double greyVariance(BufferedImage image) {
    double sum = 0;
    double sumSq = 0;
    long n = (long) image.getWidth() * image.getHeight();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        double grey =
            0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
        sum += grey;
        sumSq += grey * grey;
      }
    }
    double mean = sum / n;
    return sumSq / n - mean * mean;
  }

  /** Number of distinct colours in a rectangle of the picture. */
  static int distinctColours(BufferedImage image, int x0, int y0, int w, int h) {
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (int y = y0; y < y0 + h; y++) {
      for (int x = x0; x < x0 + w; x++) {
        seen.add(image.getRGB(x, y));
      }
    }
    return seen.size();
  }

  /** Every picture is a non-blank PNG and the index references each by file name. */
  static void checkReport(Path dir, List<Path> pictures) throws IOException {
    String html = Files.readString(dir.resolve(ReportWriter.INDEX), StandardCharsets.UTF_8);
    assertThat(html).startsWith("<!DOCTYPE html>").contains("</html>");
    for (Path p : pictures) {
      assertThat(p.getParent()).isEqualTo(dir);
      BufferedImage image = readPng(p);
      assertThat(greyVariance(image)).as("%s is not blank", p).isGreaterThan(50);
      assertThat(html).contains("src=\"" + p.getFileName() + "\"");
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .as("no temporary file left behind")
          .noneMatch(f -> f.endsWith(".tmp"));
    }
  }
}
