package org.aigcmark.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.aigcmark.LabelResult;
import org.aigcmark.Labeler;
import org.aigcmark.PropagateRequest;
import org.aigcmark.label.LabelKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "propagate", mixinStandardHelpOptions = true,
        description = {"Platform duty (Measures Art. 6): write ContentPropagator and PropagateID (and Label 2 or 3 when",
                "the file has no producer record) into the file's one AIGC record, optionally signed into ReservedCode2."})
public final class PropagateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN")
    Path in;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT")
    Path out;

    @Option(names = "--propagator", required = true, paramLabel = "CODE", description = "ContentPropagator: the platform's provider code")
    String propagator;

    @Option(names = "--propagate-id", required = true, paramLabel = "ID", description = "PropagateID: the platform's id for this content")
    String propagateId;

    @Option(names = "--label", paramLabel = "2|3", description = "2 = user declared AI, 3 = suspected AI (required when the file has no record)")
    String label;

    @Option(names = "--sign-key", paramLabel = "PEM", description = "sign into ReservedCode2 with this private key")
    Path signKey;

    @Option(names = "--in-place", description = "allow OUT to be IN (written atomically)")
    boolean inPlace;

    @Override
    public Integer call() {
        if (label != null && !label.equals("2") && !label.equals("3") && !label.equals("1")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--label must be 2 or 3, got " + label);
        }
        Labeler labeler = Labeler.create();
        OutputPaths.check(spec.commandLine(), in, out, inPlace, labeler.readHead(in));
        PropagateRequest req = PropagateRequest.of(propagator, propagateId);
        if (label != null) {
            req = req.withLabel(label);
        }
        if (signKey != null) {
            req = req.withSigningKey(LabelKeys.readSigningKey(signKey));
        }
        LabelResult r = labeler.propagate(in, out, req); // MP4/MKV stream from disk; written atomically
        var o = spec.commandLine().getOut();
        o.println("wrote " + out + " (" + r.format() + "): AIGC record " + r.label().toBareJson());
        r.notes().forEach(n -> o.println("  note: " + n));
        return ExitCodes.OK;
    }
}
