package org.aigcmark.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamingLabelerTest {
    private static final String ANSWER = "好的😀，这是答案。Here is 🎉 the answer with 𝒳 math and more 😀😀 text.\n";

    private static List<String> randomChunks(String s, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int n = Math.min(s.length() - i, r.nextInt(4)); // may be 0: empty SSE chunks happen
            out.add(s.substring(i, i + n)); // splits surrogate pairs on purpose
            i += n;
        }
        return out;
    }

    private static boolean splitsASurrogatePair(String chunk) {
        if (chunk.isEmpty()) {
            return false;
        }
        return Character.isHighSurrogate(chunk.charAt(chunk.length() - 1)) || Character.isLowSurrogate(chunk.charAt(0));
    }

    @Test
    void emitsLabelsAroundTheStreamAndNeverSplitsACharacter() {
        ExplicitTextLabel label = ExplicitTextLabel.defaults(TextLanguage.ZH);
        for (long seed = 0; seed < 50; seed++) {
            StreamingLabeler l = new StreamingLabeler(label, LabelPosition.BOTH);
            StringBuilder out = new StringBuilder();
            List<String> chunks = randomChunks(ANSWER, seed);
            for (int i = 0; i < chunks.size(); i++) {
                String emitted = l.onChunk(chunks.get(i));
                if (i == 0) {
                    assertTrue(emitted.startsWith(label.text()), "label goes out with the first chunk");
                }
                assertFalse(splitsASurrogatePair(emitted), "seed " + seed + " chunk " + i + ": " + emitted);
                out.append(emitted);
            }
            out.append(l.finish());
            assertEquals(label.apply(ANSWER, LabelPosition.BOTH), out.toString());
        }
    }

    @Test
    void iteratorAdapterLabelsLazily() {
        List<String> chunks = randomChunks(ANSWER, 3);
        StringBuilder out = new StringBuilder();
        StreamingLabeler.wrap(chunks.iterator(), ExplicitTextLabel.defaults(TextLanguage.EN), LabelPosition.END)
                .forEachRemaining(out::append);
        assertEquals(ExplicitTextLabel.defaults(TextLanguage.EN).apply(ANSWER, LabelPosition.END), out.toString());
    }

    @Test
    void flowAdapterLabelsAPublisher() throws Exception {
        ExplicitTextLabel label = ExplicitTextLabel.defaults(TextLanguage.ZH);
        List<String> chunks = randomChunks(ANSWER, 8);
        StringBuilder out = new StringBuilder();
        CompletableFuture<String> done = new CompletableFuture<>();
        try (SubmissionPublisher<String> pub = new SubmissionPublisher<>()) {
            StreamingLabeler.wrap(pub, label, LabelPosition.BOTH).subscribe(new Flow.Subscriber<>() {
                Flow.Subscription s;

                @Override
                public void onSubscribe(Flow.Subscription s) {
                    this.s = s;
                    s.request(1);
                }

                @Override
                public void onNext(String item) {
                    assertFalse(splitsASurrogatePair(item));
                    out.append(item);
                    s.request(1); // one at a time: exercises back-pressure for the final label
                }

                @Override
                public void onError(Throwable t) {
                    done.completeExceptionally(t);
                }

                @Override
                public void onComplete() {
                    done.complete(out.toString());
                }
            });
            chunks.forEach(pub::submit);
        }
        assertEquals(label.apply(ANSWER, LabelPosition.BOTH), done.get(10, TimeUnit.SECONDS));
    }
}
