package org.aigcmark.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.aigcmark.internal.AtomicFiles;
import org.aigcmark.key.WatermarkKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Make keys: a signing key pair (PREFIX.key private PEM, PREFIX.pub public PEM) or a watermark secret (PREFIX.key).")
public final class KeygenCommand implements Callable<Integer> {
    enum Alg { ed25519, sm2, watermark }

    @Spec
    CommandSpec spec;

    @Option(names = "--alg", required = true, description = "ed25519, sm2 or watermark")
    Alg alg;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PREFIX", description = "path prefix of the key files")
    String prefix;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        switch (alg) {
            case watermark -> {
                Path key = Path.of(prefix + ".key");
                WatermarkKey k = WatermarkKey.generate();
                AtomicFiles.write(key, k.toPem().getBytes(StandardCharsets.US_ASCII));
                restrictToOwner(key);
                out.println("wrote " + key + " (watermark secret, fingerprint " + k.fingerprint() + "); keep it private");
            }
            default -> {
                var sigAlg = alg == Alg.sm2 ? org.aigcmark.label.SignatureAlgorithm.SM2 : org.aigcmark.label.SignatureAlgorithm.ED25519;
                var pair = org.aigcmark.label.LabelKeys.generate(sigAlg);
                Path priv = Path.of(prefix + ".key");
                Path pub = Path.of(prefix + ".pub");
                AtomicFiles.write(priv, org.aigcmark.label.LabelKeys.toPem(pair.getPrivate()).getBytes(StandardCharsets.US_ASCII));
                restrictToOwner(priv);
                AtomicFiles.write(pub, org.aigcmark.label.LabelKeys.toPem(pair.getPublic()).getBytes(StandardCharsets.US_ASCII));
                out.println("wrote " + priv + " (private, keep it secret) and " + pub + " (" + alg + ", key id "
                        + org.aigcmark.label.LabelKeys.keyId(pair.getPublic()) + ")");
            }
        }
        return ExitCodes.OK;
    }

    private static void restrictToOwner(Path p) {
        try {
            java.nio.file.Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (java.io.IOException | UnsupportedOperationException e) {
            // Not a POSIX file system: leave the platform's default permissions.
        }
    }
}
