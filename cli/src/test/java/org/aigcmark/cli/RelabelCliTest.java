package org.aigcmark.cli;

import org.aigcmark.ExitCodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** label on a labelled image: no stacked visible label without --visible-again; an existing watermark is named. */
class RelabelCliTest {
    static final String CODE = CliTest.CODE;

    @TempDir
    Path tmp;

    @Test
    void aSecondVisibleLabelNeedsVisibleAgain() {
        String once = tmp.resolve("once.png").toString();
        assertEquals(0, CliTest.run("label", Fixtures.path("png/rgb.png").toString(), "-o", once, "--producer", CODE,
                "--produce-id", "a", "--visible").code());
        CliTest.Run twice = CliTest.run("label", once, "-o", tmp.resolve("twice.png").toString(), "--producer", CODE,
                "--produce-id", "b", "--visible");
        assertEquals(ExitCodes.USAGE, twice.code(), twice.out() + twice.err());
        assertTrue(twice.err().contains("already shows a visible label") && twice.err().contains("--visible-again"), twice.err());
        CliTest.Run forced = CliTest.run("label", once, "-o", tmp.resolve("forced.png").toString(), "--producer", CODE,
                "--produce-id", "b", "--visible", "--visible-again");
        assertEquals(0, forced.code(), forced.err());
    }

    @Test
    void anExistingWatermarkIsNamed() {
        String key = Fixtures.path("keys/test-watermark.key").toString();
        String once = tmp.resolve("once.jpg").toString();
        CliTest.Run first = CliTest.run("label", Fixtures.path("jpeg/plain.jpg").toString(), "-o", once, "--producer", CODE,
                "--produce-id", "a", "--watermark", "--key", key);
        assertEquals(0, first.code(), first.err());
        String payload = first.out().replaceAll("(?s).*watermark payload ([0-9a-f]+).*", "$1");
        CliTest.Run again = CliTest.run("label", once, "-o", tmp.resolve("again.jpg").toString(), "--producer", CODE,
                "--produce-id", "b", "--watermark", "--key", key);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("already carries the aigcmark watermark, payload " + payload), again.out());
    }

    /** Another producer's signed record is not replaced (exit 2, what to do named); its own key may re-label. */
    @Test
    void anotherProducersSignedRecordIsRefused() {
        String key = Fixtures.path("keys/test-ed25519.key").toString();
        String signed = tmp.resolve("signed.png").toString();
        assertEquals(0, CliTest.run("label", Fixtures.path("png/rgb.png").toString(), "-o", signed, "--producer", CODE,
                "--produce-id", "a", "--sign-key", key).code());
        CliTest.Run other = CliTest.run("label", signed, "-o", tmp.resolve("other.png").toString(), "--producer", CODE,
                "--produce-id", "b");
        assertEquals(ExitCodes.USAGE, other.code(), other.out() + other.err());
        assertTrue(other.err().contains("signed by its producer") && other.err().contains("--sign-key")
                && other.err().contains("propagate"), other.err());
        assertTrue(!tmp.resolve("other.png").toFile().exists(), "nothing written");
        CliTest.Run same = CliTest.run("label", signed, "-o", tmp.resolve("same.png").toString(), "--producer", CODE,
                "--produce-id", "b", "--sign-key", key);
        assertEquals(0, same.code(), same.err());
    }

    /** propagate --label 3 over a signed Label 1 keeps Label 1, says so, and the producer's signature verifies. */
    @Test
    void propagateKeepsASignedLabel1() {
        String key = Fixtures.path("keys/test-ed25519.key").toString();
        String signed = tmp.resolve("signed.jpg").toString();
        assertEquals(0, CliTest.run("label", Fixtures.path("jpeg/plain.jpg").toString(), "-o", signed, "--producer", CODE,
                "--produce-id", "a", "--sign-key", key).code());
        String out = tmp.resolve("propagated.jpg").toString();
        CliTest.Run p = CliTest.run("propagate", signed, "-o", out, "--propagator", CODE, "--propagate-id", "p-3",
                "--label", "3");
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().contains("kept Label \"1\""), p.out());
        CliTest.Run inspect = CliTest.run("inspect", out, "--json", "--public-key",
                Fixtures.path("keys/test-ed25519.pub").toString());
        assertTrue(inspect.out().contains("\"Label\" : \"1\"") || inspect.out().contains("\"Label\":\"1\""), inspect.out());
        assertTrue(inspect.out().contains("\"valid\""), inspect.out());
    }
}
