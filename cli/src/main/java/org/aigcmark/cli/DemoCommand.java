package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.LabelResult;
import org.aigcmark.Labeler;
import org.aigcmark.io.AtomicFiles;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.label.SignatureAlgorithm;
import org.aigcmark.report.ReportJson;
import org.aigcmark.visible.VisibleLabelOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Label a bundled real photo (SpaceX DSCOVR launch, public domain) with the AIGC record, a visible",
                "label and a signature made with a fresh Ed25519 key, then print its inspect report. No setup needed."})
public final class DemoCommand implements Callable<Integer> {
    static final String SAMPLE = "/org/aigcmark/cli/demo/rocket.jpg";
    /** A well-formed but fictitious provider code: 00, subject type 1, USCC-shaped id, service 1 (generation). */
    static final String DEMO_PRODUCER = "001191110000DEMO00000X10001";

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Where to write the labelled photo (default: a temp folder).")
    Path out;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        byte[] sample;
        try (InputStream in = DemoCommand.class.getResourceAsStream(SAMPLE)) {
            sample = in.readAllBytes();
        }
        Path target = out != null ? out : Files.createTempDirectory("aigcmark-demo").resolve("rocket-labelled.jpg");
        var pair = LabelKeys.generate(SignatureAlgorithm.ED25519);
        var key = new LabelKeys.SigningKey(SignatureAlgorithm.ED25519, pair.getPrivate(), pair.getPublic());
        Labeler labeler = Labeler.create();
        LabelResult r = labeler.label(sample, LabelRequest.produced(DEMO_PRODUCER, "demo-" + System.currentTimeMillis())
                .withVisible(VisibleLabelOptions.defaults()).withSigningKey(key));
        AtomicFiles.write(target, r.bytes());
        var o = spec.commandLine().getOut();
        if (!json) {
            o.println("labelled the bundled sample photo -> " + target);
            r.visible().ifPresent(p -> o.printf("visible label \"%s\" at %s, glyph height %.1f%% of the shortest side%n",
                    VisibleLabelOptions.DEFAULT_TEXT, p.position().name().toLowerCase(java.util.Locale.ROOT), p.heightRatio() * 100));
            o.println();
            o.println("aigcmark inspect " + target + " (with the demo public key):");
        }
        InspectReport report = labeler.inspect(target, List.of(pair.getPublic()));
        o.print(json ? ReportJson.toJson(report) + "\n" : ReportJson.toText(report));
        return ExitCodes.OK;
    }
}
