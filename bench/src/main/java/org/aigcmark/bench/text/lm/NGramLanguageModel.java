package org.aigcmark.bench.text.lm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.aigcmark.AigcmarkException;
import org.aigcmark.text.Tokenizers;
import org.aigcmark.text.Tokenizer;

/**
 * A token trigram model with interpolated absolute discounting (Kneser-Ney style backoff, D = 0.75) over a
 * real tokenizer's ids, trained in about a second on text shipped in the bench jar. It writes real (if archaic)
 * English from the King James Bible and classical Chinese from Tang and Song poems, at temperature 1.
 */
public final class NGramLanguageModel implements LanguageModel {
    private static final double DISCOUNT = 0.75;
    /** The unigram floor: the most frequent tokens, always candidates. */
    private static final int UNIGRAM_CANDIDATES = 300;
    private static final int ID_BITS = 18;
    private static final long ID_MASK = (1L << ID_BITS) - 1;

    /** The built-in corpora. */
    public enum Corpus {
        ENGLISH("corpus-en.txt", "\n"),
        CHINESE("corpus-zh.txt", "\n\n");

        final String resource;
        final String start;

        Corpus(String resource, String start) {
            this.resource = resource;
            this.start = start;
        }
    }

    private static final NGramLanguageModel[] CACHE = new NGramLanguageModel[Corpus.values().length];

    private final Tokenizer tokenizer;
    private final int[] startContext;
    private final int[] unigramIds;
    private final double[] unigramProb;
    private final double[] unigramProbById;
    private final Level bigrams;
    private final Level trigrams;
    private final int maxCandidates;

