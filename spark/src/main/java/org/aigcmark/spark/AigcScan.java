package org.aigcmark.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import org.aigcmark.AigcmarkException;
import org.aigcmark.detection.Detector;
import org.aigcmark.report.ReportJson;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.deploy.SparkHadoopUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.apache.spark.sql.execution.datasources.PartitioningAwareFileIndex;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The detection pipeline as a Spark transformation: one result row per file, in {@link #SCHEMA}, made by one
 * {@link Detector} per executor JVM (built on first use from {@link ScanSettings#detector()}, shared by the executor's
 * tasks, closed when the executor ends). Nothing a file holds fails the job: an unreadable, hostile, oversized or
 * unsupported file is a row with {@code error} and {@code errorReason} (the reasons of {@code aigcmark scan}), and so
 * is a detector that cannot be built on an executor (a key file that was not shipped).
 *
 * <p>For a team's own job: {@code AigcScan.detect(spark.read().format("binaryFile").load(dir), settings)}, or
 * {@link #detectPaths} over a column of paths. Keys, public keys, C2PA anchors and models are files the executor
 * reads: local paths (local mode, a shared mount) or files shipped with {@code spark-submit --files}/{@code --archives}
 * and named by their file name (docs/SCALE.md).
 */
public final class AigcScan {
    /**
     * The result rows: {@code path} (as Spark names the file), {@code size} (bytes), {@code format}, the verdict
     * ({@code label} "1"/"2"/"3" or null, {@code rule}, {@code reason}), {@code evidenceKinds[]}, {@code records[]}
     * (each AIGC record: Label, ContentProducer, ProduceID, ReservedCode1, ContentPropagator, PropagateID,
     * ReservedCode2, source, signature), {@code watermark} (checked, detected, payload, score, matchesLabel, note),
     * {@code problems[]}, {@code error} and {@code errorReason} (null when the file was checked), and {@code report}
     * (the whole {@code detect --json} report of the file as one JSON string, null without {@link
     * ScanSettings#withReport()}).
     */
    public static final StructType SCHEMA = ResultRows.SCHEMA;

    private AigcScan() {}

    /** Every file under {@code dir} (a path or URI Spark reads; subfolders included) as Spark's binaryFile rows. */
    public static Dataset<Row> read(SparkSession spark, String dir) {
        return spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(dir);
    }

    /**
     * {@link #detect} over {@link #read}: the scan of a folder, one row for every file. Spark's file sources skip
     * zero-byte files, so their rows (CORRUPT_INPUT, as {@code scan} reports an empty file) come from the same listing,
     * and so do the paths of the files too big for a row: a second file scan that skips their content would still be
     * one more task per partition of the folder, each paying Spark's per-task cost (the task and its Hadoop
     * configuration deserialized, a Parquet file opened and closed) for no row at all. A local folder (local mode, a
     * shared mount) is listed as {@code scan} lists it, every regular file (Spark's listing leaves out {@code _} and
     * {@code .} names), and scanned by path, as {@link #detectPaths} does, in tasks of up to {@link #FILES_PER_TASK}
     * files: each executor reads a file once, instead of copying it into a row and out again.
     */
    public static Dataset<Row> scan(SparkSession spark, String dir, ScanSettings settings) {
        List<LocalFile> local = localFiles(spark, dir);
        if (local != null) {
            return fromListing(spark, local, settings);
        }
        Dataset<Row> files = read(spark, dir);
        List<FileStatus> listing = listing(files);
        if (listing == null) {
            return detect(files, settings); // another kind of source (Spark Connect): its empty files have no row
        }
        if (listing.stream().allMatch(f -> plainLocalPath(f.getPath().toString()) != null)) {
            // local files that a glob named: by path too (Spark's listing of them, which leaves out _ and . names)
            return fromListing(spark, listing.stream()
                    .map(f -> new LocalFile(plainLocalPath(f.getPath().toString()), f.getLen())).toList(), settings);
        }
        long inRowCap = inRowCap(settings);
        Dataset<Row> rows = fromBytes(files, settings);
        List<Row> byPath = new java.util.ArrayList<>(listing.stream().filter(f -> f.getLen() == 0 || f.getLen() > inRowCap)
                .map(f -> RowFactory.create(f.getPath().toString(), f.getLen())).toList());
        byPath.addAll(leftOutBySpark(spark, dir, listing));
        if (byPath.isEmpty()) {
            return rows;
        }
        return rows.union(detectPaths(spark.createDataFrame(byPath, PATH_AND_LENGTH), settings));
    }

    /**
     * The files under a folder of another file system (HDFS, S3...) that Spark's listing left out, as (path, length)
     * rows for the path route: names that begin with {@code _} or {@code .} and everything under folders so named
     * (Spark's markers for its own outputs), which {@code scan} checks like any other file. Listed once more with
     * Hadoop's recursive listing (on S3 a flat listing, a thousand keys a request); a glob adds none.
     */
    private static List<Row> leftOutBySpark(SparkSession spark, String dir, List<FileStatus> listing) {
        if (dir.chars().anyMatch(c -> "*?[]{}".indexOf(c) >= 0)) {
            return List.of();
        }
        java.util.Set<String> listed = new java.util.HashSet<>();
        listing.forEach(f -> listed.add(f.getPath().toString()));
        List<Row> left = new java.util.ArrayList<>();
        try {
            org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(dir);
            org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> files =
                    root.getFileSystem(spark.sparkContext().hadoopConfiguration()).listFiles(root, true);
            while (files.hasNext()) {
                org.apache.hadoop.fs.LocatedFileStatus f = files.next();
                if (!listed.contains(f.getPath().toString())) {
                    left.add(RowFactory.create(f.getPath().toString(), f.getLen()));
                }
            }
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, dir + " cannot be listed: " + e.getMessage(), e);
        }
        return left;
    }

    /**
     * Every regular file under a local folder (or the local file itself), walked as {@code scan} walks it, or null
     * when {@code dir} is not a local path that exists (then Spark's file source lists it, or says it is missing).
     * Not Spark's listing: its file index leaves out names that begin with {@code _} or {@code .} (its own outputs'
     * markers), so an upload named {@code _a.jpg} or {@code .a.jpg} had no row at all, where {@code scan} checks it;
     * and resolving the binaryFile source only to read its listing cost each job the analysis of a data source.
     * A path without a scheme is local only where the job's default file system is ({@code fs.defaultFS}).
     */
    private static List<LocalFile> localFiles(SparkSession spark, String dir) {
        org.apache.hadoop.fs.Path hadoopPath = new org.apache.hadoop.fs.Path(dir);
        String scheme = hadoopPath.toUri().getScheme();
        if (scheme == null) {
            scheme = FileSystem.getDefaultUri(spark.sparkContext().hadoopConfiguration()).getScheme();
        }
        if (scheme != null && !scheme.equals("file")) {
            return null;
        }
        Path root = Path.of(hadoopPath.toUri().getPath()).toAbsolutePath().normalize();
        if (!Files.exists(root)) {
            return null;
        }
        List<LocalFile> files = new java.util.ArrayList<>();
        try {
            // scan's walk (Files.walk, links to folders not followed, Files.isRegularFile) with each file's size from
            // the same directory read instead of a second stat a file
            Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes a)
                        throws IOException {
                    if (a.isRegularFile()) {
                        files.add(new LocalFile(f, a.size()));
                    } else if (a.isSymbolicLink() && Files.isRegularFile(f)) {
                        files.add(new LocalFile(f, Files.size(f)));
                    }
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, dir + " cannot be read: " + e.getMessage(), e);
        }
        files.sort(java.util.Comparator.comparing(LocalFile::path));
        return files;
    }

    /** A local file of the listing and its size. */
    private record LocalFile(Path path, long size) {}

    /**
     * At most this many files a task when a local folder is scanned from its listing: a task's fixed cost (its closure
     * and the write job's Hadoop configuration deserialized, a Parquet file opened, flushed and committed: about 20 ms
     * in a profile, docs/SCALE.md) then weighs under 0.03 ms a file, and a failed task repeats at most this much work.
     */
    static final int FILES_PER_TASK = 1000;

    /**
     * The result rows of local files, read by path as {@link #detectPaths} reads them, in {@code max(tasksPerCore x the
     * default parallelism, files / FILES_PER_TASK)} tasks (at most one a file): a local folder's files need no file source at
     * all. Spark's file source packs small files by bytes (128 MB a task, each file counted as its size plus 1-4 MB),
     * which for a folder of 50 KB uploads made a task per 30-120 files, each paying the per-task cost above, and opened
     * each file's status again on the executor (Hadoop's getFileStatus) before our reader opened it once more. Several
     * tasks a core keep a core busy while a slow task ends ({@link #tasksPerCore}). Each task carries its files as two arrays ({@link
     * Slice}), and the rows are made straight from them: an RDD turned into the result once, instead of a dataset of
     * (path, length) rows mapped by an encoder into the result, whose analysis, planning and code generation the driver
     * paid on every job (a fixed cost that weighs on a job of a few thousand files, docs/SCALE.md). The path is Spark's
     * name for a local file, {@code file:} and the absolute path.
     */
    private static Dataset<Row> fromListing(SparkSession spark, List<LocalFile> files, ScanSettings settings) {
        long wanted = Math.max((long) tasksPerCore(settings) * spark.sparkContext().defaultParallelism(),
                Math.ceilDiv(files.size(), FILES_PER_TASK));
        int slices = (int) Math.max(1, Math.min(files.size(), wanted));
        List<Slice> parts = new java.util.ArrayList<>(slices);
        for (int i = 0; i < slices; i++) {
            // the same split as parallelize: slice i holds files [i * n / slices, (i + 1) * n / slices)
            int from = (int) ((long) i * files.size() / slices);
            int to = (int) ((long) (i + 1) * files.size() / slices);
            String[] paths = new String[to - from];
            long[] lengths = new long[to - from];
            for (int j = from; j < to; j++) {
                paths[j - from] = "file:" + files.get(j).path();
                lengths[j - from] = files.get(j).size();
            }
            parts.add(new Slice(paths, lengths));
        }
        JavaRDD<Slice> tasks = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(parts, slices);
        if (spark instanceof org.apache.spark.sql.classic.SparkSession classic) {
            return classic.internalCreateDataFrame(uncheckedRdd(tasks.mapPartitions(new FromSlices(settings, true)).rdd()),
                    SCHEMA, false);
        }
        return spark.createDataFrame(JavaRDD.fromRDD(uncheckedRdd(tasks.mapPartitions(new FromSlices(settings, false)).rdd()),
                scala.reflect.ClassTag$.MODULE$.apply(Row.class)), SCHEMA);
    }

    /**
     * Tasks a core at least, for a folder too small for {@link #FILES_PER_TASK} to split: two for metadata-only
     * detection (about half a millisecond a file, where a task's own 10-25 ms of deserialization and Parquet file
     * weigh), four when pixels are checked (tens of milliseconds a file: there a core left idle at the end by a few
     * coarse tasks weighs more; 4 tasks of 31 files left one idle for a third of a pass, docs/SCALE.md).
     */
    static int tasksPerCore(ScanSettings settings) {
        return settings.detector().metadataOnly() ? 2 : 4;
    }

    @SuppressWarnings("unchecked")
    private static <T> org.apache.spark.rdd.RDD<T> uncheckedRdd(org.apache.spark.rdd.RDD<?> rdd) {
        return (org.apache.spark.rdd.RDD<T>) rdd;
    }

    /**
     * The result rows in Spark's internal form, encoded by this task thread's serializer. {@code createDataFrame}
     * ships one serializer in each task's closure, and each task then generated the encoder's code for the nested
     * result schema anew (the code's compiled class is cached, the generation is not): about 40 ms a task, 12% of a
     * metadata-only executor's samples (docs/SCALE.md). A serializer per executor thread generates it once a thread;
     * its result row is reused from row to row, as {@code createDataFrame}'s is (the writer consumes each row before
     * the next). {@code internalCreateDataFrame} is Spark's {@code private[sql]} (public in the bytecode), the call
     * {@code createDataFrame} makes itself: a Spark upgrade that changes it fails this module's build, not a job.
     */
    private static final ThreadLocal<scala.Function1<Row, org.apache.spark.sql.catalyst.InternalRow>> TO_INTERNAL =
            ThreadLocal.withInitial(() -> org.apache.spark.sql.catalyst.encoders.ExpressionEncoder.apply(SCHEMA).createSerializer());

    /** A task's files: their Spark names and lengths. */
    private record Slice(String[] paths, long[] lengths) implements java.io.Serializable {
        Iterator<Row> rows() {
            return java.util.stream.IntStream.range(0, paths.length)
                    .mapToObj(i -> (Row) RowFactory.create(paths[i], lengths[i])).iterator();
        }
    }

    /** The result rows of a task's {@link Slice}s, each file read by path; {@code internal}: as Spark's internal rows. */
    private record FromSlices(ScanSettings settings, boolean internal) implements FlatMapFunction<Iterator<Slice>, Object> {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public Iterator<Object> call(Iterator<Slice> slices) {
            Iterator<Row> rows = rows(slices);
            if (!internal) {
                return (Iterator) rows;
            }
            scala.Function1<Row, org.apache.spark.sql.catalyst.InternalRow> toInternal = TO_INTERNAL.get();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public Object next() {
                    return toInternal.apply(rows.next());
                }
            };
        }

        private Iterator<Row> rows(Iterator<Slice> slices) {
            Iterator<Row> files = new Iterator<>() {
                private Iterator<Row> current = java.util.Collections.emptyIterator();

                @Override
                public boolean hasNext() {
                    while (!current.hasNext() && slices.hasNext()) {
                        current = slices.next().rows();
                    }
                    return current.hasNext();
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    return current.next();
                }
            };
            return new FromPaths(settings).call(files);
        }
    }

    private static final StructType PATH_AND_LENGTH = new StructType()
            .add("path", DataTypes.StringType, false).add("length", DataTypes.LongType, false);

    /** A file source's listing (its file index, which the driver holds anyway), or null for another kind of source. */
    private static List<FileStatus> listing(Dataset<Row> files) {
        if (files instanceof org.apache.spark.sql.classic.Dataset<Row> classic
                && classic.queryExecution().analyzed() instanceof LogicalRelation relation
                && relation.relation() instanceof HadoopFsRelation fs
                && fs.location() instanceof PartitioningAwareFileIndex index) {
            return CollectionConverters.asJava(index.allFiles());
        }
        return null;
    }

    private static long inRowCap(ScanSettings settings) {
        return Math.min(settings.maxRowBytes(), settings.maxFileBytes());
    }

    /** The rows of the files up to {@link #inRowCap}, checked from their row's bytes. */
    private static Dataset<Row> fromBytes(Dataset<Row> binaryFiles, ScanSettings settings) {
        return binaryFiles.where(col("length").leq(inRowCap(settings))).select("path", "length", "content")
                .mapPartitions(new FromBytes(settings), Encoders.row(SCHEMA));
    }

    /**
     * One result row per file of a {@code binaryFile} dataset (columns {@code path}, {@code length}, {@code content}).
     * Files up to {@link ScanSettings#maxRowBytes()} are checked from their row's bytes; larger ones are never read
     * into a row (the size filter reaches the file source, which then skips their content) but by the executor from
     * their path, as {@link #detectPaths} does; files over {@link ScanSettings#maxFileBytes()} are error rows.
     */
    public static Dataset<Row> detect(Dataset<Row> binaryFiles, ScanSettings settings) {
        Dataset<Row> large = detectPaths(binaryFiles.where(not(col("length").leq(inRowCap(settings)))).select("path", "length"),
                settings);
        return fromBytes(binaryFiles, settings).union(large);
    }

    /**
     * One result row per path of {@code paths} (a column {@code path}: a local path or a URI of any file system the
     * executors' Hadoop configuration reaches; an optional column {@code length}), each file read by the executor:
     * a local file from disk (MP4/MOV and Matroska with bounded memory), any other copied to a local temporary file
     * first (deleted after). For files too big for one row, or a listing the job made itself.
     */
    public static Dataset<Row> detectPaths(Dataset<Row> paths, ScanSettings settings) {
        Dataset<Row> withLength = Arrays.asList(paths.columns()).contains("length") ? paths : paths.withColumn("length", lit(-1L));
        return withLength.select(col("path").cast("string"), col("length").cast("long"))
                .mapPartitions(new FromPaths(settings), Encoders.row(SCHEMA));
    }

    /**
     * Closes the detectors this JVM built (the driver's in local mode); the next scan builds them again. Executors
     * close theirs when they end; a job's main calls this before it returns.
     */
    public static void closeDetectors() {
        ExecutorDetector.closeAll();
    }

    /** Scans the bytes of binaryFile rows (path, length, content). */
    private record FromBytes(ScanSettings settings) implements MapPartitionsFunction<Row, Row> {
        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            return perFile(rows, settings, (detector, r) -> {
                String path = r.getString(0);
                byte[] content = r.getAs(2);
                return ResultRows.of(path, content.length, ReportJson.toNode(detector.detect(content, reportName(path), false)),
                        settings.withReport());
            });
        }
    }

    /** Scans files named by path (path, length), reading them on the executor. */
    private record FromPaths(ScanSettings settings) implements MapPartitionsFunction<Row, Row> {
        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            return perFile(rows, settings, (detector, r) -> {
                String path = r.getString(0);
                Path local = plainLocalPath(path);
                org.apache.hadoop.fs.Path hadoopPath = local == null ? new org.apache.hadoop.fs.Path(path) : null;
                if (local != null || isLocalOnExecutor(hadoopPath)) {
                    if (local == null) {
                        local = Path.of(hadoopPath.toUri().getPath());
                    }
                    long size = size(r, local);
                    requireUnderCap(size, settings);
                    return ResultRows.of(path, size, ReportJson.toNode(detector.detect(local, local.toString(), false)),
                            settings.withReport());
                }
                return fromRemote(detector, path, hadoopPath, r, settings);
            });
        }

        private static long size(Row r, Path local) {
            long given = r.isNullAt(1) ? -1 : r.getLong(1);
            if (given >= 0) {
                return given;
            }
            try {
                return Files.size(local);
            } catch (IOException e) {
                throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "cannot read " + local + ": " + e.getMessage(), e);
            }
        }

        /** A file on another file system (HDFS, S3...): copied to a local temporary file, at most the cap. */
        private static Row fromRemote(Detector detector, String path, org.apache.hadoop.fs.Path hadoopPath, Row r,
                                      ScanSettings settings) {
            Path tmp = null;
            try {
                FileSystem fs = hadoopPath.getFileSystem(hadoopConf());
                long size = fs.getFileStatus(hadoopPath).getLen();
                requireUnderCap(size, settings);
                tmp = Files.createTempFile("aigcmark-spark-", ".bin");
                try (InputStream in = fs.open(hadoopPath); OutputStream out = Files.newOutputStream(tmp)) {
                    long copied = in.transferTo(out);
                    requireUnderCap(copied, settings); // the file grew while we read it
                }
                return ResultRows.of(path, size, ReportJson.toNode(detector.detect(tmp, path, false)), settings.withReport());
            } catch (IOException e) {
                throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "cannot read " + path + ": " + e.getMessage(), e);
            } finally {
                if (tmp != null) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException e) {
                        // the executor's temp folder goes with the container
                    }
                }
            }
        }
    }

    /** The last Spark configuration {@link #hadoopConf} was made from, and what it made. */
    private static volatile Object[] hadoopConfOf = {null, null};

    /**
     * The executor's Hadoop configuration as Spark's own readers get it: with the job's {@code spark.hadoop.*}
     * settings (S3 endpoint and credentials provider, {@code fs.defaultFS}...), which a bare {@code new Configuration()}
     * lacks. Made once per Spark configuration (an executor has one; local-mode tests start several sessions).
     */
    private static Configuration hadoopConf() {
        SparkEnv env = SparkEnv.get();
        if (env == null) {
            return new Configuration(); // not in a Spark JVM
        }
        Object[] last = hadoopConfOf;
        if (last[0] != env.conf()) {
            last = new Object[] {env.conf(), SparkHadoopUtil.get().newConfiguration(env.conf())};
            hadoopConfOf = last;
        }
        return (Configuration) last[1];
    }

    /**
     * The local file that Spark's name {@code file:/...} (no authority: how a local listing names files) stands for,
     * or null for any other path, which Hadoop's {@code Path} then parses. Hadoop writes a local file's name as
     * {@code file:} and the path as it is, characters unescaped, so the rest is the path; parsing it with Hadoop's
     * {@code Path} (a URI made and decoded again) cost a metadata-only task a few per cent.
     */
    static Path plainLocalPath(String sparkPath) {
        if (sparkPath.startsWith("file:/") && !sparkPath.startsWith("file://")) {
            String p = sparkPath.substring("file:".length());
            // Hadoop's Path normalises "//", a trailing "/" and "." or ".." segments: leave such names to it
            if (!p.contains("//") && !p.endsWith("/") && !p.contains("/./") && !p.contains("/../") && !p.endsWith("/.")
                    && !p.endsWith("/..")) {
                return Path.of(p);
            }
        }
        return null;
    }

    /**
     * Whether a path of the path route names a local file: {@code file:}, or no scheme where the job's default file
     * system is the local one (with {@code fs.defaultFS} on HDFS, {@code /uploads/a.jpg} is on HDFS, as Spark reads it).
     */
    private static boolean isLocalOnExecutor(org.apache.hadoop.fs.Path path) {
        String scheme = path.toUri().getScheme();
        if (scheme == null) {
            scheme = FileSystem.getDefaultUri(hadoopConf()).getScheme();
        }
        return scheme == null || scheme.equals("file");
    }

    /**
     * What the report and its messages call a file: a local file by its path, as {@code scan} does (so the reports
     * are the same), any other by Spark's name for it.
     */
    static String reportName(String sparkPath) {
        java.net.URI uri = new org.apache.hadoop.fs.Path(sparkPath).toUri();
        return uri.getScheme() == null || uri.getScheme().equals("file") ? uri.getPath() : sparkPath;
    }

    private static void requireUnderCap(long size, ScanSettings settings) {
        if (size > settings.maxFileBytes()) {
            throw AigcmarkException.limit("the file has " + size + " bytes, over --max-file-bytes " + settings.maxFileBytes());
        }
    }

    /** What one input row becomes, given the executor's detector; anything it throws becomes an error row. */
    private interface PerFile {
        Row apply(Detector detector, Row input);
    }

    /**
     * The rows, one per input row, made lazily (a partition streams). A file that fails (bad bytes, a parser's
     * limit, a check that runs out of stack or memory on a hostile file, natives that fail to load) is an error row;
     * so is every file of a
     * partition whose executor cannot build its detector.
     */
    private static Iterator<Row> perFile(Iterator<Row> rows, ScanSettings settings, PerFile scan) {
        // the executor's detector is looked up once a partition, not once a row (the settings' hash and equals on
        // every file were a few per cent of a metadata-only task); a build that fails is tried again by the next task
        Object[] detectorOrError = {null};
        Function<Row, Row> one = r -> {
            String path = r.getString(0);
            long size = r.isNullAt(1) ? -1 : r.getLong(1);
            if (size > settings.maxFileBytes()) {
                return ResultRows.error(path, size, AigcmarkException.limit("the file has " + size
                        + " bytes, over --max-file-bytes " + settings.maxFileBytes()));
            }
            if (detectorOrError[0] == null) {
                try {
                    detectorOrError[0] = ExecutorDetector.get(settings.detector());
                } catch (RuntimeException e) {
                    detectorOrError[0] = e;
                }
            }
            if (detectorOrError[0] instanceof RuntimeException e) {
                return ResultRows.error(path, size, "the detector could not be built on this executor: " + e.getMessage(),
                        e instanceof AigcmarkException a ? a.reason().name() : "INTERNAL");
            }
            try {
                return scan.apply((Detector) detectorOrError[0], r);
            } catch (RuntimeException | LinkageError | StackOverflowError | OutOfMemoryError e) {
                // a hostile file's parser out of stack, one allocation too big, a plug-in whose natives do not load
                // here: that file's row, and the executor goes on with the next
                return ResultRows.error(path, size, e);
            }
        };
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Row next() {
                return one.apply(rows.next());
            }
        };
    }
}
