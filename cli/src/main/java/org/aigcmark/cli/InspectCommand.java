package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.aigcmark.InspectReport;
import org.aigcmark.Labeler;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.report.ReportJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Read every AIGC label record in FILE (all slots and variants), verify signatures, and list",
                "other provenance hints (IPTC DigitalSourceType, generator metadata, C2PA manifests,",
                "validated against --c2pa-trust anchors).",
                "A damaged file is still reported as far as it could be read, and exits 3."})
public final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The file to inspect; - reads standard input.")
    Path file;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--public-key", paramLabel = "PUB", description = "A public key to verify signatures with (repeatable).")
    List<Path> publicKeys = new ArrayList<>();

    @Option(names = "--c2pa-trust", paramLabel = "PEM",
            description = "X.509 trust anchor(s) for C2PA signatures, PEM (repeatable); without one a correct manifest is 'untrusted'.")
    List<Path> c2paTrust = new ArrayList<>();

    @Override
    public Integer call() {
        try (StdStreams.Input input = StdStreams.input(spec, file)) { // "-": standard input
            return inspect(input.path(), input.name());
        }
    }

    private Integer inspect(Path file, String name) {
        List<PublicKey> keys = publicKeys.stream().map(LabelKeys::readPublicKey).toList();
        Labeler labeler = Labeler.create();
        InspectReport r = labeler.inspect(file, name, keys, org.aigcmark.format.c2pa.C2paValidator.fromPemFiles(c2paTrust));
        spec.commandLine().getOut().print(json ? ReportJson.toJson(r) + "\n" : ReportJson.toText(r));
        spec.commandLine().getOut().flush();
        if (r.damaged()) {
            spec.commandLine().getErr().println("aigcmark: " + name + " is damaged: " + r.problems().get(0));
            return ExitCodes.BAD_INPUT;
        }
        return ExitCodes.OK;
    }
}
