package org.aigcmark.detect.ocr;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The full evaluation (a few minutes on 2 cores); excluded by default. Run with
 * {@code ./mvnw -B -q -pl detect -am test -Dtest=VisibleLabelEvaluationTest -Daigcmark.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("slow")
class VisibleLabelEvaluationTest {
    @Test
    void evaluateAndWriteDocs() throws Exception {
        TestModels.require();
        Path doc = VisibleLabelEvaluation.repo().resolve("docs/DETECT-OCR.md");
        VisibleLabelEvaluation.main(new String[] {TestModels.find().orElseThrow().detection().getParent().toString(), doc.toString()});
        assertTrue(Files.readString(doc).contains("## Evaluation results"));
    }
}
