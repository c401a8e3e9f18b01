package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.aigcmark.text.ExplicitTextLabel;
import org.aigcmark.text.LabelPosition;
import org.aigcmark.text.TextFiles;
import org.aigcmark.text.TextLanguage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "label", mixinStandardHelpOptions = true,
        description = {"Adds a visible AI-generated label to a plain UTF-8 text file (GB 45438-2025 5.1).",
                "Plain text has no metadata slot: the explicit label is its only label."})
public final class TextLabelCommand implements Callable<Integer> {
    enum Lang { zh, en, auto }

    enum Position { start, end, both }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN", description = "The input text file (UTF-8), or - for standard input.")
    Path in;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "The output file (written atomically), or - for standard output.")
    Path out;

    @Option(names = "--position", defaultValue = "both", description = "Where the label goes: start, end or both (default: ${DEFAULT-VALUE}).")
    Position position;

    @Option(names = "--middle", description = "Also label near the middle of long texts (2000 characters or more).")
    boolean middle;

    @Option(names = "--lang", defaultValue = "auto", description = "The label language: zh, en or auto (default: ${DEFAULT-VALUE}, from the content).")
    Lang lang;

    @Option(names = "--text", paramLabel = "T", description = "A custom label; it must contain AI/人工智能 and 生成/合成/generated.")
    String text;

    @Option(names = "--zero-width-key", paramLabel = "K",
            description = "Also embed a FRAGILE invisible zero-width mark keyed with this watermark key (any sanitiser removes it).")
    Path zeroWidthKey;

    @Option(names = "--in-place", description = "Allow OUT to be IN (written atomically); not with -.")
    boolean inPlace;

    @Override
    public Integer call() {
        StdStreams.refuseInPlace(spec, inPlace, in, out);
        if (!StdStreams.isDash(in) && !StdStreams.isDash(out)) {
            OutputPaths.refuseOverwritingInput(spec.commandLine(), in, out, inPlace);
        }
        org.aigcmark.text.ZeroWidthMark zw = zeroWidthKey == null ? null
                : new org.aigcmark.text.ZeroWidthMark(org.aigcmark.key.WatermarkKey.read(zeroWidthKey));
        ExplicitTextLabel label = text != null ? ExplicitTextLabel.custom(text) : null;
        String content;
        try (StdStreams.Input input = StdStreams.input(spec, in)) { // "-": standard input
            content = TextFiles.readUtf8(input.path());
        }
        if (label == null) {
            label = switch (lang) {
                case zh -> ExplicitTextLabel.defaults(TextLanguage.ZH);
                case en -> ExplicitTextLabel.defaults(TextLanguage.EN);
                case auto -> ExplicitTextLabel.forText(content);
            };
        }
        ExplicitTextLabel.Result result = label.relabel(content, LabelPosition.valueOf(position.name().toUpperCase(java.util.Locale.ROOT)), middle);
        String labelled = result.text();
        if (zw != null) {
            labelled = zw.embed(labelled);
        }
        StdStreams.write(spec, out, labelled.getBytes(StandardCharsets.UTF_8)); // "-": standard output
        StdStreams.messages(spec, out).println("wrote " + (StdStreams.isDash(out) ? "standard output" : out) + " with label \"" + label.text() + "\" at " + position
                + (middle ? " and middle" : "") + (zw != null ? ", plus a fragile zero-width mark (tag " + zw.tagHex() + ")" : "")
                + (result.replaced().isEmpty() ? "" : "; replaced " + result.replaced().size() + " existing prompt"
                        + (result.replaced().size() == 1 ? "" : "s") + " instead of adding more"));
        for (String note : result.notes()) {
            spec.commandLine().getErr().println("warning: " + note);
        }
        return ExitCodes.OK;
    }
}
