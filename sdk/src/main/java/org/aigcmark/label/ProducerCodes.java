package org.aigcmark.label;

import java.util.Map;
import java.util.Optional;

/**
 * The unified social credit code (USCC) inside a TC260-PG-20252A provider code, its GB 32100-2015 check character,
 * and the name a public list gives it. A provider code {@code 00} + {@code 1} (an organisation) + {@code 1} (bound
 * by its USCC) + 18-character USCC + 5-character service extension carries the company's registration number, so
 * a reader can catch a mistyped or made-up code (the check character) and tell an analyst whose code it is
 * <em>listed as</em>. The name is information, never verification: anyone can write any code into a file, and
 * only a signature ({@code ReservedCode1}) binds a record to its producer.
 *
 * <p>The table holds only codes found in public sources, each with the product whose output carried it; a code not
 * in it is simply unlisted. Source of every row: the producer codes that wiltodelta/remove-ai-watermarks
 * ({@code src/remove_ai_watermarks/watermark_registry.py}, {@code tc260_producer_codes}) records as seen on each
 * product's generated files. Every row's check character was verified with {@link #checksumValid(String)}.
 */
public final class ProducerCodes {
    /** Where the names in {@link #TABLE} come from, as printed in reports and docs. */
    public static final String TABLE_SOURCE = "the producer codes wiltodelta/remove-ai-watermarks records per product";

    /** USCC to the product it is listed as; public sources only (see the class comment). */
    private static final Map<String, String> TABLE = Map.of(
            "91110102MACQD9K640", "Doubao (ByteDance)",
            "9144030008867405X2", "Jimeng / Dreamina (ByteDance)",
            "91440101MA9Y9T4H7A", "Qwen (Alibaba)",
            "91110108335469089C", "Kling (Kuaishou)",
            "91440300708461136T", "Yuanbao (Tencent)",
            "91340100MAEB4N8H76", "RunningHub",
            "91110000802100433B", "Baidu",
            "91110105MACJ6K1C8A", "LibLibAI");

    /** The GB 32100-2015 alphabet: digits and capitals without I, O, Z, S, V; a character's value is its index. */
    private static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    /** The weights of positions 1..17: 3^(i-1) mod 31. */
    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    private ProducerCodes() {}

    /**
     * What a provider code says about its organisation.
     *
     * @param code the 27-character provider code as read
     * @param uscc its characters 5 to 22, the unified social credit code
     * @param checksumValid whether the USCC's 18th character is the GB 32100-2015 check character of the first 17
     * @param listedAs the product the public table lists this USCC as, or null when unlisted (information, not
     *     verification)
     */
    public record ProducerCode(String code, String uscc, boolean checksumValid, String listedAs) {}

    /**
     * Reads the USCC in {@code providerCode}; empty unless it is a 27-character provider code of an organisation
     * bound by its USCC ({@code 0011} + 23 of {@code [0-9A-Z]}). Names (such as {@code "doubao"}) and other subject
     * types give an empty result.
     */
    public static Optional<ProducerCode> of(String providerCode) {
        if (providerCode == null || !AigcLabel.PROVIDER_CODE.matcher(providerCode).matches()
                || !providerCode.startsWith("0011")) {
            return Optional.empty();
        }
        String uscc = providerCode.substring(4, 22);
        return Optional.of(new ProducerCode(providerCode, uscc, checksumValid(uscc), TABLE.get(uscc)));
    }

    /**
     * Whether {@code uscc} is 18 characters of the GB 32100-2015 alphabet whose last is the check character of the
     * first 17: {@code 31 - (sum of value x weight mod 31)}, 31 written as {@code 0}.
     */
    public static boolean checksumValid(String uscc) {
        if (uscc == null || uscc.length() != 18) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            int v = ALPHABET.indexOf(uscc.charAt(i));
            if (v < 0) {
                return false;
            }
            sum += v * WEIGHTS[i];
        }
        return uscc.charAt(17) == ALPHABET.charAt((31 - sum % 31) % 31);
    }

    /** The public table: USCC to the product it is listed as (a copy; see the class comment for the source). */
    public static Map<String, String> table() {
        return Map.copyOf(TABLE);
    }

    /**
     * The problem sentence for {@code field} (e.g. {@code "ContentProducer"}) holding {@code value}, or null when the
     * value carries no USCC or its check character is right.
     */
    static String checksumProblem(String field, String value) {
        return of(value).filter(c -> !c.checksumValid())
                .map(c -> field + " \"" + value + "\": producer code checksum invalid (its unified social credit code "
                        + c.uscc() + " fails the GB 32100-2015 check character)")
                .orElse(null);
    }
}
