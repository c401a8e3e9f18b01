package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.aigcmark.AigcmarkException;
import org.aigcmark.detection.DetectionReport;
import org.aigcmark.detection.Detector;
import org.aigcmark.report.ReportJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "detect", mixinStandardHelpOptions = true,
        description = {"Run every check on each FILE and decide the platform label: 1 (labelled AI), 2 (user-declared),",
                "3 (suspected: traces found) or none. Checks: AIGC records and signatures, the aigcmark watermark",
                "(--key), the Stable Diffusion/SDXL watermark, IPTC DigitalSourceType, C2PA presence, generator metadata.",
                "Videos (MP4/MOV/MKV): the watermark per 2-s segment and the same pixel checks (OCR, --model, --forensic) on",
                "frames sampled every 0.5 s for the first 5 s, then every 2 s or more (at most 60 frames), aggregated per video."})
public final class DetectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The files to check; - reads standard input (once).")
    List<Path> files;

    @Option(names = "--json", description = "Print one JSON object per file (an array when several files are given).")
    boolean json;

    @picocli.CommandLine.Mixin
    DetectorOptions detectorOptions = new DetectorOptions();

    @Option(names = "--user-declared", description = "The uploader declared the content AI-generated (Label 2 when nothing stronger is found).")
    boolean userDeclared;

    @Override
    public Integer call() {
        if (files.stream().filter(StdStreams::isDash).count() > 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "- (standard input) can be given only once");
        }
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try (DetectorOptions opts = detectorOptions) {
            Detector detector = opts.build(err);
            return run(detector, out, err);
        }
    }

    private int run(Detector detector, java.io.PrintWriter out, java.io.PrintWriter err) {
        var array = ReportJson.MAPPER.createArrayNode();
        int code = ExitCodes.OK;
        for (Path arg : files) {
            try (StdStreams.Input input = StdStreams.input(spec, arg)) { // "-": standard input, reported as "-"
                Path f = input.path();
                DetectionReport r = input.isStdin() ? detector.detect(java.nio.file.Files.readAllBytes(f), input.name(), userDeclared)
                        : detector.detect(f, userDeclared);
                if (json) {
                    array.add(ReportJson.toNode(r));
                } else {
                    out.print(ReportJson.toText(r));
                }
                if (r.metadata().damaged()) {
                    err.println("aigcmark: " + arg + " is damaged: " + r.metadata().problems().get(0));
                    code = Math.max(code, ExitCodes.BAD_INPUT);
                }
            } catch (AigcmarkException e) {
                // One bad file never stops the others; it is reported and sets the exit code.
                err.println("aigcmark: " + e.getMessage());
                code = Math.max(code, ExitCodes.of(e.reason()));
                if (json) {
                    var n = array.addObject();
                    n.put("file", arg.toString());
                    n.put("error", e.getMessage());
                    n.put("reason", e.reason().name());
                }
            } catch (java.io.IOException e) {
                throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "cannot read standard input: " + e.getMessage(), e);
            }
        }
        if (json) {
            out.println(ReportJson.write(files.size() == 1 && array.size() == 1 ? array.get(0) : array));
        }
        out.flush();
        return code;
    }
}
