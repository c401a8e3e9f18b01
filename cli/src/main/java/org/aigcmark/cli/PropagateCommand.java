package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

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
        description = "Platform duty (CAC Measures Art. 6): writes ContentPropagator and PropagateID (and Label 2 or 3"
                + " when the file has no producer record) into the file's one GB 45438 Annex E record, optionally signed"
                + " into ReservedCode2. The producer's fields are kept; no label is ever removed.")
public final class PropagateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "IN",
            description = "The file the platform received (image, video or document, chosen by content); - reads standard input.")
    Path in;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT",
            description = "Where to write the copy that carries the platform's fields (same format as IN); - writes to standard"
                    + " output, and messages then go to standard error.")
    Path out;

    @Option(names = "--propagator", required = true, paramLabel = "CODE", description = "ContentPropagator (GB 45438 Annex E): the"
            + " platform's 27-character service provider code (TC260-PG-20252A), naming who spreads the content.")
    String propagator;

    @Option(names = "--propagate-id", required = true, paramLabel = "ID", description = "PropagateID (GB 45438 Annex E): the"
            + " platform's unique id for this content, such as its upload or post id.")
    String propagateId;

    @Option(names = "--label", paramLabel = "2|3", description = "The Label value: 2"
            + " (possibly AI: the uploader declared it AI-generated) or 3 (suspected AI: the platform found traces). Required when"
            + " the file has no record; with a record its Label is kept unless this is given.")
    String label;

    @Option(names = "--sign-key", paramLabel = "PEM", description = "Sign the propagation fields into"
            + " ReservedCode2 with this private key (Ed25519 or SM2), so that anyone with the public key can verify the platform's entry.")
    Path signKey;

    @Option(names = "--in-place", description = "Allow OUT to be IN (written atomically); not with -.")
    boolean inPlace;

    @Option(names = "--c2pa", description = "Also sign the platform's C2PA manifest (JPEG, PNG, WebP, MP4/MOV): c2pa.opened"
            + " on the received file (its manifest, if any, kept as the parentOf ingredient), then c2pa.published; the"
            + " record with the platform's fields; a hard binding over the output. Needs --c2pa-cert and --c2pa-key.")
    boolean c2pa;

    @Option(names = "--c2pa-cert", paramLabel = "CHAIN.pem", description = "The platform's C2PA signer certificate, then its chain (PEM).")
    Path c2paCert;

    @Option(names = "--c2pa-key", paramLabel = "KEY.pem", description = "The C2PA signer's private key (PKCS#8 PEM, P-256 or Ed25519).")
    Path c2paKey;

    @Option(names = "--c2pa-tsa", paramLabel = "URL", description = "An RFC 3161 time-stamp authority for the C2PA claim"
            + " signature. None by default. With --c2pa only.")
    java.net.URI c2paTsa;

    @Override
    public Integer call() {
        StdStreams.refuseInPlace(spec, inPlace, in, out);
        // "-": standard input and output go through temp files, so the file paths below serve them unchanged
        try (StdStreams.Input input = StdStreams.input(spec, in); StdStreams.Output output = StdStreams.output(spec, out)) {
            int code = propagate(input, output.path(), StdStreams.isDash(out) ? "standard output" : out.toString());
            output.send();
            return code;
        }
    }

    private Integer propagate(StdStreams.Input input, Path out, String shownOut) {
        if (label != null && !label.equals("2") && !label.equals("3") && !label.equals("1")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--label must be 2 or 3, got " + label);
        }
        Labeler labeler = Labeler.create();
        OutputPaths.check(spec.commandLine(), input.path(), out, inPlace, labeler.readHead(input.path()));
        PropagateRequest req = PropagateRequest.of(propagator, propagateId);
        if (label != null) {
            req = req.withLabel(label);
        }
        if (signKey != null) {
            req = req.withSigningKey(LabelKeys.readSigningKey(signKey));
        }
        if (c2pa != (c2paCert != null) || c2pa != (c2paKey != null) || (c2paTsa != null && !c2pa)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--c2pa needs both --c2pa-cert CHAIN.pem and"
                    + " --c2pa-key KEY.pem, and they (and --c2pa-tsa) apply only with --c2pa");
        }
        if (c2pa) {
            var signing = org.aigcmark.format.c2pa.C2paSigning.fromPemFiles(c2paCert, c2paKey);
            req = req.withC2pa(c2paTsa == null ? signing : signing.withTimeStampAuthority(c2paTsa));
        }
        LabelResult r = labeler.propagate(input.path(), out, req); // MP4/MKV stream from disk; written atomically
        var o = spec.commandLine().getOut(); // standard error while standard output carries the file
        o.println("wrote " + shownOut + " (" + r.format().id() + "): AIGC record " + r.label().toBareJson());
        r.notes().forEach(n -> o.println("  note: " + n));
        return ExitCodes.OK;
    }
}
