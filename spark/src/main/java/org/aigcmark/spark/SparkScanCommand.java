package org.aigcmark.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import org.aigcmark.detect.DetectorFlags;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.aigcmark.AigcmarkException;
import org.aigcmark.ExitCodes;
import org.aigcmark.detect.DetectorSettings;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code aigcmark spark-scan DIR --out OUT}: the scan as a Spark job. In local mode by default ({@code local[*]});
 * under {@code spark-submit} the master it was given. Writes {@code OUT/parquet} and {@code OUT/json} (one row per
 * file, {@link AigcScan#SCHEMA}) and prints the summary that {@code scan} prints.
 */
@Command(name = "spark-scan", mixinStandardHelpOptions = true, version = "aigcmark 0.1.0",
        description = {"Runs 'detect' on every file under DIR as an Apache Spark job and writes one row per file (path,"
                + " size, format, verdict, evidence kinds, AIGC records, watermark, problems, error, the whole report)"
                + " as Parquet (OUT/parquet) and JSON lines (OUT/json).",
                "One Detector per executor JVM; a file that cannot be checked is a row with an error, never a failed job.",
                "Runs in local mode (local[*]) unless --master or spark-submit names a cluster; see docs/SCALE.md.",
                "'spark-scan bench DIR...' measures files/s against scan's loop at 1 and 2 cores (--help there).",
                "Exit status: 0 when the job ran and its output was written, whatever the files held; 2 for a usage"
                + " error (or a bad key), 3 when DIR cannot be read, 4 when OUT exists (without --overwrite) or cannot"
                + " be written, 1 for an internal error."})
public final class SparkScanCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The folder to scan, with its subfolders (a path, or a URI Spark reads).")
    String dir;

    @Option(names = "--out", required = true, paramLabel = "OUT",
            description = "The output folder: OUT/parquet and OUT/json are written there.")
    String out;

    @Option(names = "--overwrite", description = "Replace an existing OUT/parquet and OUT/json.")
    boolean overwrite;

    @Option(names = "--master", paramLabel = "URL",
            description = "The Spark master (default: the one spark-submit gave, else local[*]).")
    String master;

    @Option(names = "--max-row-bytes", paramLabel = "N", defaultValue = "67108864",
            description = "Files up to N bytes are read into a binaryFile row; larger ones by the executor from their"
                    + " path (default: ${DEFAULT-VALUE}).")
    long maxRowBytes;

    @Option(names = "--max-file-bytes", paramLabel = "N", defaultValue = "9223372036854775807",
            description = "A file over N bytes is an error row, never read (default: no cap of ours; the detector's limits apply).")
    long maxFileBytes;

    @Option(names = "--no-report", description = "Leave the 'report' column (the whole detect --json of each file) empty.")
    boolean noReport;

    @Mixin
    DetectorFlags detector = new DetectorFlags();

    /** Runs the command line ({@code bench ...}: the benchmark) and exits with its status. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        if (args.length > 0 && args[0].equals("bench")) {
            CommandLine bench = new CommandLine(new SparkBenchCommand()).setCommandName("spark-scan bench");
            bench.setOut(out);
            bench.setErr(err);
            System.exit(bench.execute(java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        System.exit(commandLine(out, err).execute(args));
    }

    /** The command line, writing to these; tests call it. An {@link AigcmarkException} exits with its reason's code. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new SparkScanCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof AigcmarkException a) {
                line.getErr().println("aigcmark: " + a.getMessage());
                return ExitCodes.of(a.reason());
            }
            throw e;
        });
        return cl;
    }

    @Override
    public Integer call() {
        ScanSettings settings = new ScanSettings(checked(detector.settings()), maxRowBytes, maxFileBytes, !noReport);
        PrintWriter err = spec.commandLine().getErr();
        requireOutput(out, overwrite);
        SparkSession spark = session(master, "aigcmark spark-scan");
        try {
            long start = System.nanoTime();
            Map<String, Long> counts = run(spark, dir, out, settings, overwrite);
            double seconds = (System.nanoTime() - start) / 1e9;
            long files = counts.values().stream().mapToLong(Long::longValue).sum();
            spec.commandLine().getOut().printf("scanned %d files under %s in %.1f s (%.1f files/s): %s%n", files, dir, seconds,
                    files / seconds, counts);
            return ExitCodes.OK;
        } catch (RuntimeException e) {
            if (e instanceof AigcmarkException) {
                throw e;
            }
            if (e.getClass().getName().endsWith("AnalysisException") && String.valueOf(e.getMessage()).contains("PATH_NOT_FOUND")) {
                throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, dir + " cannot be read: " + e.getMessage(), e);
            }
            err.println("aigcmark: the job failed: " + e);
            throw e;
        } finally {
            AigcScan.closeDetectors();
            spark.stop();
        }
    }

    /**
     * Scans {@code dir} and writes {@code out/parquet}, then {@code out/json} from the Parquet (the detection runs once),
     * and returns the count of each summary category ({@code label1}, {@code none}, {@code error}...).
     */
    static Map<String, Long> run(SparkSession spark, String dir, String out, ScanSettings settings, boolean overwrite) {
        SaveMode mode = overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists;
        // the summary's counts are taken as the rows are written (an Observation: aggregates the write job computes
        // beside its rows), not by a third job that reads three columns of the Parquet back
        Observation summary = new Observation("aigcmark-summary");
        AigcScan.scan(spark, dir, settings).observe(summary, count(lit(1)).as(ALL), SUMMARY.toArray(Column[]::new))
                .write().mode(mode).parquet(out + "/parquet");
        // the schema given, not inferred: inferring it reads the Parquet footers in a Spark job of its own
        Dataset<Row> written = spark.read().schema(AigcScan.SCHEMA).parquet(out + "/parquet");
        written.write().mode(mode).json(out + "/json");
        Map<String, Long> counts = new TreeMap<>();
        Map<String, Object> observed = observed(summary);
        long all = -1;
        if (observed != null) {
            all = ((Number) observed.get(ALL)).longValue();
            for (Map.Entry<String, Object> e : observed.entrySet()) {
                long n = ((Number) e.getValue()).longValue();
                if (!e.getKey().equals(ALL) && n > 0) {
                    counts.put(e.getKey(), n);
                }
            }
        }
        if (counts.values().stream().mapToLong(Long::longValue).sum() != all) {
            // no metrics came back, or a label outside 1-3 (none exists today): count the rows, as before
            counts.clear();
            for (Row r : written.select("error", "label", "rule").collectAsList()) {
                counts.merge(ResultRows.category(r), 1L, Long::sum);
            }
        }
        return counts;
    }

    private static final String ALL = "files";

    /**
     * The write's observed metrics, or null if they did not come (Spark delivers them to the Observation from its
     * listener bus, just after the write returns): waited for at most a minute, never forever.
     */
    private static Map<String, Object> observed(Observation o) {
        try {
            scala.concurrent.Await.ready(o.future(), scala.concurrent.duration.Duration.create(60, java.util.concurrent.TimeUnit.SECONDS));
            return o.getAsJava();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) { // the wait timed out (Scala declares no checked exception), or the metrics failed
            return null;
        }
    }

    /** scan's summary categories ({@link ResultRows#category}) as counts of the result rows. */
    private static final List<Column> SUMMARY = List.of(
            count_if(col("error").isNotNull()).as("error"),
            count_if(col("error").isNull().and(col("label").equalTo("1"))).as("label1"),
            count_if(col("error").isNull().and(col("label").equalTo("2"))).as("label2"),
            count_if(col("error").isNull().and(col("label").equalTo("3"))).as("label3"),
            count_if(col("error").isNull().and(col("label").isNull()).and(col("rule").eqNullSafe("unchecked"))).as("unchecked"),
            count_if(col("error").isNull().and(col("label").isNull()).and(not(col("rule").eqNullSafe("unchecked")))).as("none"));

    /** Reads the keys, public keys and anchors on the driver, so a bad one is a usage error before any work. */
    static DetectorSettings checked(DetectorSettings s) {
        s.watermarkKeys();
        s.trustedKeys();
        s.trustAnchors();
        return s;
    }

    /** A local OUT that exists is refused (exit 4) before the scan, unless {@code --overwrite}. */
    private static void requireOutput(String out, boolean overwrite) {
        if (out.contains("://")) {
            return; // Spark's ErrorIfExists says it for other file systems
        }
        Path p = Path.of(out.startsWith("file:") ? out.substring("file:".length()) : out);
        if (!overwrite && (Files.exists(p.resolve("parquet")) || Files.exists(p.resolve("json")))) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, p + " already holds results (give --overwrite to replace them)");
        }
        if (Files.exists(p) && !Files.isDirectory(p)) {
            throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, p + " is not a folder");
        }
    }

    private static final String OPEN_COST = "spark.sql.files.openCostInBytes";

    /**
     * What Spark counts a file's open as when it packs files into tasks (its default, 4 MB, is for big files: a folder
     * of 50 KB uploads became a task per 31 files, each paying Spark's per-task cost, docs/SCALE.md). At 1 MB a
     * 128 MB partition holds about a hundred small files; a {@code --conf} of the job's own wins.
     */
    static final long SMALL_FILE_OPEN_COST = 1L << 20;

    /**
     * From how many folders Spark lists a folder tree with a Spark job, one task per folder (default 32). In local
     * mode those tasks run in this JVM anyway, each deserializing the whole Hadoop configuration (milliseconds):
     * a folder of 96 subfolders cost more than the detection of its metadata. A cluster keeps Spark's default.
     */
    private static final String LIST_IN_PARALLEL_FROM = "spark.sql.sources.parallelPartitionDiscovery.threshold";

    /** Parquet's per-column dictionary switch (parquet-mr's {@code parquet.enable.dictionary#COLUMN}). */
    private static final String NO_DICTIONARY = "parquet.enable.dictionary#";

    /**
     * Result columns whose every value differs (a file's name, its whole report): a Parquet dictionary never pays for
     * them, and hashing each report of a few KB into one until the dictionary overflows was about 3% of a
     * metadata-only task (docs/SCALE.md). The session's settings reach the Parquet writer's Hadoop configuration;
     * a {@code --conf} of the job's own wins.
     */
    static final List<String> UNIQUE_COLUMNS = List.of("path", "report");

    /** The session: {@code master}, else the one spark-submit set (spark.master), else {@code local[*]}; no UI. */
    static SparkSession session(String master, String name) {
        SparkSession.Builder b = SparkSession.builder().appName(name).config("spark.ui.enabled", "false");
        if (master != null) {
            b = b.master(master);
        } else if (System.getProperty("spark.master") == null) {
            b = b.master("local[*]");
        }
        SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        if (!spark.sparkContext().getConf().contains(OPEN_COST)) {
            spark.conf().set(OPEN_COST, SMALL_FILE_OPEN_COST);
        }
        if (spark.sparkContext().isLocal() && !spark.sparkContext().getConf().contains(LIST_IN_PARALLEL_FROM)) {
            spark.conf().set(LIST_IN_PARALLEL_FROM, Integer.MAX_VALUE);
        }
        for (String column : UNIQUE_COLUMNS) {
            String key = NO_DICTIONARY + column;
            if (!spark.sparkContext().getConf().contains(key) && !spark.sparkContext().getConf().contains("spark.hadoop." + key)) {
                spark.conf().set(key, false);
            }
        }
        return spark;
    }
}
