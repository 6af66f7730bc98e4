package org.refinepoi.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.refinepoi.core.data.CheckInFormat;
import org.refinepoi.core.data.LoadOptions;
import org.refinepoi.core.data.LoadResult;
import org.refinepoi.core.protocol.NextPoiProtocol;
import org.refinepoi.core.protocol.PreparedData;
import org.refinepoi.core.protocol.ProtocolConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code refine-poi bench load}: times loading (parsing) plus preprocessing (the default protocol)
 * of a check-in file and prints one JSON line with the median throughput in check-ins per second.
 * With {@code --copies N} the input is first repeated N times into a temporary file, copy {@code c}
 * with user ids shifted by {@code c * 1,000,000} (times kept), so a 77k-line file becomes a
 * million-line one with the same structure.
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = {
      "Times parsing + preprocessing of a check-in file (median of repetitions after warm-up)",
      "and prints one JSON line."
    })
public final class BenchLoadCommand implements Callable<Integer> {

  /** Shift of user ids between copies. */
  static final long USER_SHIFT = 1_000_000L;

  @Spec private CommandSpec spec;

  @Option(names = "--data", required = true, paramLabel = "FILE", description = "Check-in file.")
  private Path data;

  @Option(
      names = "--format",
      defaultValue = "auto",
      description = "File layout: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  private DataFormatOption format;

  @Option(
      names = "--copies",
      defaultValue = "1",
      description = "Repeat the input this many times with shifted user ids (default: 1).")
  private int copies;

  @Option(
      names = "--repetitions",
      defaultValue = "5",
      description = "Timed repetitions (default: ${DEFAULT-VALUE}).")
  private int repetitions;

  @Option(
      names = "--warmup",
      defaultValue = "2",
      description = "Untimed warm-up runs (default: ${DEFAULT-VALUE}).")
  private int warmup;

  /** Creates the command (picocli fills the options). */
  public BenchLoadCommand() {}

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    CliOptions.atLeast(spec, "--copies", copies, 1);
    CliOptions.atLeast(spec, "--repetitions", repetitions, 1);
    CliOptions.atLeast(spec, "--warmup", warmup, 0);
    CliOptions.inputFile(spec, "--data", data);
    CheckInFormat layout = format.resolve(data);
    Path input = data;
    Path temporary = null;
    try {
      if (copies > 1) {
        temporary = Files.createTempFile("refine-poi-bench-", ".data");
        replicate(data, temporary, copies, layout);
        input = temporary;
      }
      long bytes = Files.size(input);
      long[] loadNanos = new long[repetitions];
      long[] prepareNanos = new long[repetitions];
      long[] totalNanos = new long[repetitions];
      long[] cpuNanos = new long[repetitions];
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      LoadResult last = null;
      PreparedData prepared = null;
      for (int run = -warmup; run < repetitions; run++) {
        System.gc();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        last = layout.loader().load(input, LoadOptions.strict());
        long t1 = System.nanoTime();
        prepared = NextPoiProtocol.prepare(last.dataset(), ProtocolConfig.defaults());
        long t2 = System.nanoTime();
        long cpu = os.getProcessCpuTime() - cpu0;
        if (run >= 0) {
          cpuNanos[run] = cpu;
          loadNanos[run] = t1 - t0;
          prepareNanos[run] = t2 - t1;
          totalNanos[run] = t2 - t0;
        }
      }
      long checkIns = last.report().checkIns();
      double medianTotal = median(totalNanos) / 1e9;
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("impl", "refine-poi-load");
      result.put("file", String.valueOf(data.getFileName()));
      result.put("layout", layout.name());
      result.put("copies", copies);
      result.put("lines", last.report().linesRead());
      result.put("bytes", bytes);
      result.put("checkins", checkIns);
      result.put("kept_checkins", prepared.dataset().checkIns().size());
      result.put("samples", prepared.stats().samples());
      result.put("repetitions", repetitions);
      result.put("warmup", warmup);
      result.put("load_s_median", round(median(loadNanos) / 1e9));
      result.put("prepare_s_median", round(median(prepareNanos) / 1e9));
      result.put("total_s_median", round(medianTotal));
      result.put("total_s_min", round(Arrays.stream(totalNanos).min().orElseThrow() / 1e9));
      result.put("total_s_max", round(Arrays.stream(totalNanos).max().orElseThrow() / 1e9));
      result.put("checkins_per_s", Math.round(checkIns / medianTotal));
      // CPU time of the whole process (all threads, GC and JIT included): robust to a busy machine.
      result.put("process_cpu_s_median", round(median(cpuNanos) / 1e9));
      result.put("checkins_per_process_cpu_s", Math.round(checkIns / (median(cpuNanos) / 1e9)));
      result.put("parse_checkins_per_s", Math.round(checkIns / (median(loadNanos) / 1e9)));
      result.put("mb_per_s", round(bytes / 1e6 / medianTotal));
      result.put("cpus", Runtime.getRuntime().availableProcessors());
      result.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
      result.put("java", Runtime.version().toString());
      result.put("load_average", round(os.getSystemLoadAverage()));
      out.println(new ObjectMapper().writeValueAsString(result));
      out.flush();
      return 0;
    } finally {
      if (temporary != null) {
        Files.deleteIfExists(temporary);
      }
    }
  }

  /**
   * Writes {@code copies} copies of a file, copy {@code c} with user ids shifted by {@code c *
   * USER_SHIFT} (numeric ids) or prefixed with {@code c<c>_} (other ids). The CSV header is written
   * once; the CSV layout's user id must be its first column.
   */
  static void replicate(Path source, Path target, int copies, CheckInFormat layout)
      throws IOException {
    char separator = layout == CheckInFormat.PREPROCESSED_CSV ? ',' : '\t';
    // Latin-1 maps bytes to chars one to one, so any input bytes are copied unchanged.
    try (BufferedWriter w = Files.newBufferedWriter(target, StandardCharsets.ISO_8859_1)) {
      for (int c = 0; c < copies; c++) {
        try (BufferedReader r = Files.newBufferedReader(source, StandardCharsets.ISO_8859_1)) {
          String line;
          boolean first = true;
          while ((line = r.readLine()) != null) {
            if (first && layout == CheckInFormat.PREPROCESSED_CSV) {
              first = false;
              if (!line.startsWith("user_id,") && !line.startsWith("\uFEFFuser_id,")) {
                throw new IOException(source + ": --copies needs user_id as the first CSV column");
              }
              if (c == 0) {
                w.write(line);
                w.newLine();
              }
              continue;
            }
            first = false;
            int cut = line.indexOf(separator);
            if (cut <= 0) {
              w.write(line);
            } else {
              w.write(shiftUser(line.substring(0, cut), c));
              w.write(line, cut, line.length() - cut);
            }
            w.newLine();
          }
        }
      }
    }
  }

  private static String shiftUser(String user, int copy) {
    if (copy == 0) {
      return user;
    }
    try {
      return Long.toString(Long.parseLong(user) + copy * USER_SHIFT);
    } catch (NumberFormatException e) {
      return "c" + copy + "_" + user;
    }
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2.0;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
