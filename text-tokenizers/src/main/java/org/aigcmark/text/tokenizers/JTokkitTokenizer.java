package org.aigcmark.text.tokenizers;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.aigcmark.text.Tokenizer;

/**
 * The OpenAI BPE tokenizers shipped by JTokkit (vocabularies bundled in its jar, no download). The sdk finds them by
 * name through {@link org.aigcmark.text.Tokenizers#byName} ({@link JTokkitTokenizerProvider}).
 */
public final class JTokkitTokenizer implements Tokenizer {
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
    private static volatile JTokkitTokenizer o200k;
    private static volatile JTokkitTokenizer cl100k;

    private final Encoding encoding;
    private final String name;
    private final int vocabularySize;

    private JTokkitTokenizer(EncodingType type, int vocabularySize) {
        this.encoding = REGISTRY.getEncoding(type);
        this.name = type.getName();
        this.vocabularySize = vocabularySize;
    }

    /** o200k_base (GPT-4o family): good coverage of Chinese. The default of this SDK. */
    public static JTokkitTokenizer o200k() {
        JTokkitTokenizer t = o200k;
        if (t == null) {
            synchronized (JTokkitTokenizer.class) {
                t = o200k;
                if (t == null) {
                    o200k = t = new JTokkitTokenizer(EncodingType.O200K_BASE, 200_019);
                }
            }
        }
        return t;
    }

    /** cl100k_base (GPT-4 / GPT-3.5 family). */
    public static JTokkitTokenizer cl100k() {
        JTokkitTokenizer t = cl100k;
        if (t == null) {
            synchronized (JTokkitTokenizer.class) {
                t = cl100k;
                if (t == null) {
                    cl100k = t = new JTokkitTokenizer(EncodingType.CL100K_BASE, 100_277);
                }
            }
        }
        return t;
    }

    /** By name: {@code o200k_base} or {@code cl100k_base}. */
    public static JTokkitTokenizer byName(String name) {
        return switch (name) {
            case "o200k_base", "o200k" -> o200k();
            case "cl100k_base", "cl100k" -> cl100k();
            default -> throw org.aigcmark.AigcmarkException.invalid("unknown tokenizer '" + name
                    + "' (JTokkit has: o200k_base, cl100k_base; implement org.aigcmark.text.Tokenizer for others)");
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int vocabularySize() {
        return vocabularySize;
    }

    @Override
    public int[] encode(String text) {
        return encoding.encodeOrdinary(text).toArray();
    }

    @Override
    public String decode(int[] tokens) {
        return decodeLenient(bytes(tokens));
    }

    /** The raw bytes of token ids (a token may hold part of a UTF-8 character). */
    @Override
    public byte[] bytes(int[] tokens) {
        IntArrayList list = new IntArrayList(tokens.length);
        for (int t : tokens) {
            list.add(t);
        }
        return encoding.decodeBytes(list);
    }

    static String decodeLenient(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException(e); // REPLACE never throws
        }
    }
}
