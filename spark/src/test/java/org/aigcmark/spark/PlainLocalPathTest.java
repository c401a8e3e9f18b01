package org.aigcmark.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The path route takes a local file's Spark name ({@code file:/...}) as its path without Hadoop's {@code Path}: it must
 * name the same file as Hadoop's parsing does, whatever characters the name holds, and leave to Hadoop the names it
 * would normalise.
 */
class PlainLocalPathTest {
    private static Path viaHadoop(String sparkName) {
        return Path.of(new org.apache.hadoop.fs.Path(sparkName).toUri().getPath());
    }

    @Test
    void aLocalNameIsTheFileHadoopWouldOpen() {
        for (String name : List.of("file:/data/uploads/a.jpg", "file:/data/up loads/a b.jpg", "file:/data/100%25/a%20b.jpg",
                "file:/data/x/a#b?.jpg", "file:/data/x/a:b.jpg", "file:/data/上传/图片 1.png", "file:/data/x/.hidden.jpg",
                "file:/data/x/_upload.jpg", "file:/a")) {
            assertEquals(viaHadoop(name), AigcScan.plainLocalPath(name), name);
        }
    }

    @Test
    void namesHadoopNormalisesOrThatAreNotLocalGoThroughHadoop() {
        for (String name : List.of("file:///data/a.jpg", "file://host/data/a.jpg", "file:/data//a.jpg", "file:/data/./a.jpg",
                "file:/data/../a.jpg", "file:/data/x/", "file:/data/x/.", "hdfs://nn:8020/a.jpg", "s3a://bucket/a.jpg",
                "/data/a.jpg", "relative/a.jpg")) {
            assertNull(AigcScan.plainLocalPath(name), name);
        }
    }
}
