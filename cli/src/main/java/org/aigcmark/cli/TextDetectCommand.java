package org.aigcmark.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.text.ExplicitLabelDetector;
import org.aigcmark.text.ExplicitLabelFinding;
import org.aigcmark.text.InvisibleCharacterFinding;
import org.aigcmark.text.InvisibleCharacterScanner;
import org.aigcmark.text.Tokenizers;
import org.aigcmark.text.TextFiles;
import org.aigcmark.text.Tokenizer;
import org.aigcmark.text.watermark.WatermarkConfig;
import org.aigcmark.text.watermark.WatermarkDetection;
import org.aigcmark.text.watermark.WatermarkDetector;
import org.aigcmark.text.watermark.WatermarkScheme;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "detect", mixinStandardHelpOptions = true,
        description = {"Looks for AI labels in a plain UTF-8 text file: explicit label prompts, invisible characters",
                "(zero-width, bidi, variation selectors, homoglyphs) and, with --key, the generation-time watermark."})
public final class TextDetectCommand implements Callable<Integer> {
    enum Scheme { kgw, gumbel }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The text file (UTF-8), or - for standard input.")
    Path file;

    @Option(names = "--key", paramLabel = "K", description = "The watermark key file; without it the watermark is not tested.")
    Path key;

    @Option(names = "--scheme", defaultValue = "kgw", description = "The watermark scheme: kgw or gumbel (default: ${DEFAULT-VALUE}).")
    Scheme scheme;

    @Option(names = "--tokenizer", defaultValue = "o200k_base", description = "The tokenizer: o200k_base or cl100k_base (default: ${DEFAULT-VALUE}).")
    String tokenizer;

    @Option(names = "--json", description = "Print a JSON report.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        WatermarkKey k = key == null ? null : WatermarkKey.read(key);
        Tokenizer tok = Tokenizers.byName(tokenizer);
        String text;
        try (StdStreams.Input input = StdStreams.input(spec, file)) { // "-": standard input
            text = TextFiles.readUtf8(input.path());
        }
        List<ExplicitLabelFinding> labels = new ExplicitLabelDetector().find(text);
        InvisibleCharacterScanner.Report invisible = new InvisibleCharacterScanner().scan(text);
        WatermarkDetection wm = null;
        if (k != null) {
            WatermarkConfig config = WatermarkConfig.of(scheme == Scheme.gumbel ? WatermarkScheme.GUMBEL : WatermarkScheme.KGW);
            wm = new WatermarkDetector(k, config).detect(text, tok);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("file", file.toString());
            root.put("chars", text.length());
            if (wm != null) {
                Map<String, Object> w = new LinkedHashMap<>();
                w.put("scheme", wm.scheme().name().toLowerCase(java.util.Locale.ROOT));
                w.put("status", wm.status().name());
                w.put("detected", wm.detected());
                w.put("z", finite(wm.z()));
                w.put("pValue", wm.pValue());
                w.put("tokens", wm.tokens());
                w.put("tokensScored", wm.tokensScored());
                w.put("windowsTested", wm.windowsTested());
                w.put("windowStartToken", wm.windowStart());
                w.put("windowEndToken", wm.windowEnd());
                w.put("documentZ", finite(wm.documentZ()));
                w.put("documentPValue", wm.documentPValue());
                w.put("falsePositiveRate", wm.threshold());
                w.put("tokenizer", tok.name());
                w.put("keyFingerprint", k.fingerprint());
                root.put("watermark", w);
            } else {
                root.put("watermark", null);
            }
            List<Map<String, Object>> l = new ArrayList<>();
            for (ExplicitLabelFinding f : labels) {
                l.add(Map.of("start", f.start(), "end", f.end(), "text", f.text(), "location", f.location().name()));
            }
            root.put("explicitLabels", l);
            List<Map<String, Object>> inv = new ArrayList<>();
            for (InvisibleCharacterFinding f : invisible.findings()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("index", f.index());
                m.put("length", f.length());
                m.put("kind", f.kind().name());
                m.put("codePoint", f.codePointHex());
                m.put("detail", f.detail());
                inv.add(m);
            }
            root.put("invisibleCharacters", inv);
            root.put("invisibleCharactersTotal", invisible.total());
            Map<String, Object> zwm = new LinkedHashMap<>();
            List<String> payloads = org.aigcmark.text.ZeroWidthMark.payloads(text);
            zwm.put("count", payloads.size());
            zwm.put("tags", payloads.stream().distinct().limit(20).toList());
            zwm.put("matchesKey", k == null ? null : payloads.contains(new org.aigcmark.text.ZeroWidthMark(k).tagHex()));
            root.put("zeroWidthMarks", zwm);
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
        } else {
            if (wm == null) {
                out.println("watermark: not tested (give --key)");
            } else if (wm.status() == WatermarkDetection.Status.INSUFFICIENT_TEXT) {
                out.printf("watermark: insufficient text (%d distinct tokens scored, need %d)%n", wm.tokensScored(),
                        WatermarkConfig.of(wm.scheme()).minTokens());
            } else {
                out.printf(java.util.Locale.ROOT, "watermark: %s (%s, z = %.2f, p = %.3g after %d windows, %d tokens, %d scored, strongest window tokens %d..%d)%n",
                        wm.detected() ? "DETECTED" : "not detected", wm.scheme(), wm.z(), wm.pValue(), wm.windowsTested(),
                        wm.tokens(), wm.tokensScored(), wm.windowStart(), wm.windowEnd());
            }
            out.println("explicit labels: " + (labels.isEmpty() ? "none" : labels.size()));
            for (ExplicitLabelFinding f : labels) {
                out.printf("  %s at %d..%d: %s%n", f.location(), f.start(), f.end(), f.text());
            }
            out.println("invisible characters: " + (invisible.total() == 0 ? "none" : invisible.total()));
            List<String> payloads = org.aigcmark.text.ZeroWidthMark.payloads(text);
            if (!payloads.isEmpty()) {
                out.println("zero-width marks: " + payloads.size() + (k == null ? ""
                        : payloads.contains(new org.aigcmark.text.ZeroWidthMark(k).tagHex()) ? " (made with this key)" : " (not this key)"));
            }
            for (InvisibleCharacterFinding f : invisible.findings().subList(0, Math.min(20, invisible.findings().size()))) {
                out.printf("  %s at %d: %s %s%n", f.kind(), f.index(), f.codePointHex(), f.detail());
            }
        }
        return ExitCodes.OK;
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
