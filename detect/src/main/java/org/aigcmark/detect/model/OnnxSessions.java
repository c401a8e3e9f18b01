package org.aigcmark.detect.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;
import org.aigcmark.AigcmarkException;
import org.aigcmark.AigcmarkException.Reason;
import org.aigcmark.io.Sha256;

/** Loads pinned ONNX models and opens sessions on CPU or, when asked and present, CUDA. */
final class OnnxSessions {
    private static final Logger LOG = Logger.getLogger(OnnxSessions.class.getName());
    /** Largest model file read (ONNX protobuf files are limited to 2 GB anyway). */
    static final long MAX_MODEL_BYTES = 1L << 30;

    private OnnxSessions() {
    }

    /** A session and where it runs ("CPU" or "CUDA"). */
    record Opened(OrtSession session, String provider) {
    }

    /**
     * Reads the model and checks its sha256 against the pin; the session is then built from these very bytes, so
     * the file cannot change between the check and the load.
     */
    static byte[] readVerified(Path file, String sha256) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_MODEL_BYTES) {
                throw AigcmarkException.limit("model " + file + " is larger than " + MAX_MODEL_BYTES + " bytes");
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes((int) size + 1);
            }
            if (bytes.length > size) {
                throw new AigcmarkException(Reason.CORRUPT_INPUT, "model " + file + " grew while it was read");
            }
        } catch (IOException e) {
            throw new AigcmarkException(Reason.INPUT_UNREADABLE, "cannot read model " + file + ": " + e.getMessage(), e);
        }
        String actual = Sha256.hex(bytes);
        if (!actual.equals(sha256)) {
            throw new AigcmarkException(Reason.CORRUPT_INPUT,
                    "model " + file + " has sha256 " + actual + " but its spec pins " + sha256 + "; refusing to run it");
        }
        return bytes;
    }


    static Opened open(byte[] model, String what, boolean preferCuda, int intraOpThreads) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (intraOpThreads > 0) {
                so.setIntraOpNumThreads(intraOpThreads);
            }
            // Idle workers spinning steal CPU from threads decoding the next image (see VisibleLabelFinder).
            so.addConfigEntry("session.intra_op.allow_spinning", "0");
            String provider = preferCuda ? tryCuda(so, what) : "CPU";
            return new Opened(env.createSession(model, so), provider);
        } catch (OrtException e) {
            throw new AigcmarkException(Reason.CORRUPT_INPUT, "cannot load model " + what + ": " + e.getMessage(), e);
        }
    }

    private static String tryCuda(OrtSession.SessionOptions so, String what) {
        try {
            if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
                LOG.info("CUDA was requested for " + what + " but this ONNX Runtime build has no CUDA provider "
                        + "(use the onnxruntime_gpu artifact); running on CPU");
                return "CPU";
            }
            so.addCUDA(0);
            LOG.info(what + " runs on the CUDA execution provider (device 0)");
            return "CUDA";
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
            LOG.info("CUDA was requested for " + what + " but could not start (" + e.getMessage() + "); running on CPU");
            return "CPU";
        }
    }
}
