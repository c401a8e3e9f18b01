package org.aigcmark.bench;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A {@code WxH} option value such as {@code 1920x1080} ({@code X} also accepted); each command checks its own range. */
record FrameSize(int width, int height) {
    /** Megapixel-sized products do not overflow: callers compare {@code pixels()} with their cap. */
    long pixels() {
        return (long) width * height;
    }

    /** Parses {@code --size} for picocli; a malformed value is a usage error (exit code 2). */
    static final class Converter implements ITypeConverter<FrameSize> {
        @Override
        public FrameSize convert(String value) {
            String[] p = value.toLowerCase(Locale.ROOT).split("x", -1);
            try {
                if (p.length == 2) {
                    return new FrameSize(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new TypeConversionException("must look like WxH, such as 1920x1080, got " + value);
        }
    }
}
