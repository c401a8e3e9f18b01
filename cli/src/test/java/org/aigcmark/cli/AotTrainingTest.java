package org.aigcmark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The launcher's training run: command lines separated by "::", each run as the CLI would run it. */
class AotTrainingTest {
    @Test
    void commandLinesAreSplitAtDoubleColons() {
        assertEquals(List.of(List.of("label", "a.mp4", "-o", "b.mp4"), List.of("inspect", "b.jpg")),
                AotTraining.split(new String[] {"label", "a.mp4", "-o", "b.mp4", "::", "inspect", "b.jpg"}));
        assertEquals(List.of(List.of("--version")), AotTraining.split(new String[] {"::", "--version", "::"}));
    }
}
