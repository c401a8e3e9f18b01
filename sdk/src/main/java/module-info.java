/**
 * The aigcmark sdk: labels AI-generated content (GB 45438-2025) and detects such labels. Every package is exported
 * but {@code org.aigcmark.internal}, the sdk's own helpers (docs/ARCHITECTURE.md, "The public API").
 */
module org.aigcmark.sdk {
    requires transitive java.desktop;
    requires java.xml;
    requires java.management; // DetectionTimings: thread CPU time
    requires java.net.http; // C2paTimeStamps: the RFC 3161 request to a time-stamp authority
    requires transitive com.fasterxml.jackson.databind; // ReportJson hands out ObjectNode
    requires com.fasterxml.jackson.dataformat.cbor;
    requires com.twelvemonkeys.imageio.webp; // the WebP reader ImageIO finds for WebpPixels
    // Optional at run time: the kernels use it only when the JVM runs with --add-modules jdk.incubator.vector.
    requires static jdk.incubator.vector;

    exports org.aigcmark;
    exports org.aigcmark.audio;
    exports org.aigcmark.detection;
    exports org.aigcmark.detection.forensic;
    exports org.aigcmark.format;
    exports org.aigcmark.format.audio;
    exports org.aigcmark.format.avi;
    exports org.aigcmark.format.c2pa;
    exports org.aigcmark.format.exif;
    exports org.aigcmark.format.flv;
    exports org.aigcmark.format.gif;
    exports org.aigcmark.format.jpeg;
    exports org.aigcmark.format.markdown;
    exports org.aigcmark.format.mkv;
    exports org.aigcmark.format.mp4;
    exports org.aigcmark.format.png;
    exports org.aigcmark.format.tiff;
    exports org.aigcmark.format.webp;
    exports org.aigcmark.format.xmp;
    exports org.aigcmark.io;
    exports org.aigcmark.key;
    exports org.aigcmark.label;
    exports org.aigcmark.report;
    exports org.aigcmark.text;
    exports org.aigcmark.text.watermark;
    exports org.aigcmark.visible;
    exports org.aigcmark.watermark;

    // the optional artifacts, each found through ServiceLoader (docs/ARCHITECTURE.md, "The picture")
    uses org.aigcmark.MediaLabeler;
    uses org.aigcmark.detection.MediaCheck;
    uses org.aigcmark.format.FormatHandlerProvider;
    uses org.aigcmark.format.webp.WebpEncoder;
    uses org.aigcmark.format.webp.WebpDecoder;
    uses org.aigcmark.format.jpeg.JpegDecoder;
    uses org.aigcmark.format.png.ZlibInflater;
    uses org.aigcmark.label.SignatureProvider;
    uses org.aigcmark.text.TokenizerProvider;
    uses org.aigcmark.watermark.RowKernels;
}