    /** The built-in model for a corpus, trained on first use and then shared (thread-safe for reading). */
    public static NGramLanguageModel builtIn(Corpus corpus) {
        synchronized (CACHE) {
            NGramLanguageModel m = CACHE[corpus.ordinal()];
            if (m == null) {
                String text;
                try (InputStream in = NGramLanguageModel.class.getResourceAsStream("/org/aigcmark/bench/text/" + corpus.resource)) {
                    if (in == null) {
                        throw new AigcmarkException(AigcmarkException.Reason.UNAVAILABLE, "built-in corpus " + corpus.resource + " is missing from the jar");
                    }
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "cannot read built-in corpus", e);
                }
                m = train(Tokenizers.byName(Tokenizers.DEFAULT), text, corpus.start);
                CACHE[corpus.ordinal()] = m;
            }
            return m;
        }
    }

    /** Trains on {@code text}; {@code start} is the text generation starts after (e.g. a newline). */
    public static NGramLanguageModel train(Tokenizer tokenizer, String text, String start) {
        int[] t = tokenizer.encode(text);
        if (t.length < 3) {
            throw AigcmarkException.invalid("training text too short");
        }
        int[] unigramCount = new int[tokenizer.vocabularySize()];
        for (int id : t) {
            if (id < 0 || id > ID_MASK) {
                throw AigcmarkException.invalid("token id " + id + " exceeds " + ID_BITS + " bits");
            }
            unigramCount[id]++;
        }
        long[] bi = new long[t.length - 1];
        for (int i = 0; i + 1 < t.length; i++) {
            bi[i] = ((long) t[i] << ID_BITS) | t[i + 1];
        }
        long[] tri = new long[t.length - 2];
        for (int i = 0; i + 2 < t.length; i++) {
            tri[i] = ((long) t[i] << (2 * ID_BITS)) | ((long) t[i + 1] << ID_BITS) | t[i + 2];
        }
        return new NGramLanguageModel(tokenizer, tokenizer.encode(start), unigramCount, t.length, new Level(bi), new Level(tri));
    }

    private NGramLanguageModel(Tokenizer tokenizer, int[] startContext, int[] unigramCount, int total, Level bigrams, Level trigrams) {
        this.tokenizer = tokenizer;
        this.startContext = startContext;
        this.bigrams = bigrams;
        this.trigrams = trigrams;
        this.unigramProbById = new double[unigramCount.length];
        Integer[] order = new Integer[unigramCount.length];
        int distinct = 0;
        for (int i = 0; i < unigramCount.length; i++) {
            if (unigramCount[i] > 0) {
                order[distinct++] = i;
                unigramProbById[i] = (double) unigramCount[i] / total;
            }
        }
        Integer[] present = Arrays.copyOf(order, distinct);
        Arrays.sort(present, (a, b) -> Integer.compare(unigramCount[b], unigramCount[a]));
        int u = Math.min(UNIGRAM_CANDIDATES, distinct);
        unigramIds = new int[u];
        unigramProb = new double[u];
        double sum = 0;
        for (int i = 0; i < u; i++) {
            unigramIds[i] = present[i];
            sum += unigramProbById[present[i]];
        }
        // The floor distribution is the unigram restricted to the frequent tokens, renormalised.
        for (int i = 0; i < u; i++) {
            unigramProb[i] = unigramProbById[unigramIds[i]] / sum;
        }
        Arrays.fill(unigramProbById, 0);
        for (int i = 0; i < u; i++) {
            unigramProbById[unigramIds[i]] = unigramProb[i];
        }
        this.maxCandidates = u + bigrams.maxContinuations + trigrams.maxContinuations;
        this.tokenBytesCache = new byte[unigramCount.length][];
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** The token ids generation starts after. */
    public int[] startContext() {
        return startContext.clone();
    }

    @Override
    public int maxCandidates() {
        return maxCandidates;
    }

    @Override
    public int candidates(int[] history, int len, int[] ids, float[] logits) {
        int b = len >= 1 ? history[len - 1] : -1;
        int a = len >= 2 ? history[len - 2] : -1;
        int c2 = b >= 0 ? bigrams.find(b) : -1;
        int c3 = (a >= 0 && b >= 0) ? trigrams.find(((long) a << ID_BITS) | b) : -1;

        double[] p = new double[maxCandidates];
        int k = 0;
        // Candidate set: unigram floor, then bigram and trigram continuations not already present.
        for (int i = 0; i < unigramIds.length; i++) {
            ids[k++] = unigramIds[i];
        }
        int uEnd = k;
        if (c2 >= 0) {
            for (int j = bigrams.start[c2]; j < bigrams.start[c2 + 1]; j++) {
                int id = bigrams.contIds[j];
                if (unigramProbById[id] == 0) {
                    ids[k++] = id;
                }
            }
        }
        int biEnd = k;
        if (c3 >= 0) {
            for (int j = trigrams.start[c3]; j < trigrams.start[c3 + 1]; j++) {
                int id = trigrams.contIds[j];
                if (unigramProbById[id] == 0 && (c2 < 0 || bigrams.count(c2, id) == 0)) {
                    ids[k++] = id; // cannot happen for a trigram seen in training, kept for safety
                }
            }
        }
        for (int i = 0; i < k; i++) {
            int id = ids[i];
            double pr = i < uEnd ? unigramProbById[id] : 0;
            if (c2 >= 0) {
                double total = bigrams.total[c2];
                int cnt = bigrams.count(c2, id);
                pr = Math.max(cnt - DISCOUNT, 0) / total
                        + DISCOUNT * (bigrams.start[c2 + 1] - bigrams.start[c2]) / total * pr;
            }
            if (c3 >= 0) {
                double total = trigrams.total[c3];
                int cnt = trigrams.count(c3, id);
                pr = Math.max(cnt - DISCOUNT, 0) / total
                        + DISCOUNT * (trigrams.start[c3 + 1] - trigrams.start[c3]) / total * pr;
            }
            p[i] = pr;
        }
        int pending = pendingUtf8(history, len);
        int out = 0;
        for (int i = 0; i < k; i++) {
            if (p[i] > 0 && continuesUtf8(pending, tokenBytes(ids[i]))) {
                ids[out] = ids[i];
                logits[out] = (float) Math.log(p[i]);
                out++;
            }
        }
        assert biEnd <= k;
        return out;
    }

    private final byte[][] tokenBytesCache;

    private byte[] tokenBytes(int id) {
        byte[] b = tokenBytesCache[id];
        if (b == null) {
            b = tokenizer.bytes(new int[]{id});
            tokenBytesCache[id] = b;
        }
        return b;
    }

    /** Continuation bytes still owed by the UTF-8 character the history ends inside (0 when it ends cleanly). */
    private int pendingUtf8(int[] history, int len) {
        int have = 0;
        for (int t = len - 1; t >= 0 && t >= len - 4; t--) {
            byte[] b = tokenBytes(history[t]);
            for (int i = b.length - 1; i >= 0; i--) {
                int v = b[i] & 0xFF;
                if ((v & 0xC0) == 0x80) {
                    have++;
                    if (have > 3) {
                        return 0;
                    }
                    continue;
                }
                int need = v >= 0xF0 ? 3 : v >= 0xE0 ? 2 : v >= 0xC0 ? 1 : 0;
                return Math.max(0, need - have);
            }
        }
        return 0;
    }

    /** Whether a token's bytes keep the stream valid UTF-8, given the continuation bytes owed. */
    private static boolean continuesUtf8(int pending, byte[] b) {
        for (byte x : b) {
            int v = x & 0xFF;
            boolean cont = (v & 0xC0) == 0x80;
            if (pending > 0) {
                if (!cont) {
                    return false;
                }
                pending--;
            } else if (cont) {
                return false;
            } else {
                pending = v >= 0xF8 ? -1 : v >= 0xF0 ? 3 : v >= 0xE0 ? 2 : v >= 0xC0 ? 1 : 0;
                if (pending < 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** N-grams grouped by context: sorted distinct contexts, their continuation ids and counts. */
    private static final class Level {
        final long[] contexts;
        final int[] start;
        final int[] contIds;
        final int[] contCounts;
        final int[] total;
        final int maxContinuations;

        Level(long[] grams) {
            Arrays.sort(grams);
            int n = grams.length;
            long[] ctx = new long[n];
            int[] st = new int[n + 1];
            int[] ids = new int[n];
            int[] counts = new int[n];
            int[] tot = new int[n];
            int contexts = 0;
            int conts = 0;
            int maxC = 0;
            long prevCtx = -1;
            for (int i = 0; i < n; ) {
                int j = i;
                while (j < n && grams[j] == grams[i]) {
                    j++;
                }
                long c = grams[i] >>> ID_BITS;
                if (c != prevCtx) {
                    ctx[contexts] = c;
                    st[contexts] = conts;
                    contexts++;
                    prevCtx = c;
                }
                ids[conts] = (int) (grams[i] & ID_MASK);
                counts[conts] = j - i;
                tot[contexts - 1] += j - i;
                conts++;
                maxC = Math.max(maxC, conts - st[contexts - 1]);
                i = j;
            }
            st[contexts] = conts;
            this.contexts = Arrays.copyOf(ctx, contexts);
            this.start = Arrays.copyOf(st, contexts + 1);
            this.contIds = Arrays.copyOf(ids, conts);
            this.contCounts = Arrays.copyOf(counts, conts);
            this.total = Arrays.copyOf(tot, contexts);
            this.maxContinuations = maxC;
        }

        int find(long context) {
            int i = Arrays.binarySearch(contexts, context);
            return i >= 0 ? i : -1;
        }

        /** Count of continuation {@code id} after context index {@code c} (ids are sorted within a context). */
        int count(int c, int id) {
            int i = Arrays.binarySearch(contIds, start[c], start[c + 1], id);
            return i >= 0 ? contCounts[i] : 0;
        }
    }
}
