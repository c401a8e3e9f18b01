package org.aigcmark.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.aigcmark.AigcmarkException;
import org.aigcmark.internal.ChannelSource;

/**
 * Splices a clip (the rhythm cue, a spoken prompt) into a PCM WAV file from disk to disk, as
 * {@link CueInsertion#insert(float[][], int, Set, float[][])} does in memory, without decoding the file: the content's
 * sample bytes are copied by range (they come out byte for byte), the clip is converted to the file's sample format,
 * and only a window of two seconds around the midpoint is read to place a middle cue. Memory stays bounded whatever
 * the file's size. Every chunk but {@code data} is copied as it is; an output whose RIFF size would pass 4 GiB is
 * written as RF64 (EBU Tech 3306: a {@code ds64} chunk after the header holds the 64-bit sizes). Integer PCM of 8,
 * 16, 24 or 32 bits and IEEE float of 32 or 64 bits ({@code WAVE_FORMAT_EXTENSIBLE} included) are taken; other
 * encodings (ADPCM, A-law...) are left to a decoder ({@link #layout} is empty for them).
 */
public final class WavCueSplicer {
    /** A RIFF size past this is written as RF64. */
    static final long RIFF_LIMIT = 0xFFFF_FFFFL;
    private static final int MAX_CHUNKS = 100_000;
    private static final int MAX_DS64 = 1 << 16;

    private WavCueSplicer() {}

    /**
     * The sample layout of a WAV this splicer takes.
     *
     * @param sampleRate    frames per second
     * @param channels      samples per frame
     * @param bitsPerSample 8, 16, 24, 32 (integer) or 32, 64 (float)
     * @param floating      IEEE float samples
     * @param frames        frames in {@code data}
     */
    public record Layout(int sampleRate, int channels, int bitsPerSample, boolean floating, long frames) {
        int frameBytes() {
            return channels * bitsPerSample / 8;
        }
    }

    /** One RIFF chunk: its id, header start, data start, data size, end (pad byte included when present). */
    private record Chunk(String id, long start, long dataStart, long size, long end) {}

    private record Wav(boolean rf64, Layout layout, List<Chunk> chunks, Chunk data, long riffEnd) {}

    /** The layout of {@code wav} when it is a RIFF/RF64 WAVE file of PCM or float samples, else empty. */
    public static Optional<Layout> layout(Path wav) {
        try (FileChannel ch = FileChannel.open(wav, StandardOpenOption.READ)) {
            return Optional.ofNullable(parse(ChannelSource.of(ch, wav.getFileName().toString()))).map(Wav::layout);
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "cannot read " + wav + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code out}: {@code in} with {@code clip} (one array per channel, at the file's rate, in [-1, 1]) spliced
     * in at each of {@code positions}, separated from the content by {@link CueInsertion#PAD_SECONDS} of silence.
     * Returns where each clip starts (s), in time order.
     *
     * @throws AigcmarkException {@code UNSUPPORTED_FORMAT} when {@link #layout} is empty, {@code CORRUPT_INPUT} for a
     *     chunk that runs past the end, {@code OUTPUT_NOT_WRITABLE} when {@code out} cannot be written
     */
    public static List<Double> splice(Path in, Path out, Set<CuePosition> positions, float[][] clip) {
        return splice(in, out, positions, clip, RIFF_LIMIT);
    }

    static List<Double> splice(Path in, Path out, Set<CuePosition> positions, float[][] clip, long riffLimit) {
        try (FileChannel src = FileChannel.open(in, StandardOpenOption.READ)) {
            ChannelSource file = ChannelSource.of(src, in.getFileName().toString());
            Wav wav = parse(file);
            if (wav == null) {
                throw new AigcmarkException(AigcmarkException.Reason.UNSUPPORTED_FORMAT, in
                        + " is not a WAV of PCM or float samples that can be spliced from disk");
            }
            Layout l = wav.layout();
            if (clip.length != l.channels()) {
                throw new IllegalArgumentException("the clip has " + clip.length + " channel(s), the WAV " + l.channels());
            }
            Set<CuePosition> at = positions.isEmpty() ? EnumSet.noneOf(CuePosition.class) : EnumSet.copyOf(positions);
            int fb = l.frameBytes();
            byte[] clipBytes = encode(clip, l);
            byte[] pad = silence((int) Math.round(CueInsertion.PAD_SECONDS * l.sampleRate()), l);
            long dataBytes = l.frames() * fb;
            long split = at.contains(CuePosition.MIDDLE) ? quietestFrame(file, wav) : -1;
            long added = at.size() * (long) (clipBytes.length + pad.length) + (split >= 0 ? pad.length : 0);
            long newData = dataBytes + added;
            List<Double> starts = new ArrayList<>();
            long w = 0;
            if (at.contains(CuePosition.START)) {
                starts.add(0.0);
                w += clipBytes.length + pad.length;
            }
            if (split >= 0) {
                w += split * fb + pad.length;
                starts.add(w / (double) fb / l.sampleRate());
                w += clipBytes.length + pad.length + (l.frames() - split) * fb;
            } else {
                w += dataBytes;
            }
            if (at.contains(CuePosition.END)) {
                starts.add((w + pad.length) / (double) fb / l.sampleRate());
            }
            // sizes: every chunk as it was, data grown (and its pad byte), RF64's ds64 when the RIFF size needs it
            long oddData = newData & 1;
            long riffSize = 4;
            for (Chunk c : wav.chunks()) {
                riffSize += c == wav.data() ? 8 + newData + oddData : c.end() - c.start() + missingPad(c);
            }
            boolean rf64 = wav.rf64() || riffSize > riffLimit;
            boolean addDs64 = rf64 && !wav.rf64();
            if (addDs64) {
                riffSize += 8 + 28;
            }
            try (FileChannel o = FileChannel.open(out, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer head = le(12).put((rf64 ? "RF64" : "RIFF").getBytes(StandardCharsets.ISO_8859_1))
                        .putInt(rf64 ? -1 : (int) riffSize).put("WAVE".getBytes(StandardCharsets.ISO_8859_1));
                write(o, head.array());
                if (addDs64) {
                    write(o, le(36).put("ds64".getBytes(StandardCharsets.ISO_8859_1)).putInt(28).putLong(riffSize)
                            .putLong(newData).putLong(newData / fb).putInt(0).array());
                }
                for (Chunk c : wav.chunks()) {
                    if (c == wav.data()) {
                        write(o, le(8).put("data".getBytes(StandardCharsets.ISO_8859_1))
                                .putInt(rf64 ? -1 : (int) newData).array());
                        long d = c.dataStart();
                        if (at.contains(CuePosition.START)) {
                            write(o, clipBytes);
                            write(o, pad);
                        }
                        if (split >= 0) {
                            file.copyTo(d, d + split * fb, o);
                            write(o, pad);
                            write(o, clipBytes);
                            write(o, pad);
                            file.copyTo(d + split * fb, d + dataBytes, o);
                        } else {
                            file.copyTo(d, d + dataBytes, o);
                        }
                        if (at.contains(CuePosition.END)) {
                            write(o, pad);
                            write(o, clipBytes);
                        }
                        if (oddData == 1) {
                            write(o, new byte[1]);
                        }
                    } else if (c.id().equals("ds64")) {
                        byte[] ds = file.read(c.start(), (int) (c.end() - c.start()));
                        ByteBuffer b = ByteBuffer.wrap(ds).order(ByteOrder.LITTLE_ENDIAN);
                        b.putLong(8, riffSize).putLong(16, newData).putLong(24, newData / fb);
                        write(o, ds);
                    } else {
                        file.copyTo(c.start(), c.end(), o);
                        if (missingPad(c) == 1) {
                            write(o, new byte[1]);
                        }
                    }
                }
            } catch (IOException e) {
                throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, "cannot write " + out + ": "
                        + e.getMessage(), e);
            }
            return List.copyOf(starts);
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "cannot read " + in + ": " + e.getMessage(), e);
        }
    }

    /** The pad byte an odd-sized chunk lacks (the file's last chunk, written without one). */
    private static long missingPad(Chunk c) {
        return (c.size() & 1) == 1 && c.end() - c.dataStart() == c.size() ? 1 : 0;
    }

    /** The frame a middle clip goes before: {@link CueInsertion#quietestNear} over a window read around the midpoint. */
    private static long quietestFrame(ChannelSource file, Wav wav) {
        Layout l = wav.layout();
        long mid = l.frames() / 2;
        long from = Math.max(0, mid - l.sampleRate() - 1);
        long to = Math.min(l.frames(), mid + l.sampleRate() + 1);
        byte[] bytes = file.read(wav.data().dataStart() + from * l.frameBytes(), (int) ((to - from) * l.frameBytes()));
        float[][] window = decode(bytes, l);
        return from + CueInsertion.quietestNear(window, l.sampleRate(), (int) (mid - from));
    }

    /** Parses the header and chunk list; null when it is not a WAVE file of a layout taken here. */
    private static Wav parse(ChannelSource file) {
        long length = file.size();
        if (length < 12) {
            return null;
        }
        byte[] head = file.read(0, 12);
        String riff = new String(head, 0, 4, StandardCharsets.ISO_8859_1);
        if (!(riff.equals("RIFF") || riff.equals("RF64")) || !new String(head, 8, 4, StandardCharsets.ISO_8859_1).equals("WAVE")) {
            return null;
        }
        boolean rf64 = riff.equals("RF64");
        long riffEnd = rf64 ? length : Math.min(length, (ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt(4) & 0xFFFF_FFFFL) + 8);
        List<Chunk> chunks = new ArrayList<>();
        long ds64Data = -1;
        Chunk data = null;
        byte[] fmt = null;
        long p = 12;
        while (p + 8 <= riffEnd) {
            if (chunks.size() >= MAX_CHUNKS) {
                throw AigcmarkException.corrupt("more than " + MAX_CHUNKS + " RIFF chunks");
            }
            ByteBuffer h = ByteBuffer.wrap(file.read(p, 8)).order(ByteOrder.LITTLE_ENDIAN);
            String id = new String(h.array(), 0, 4, StandardCharsets.ISO_8859_1);
            long size = h.getInt(4) & 0xFFFF_FFFFL;
            if (rf64 && id.equals("ds64") && size >= 24 && size <= MAX_DS64 && p + 8 + 24 <= length) {
                ds64Data = ByteBuffer.wrap(file.read(p + 16, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
            }
            if (rf64 && id.equals("data") && size == 0xFFFF_FFFFL && ds64Data >= 0) {
                size = ds64Data;
            }
            if (p + 8 + size > riffEnd || (id.equals("ds64") && size > MAX_DS64)) {
                throw AigcmarkException.corrupt("RIFF chunk '" + id.strip() + "' at byte " + p + " declares " + size
                        + " bytes, past the end of the file (truncated)");
            }
            Chunk c = new Chunk(id, p, p + 8, size, Math.min(riffEnd, p + 8 + size + (size & 1)));
            chunks.add(c);
            if (id.equals("fmt ") && fmt == null && size >= 16 && size <= 1024) {
                fmt = file.read(p + 8, (int) size);
            } else if (id.equals("data") && data == null) {
                data = c;
            }
            p = c.end();
        }
        if (fmt == null || data == null) {
            return null;
        }
        ByteBuffer f = ByteBuffer.wrap(fmt).order(ByteOrder.LITTLE_ENDIAN);
        int tag = f.getShort(0) & 0xFFFF;
        int channels = f.getShort(2) & 0xFFFF;
        long rate = f.getInt(4) & 0xFFFF_FFFFL;
        int blockAlign = f.getShort(12) & 0xFFFF;
        int bits = f.getShort(14) & 0xFFFF;
        if (tag == 0xFFFE && fmt.length >= 26) {
            tag = f.getShort(24) & 0xFFFF; // the sub-format GUID starts with the format tag
        }
        boolean floating = tag == 3;
        boolean ok = (tag == 1 && (bits == 8 || bits == 16 || bits == 24 || bits == 32)) || (floating && (bits == 32 || bits == 64));
        if (!ok || channels < 1 || channels > 64 || rate < 1000 || rate > 1_000_000 || blockAlign != channels * bits / 8) {
            return null;
        }
        Layout layout = new Layout((int) rate, channels, bits, floating, data.size() / blockAlign);
        if (data.size() % blockAlign != 0) {
            return null; // a partial frame at the end: left to a decoder
        }
        return new Wav(rf64, layout, chunks, data, riffEnd);
    }

    /** The clip as interleaved samples in the file's format. */
    static byte[] encode(float[][] clip, Layout l) {
        int n = clip[0].length;
        int bps = l.bitsPerSample() / 8;
        ByteBuffer b = le(n * l.frameBytes());
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < l.channels(); c++) {
                double x = Math.clamp(clip[c][i], -1.0, 1.0);
                if (l.floating()) {
                    if (bps == 4) {
                        b.putFloat((float) x);
                    } else {
                        b.putDouble(x);
                    }
                    continue;
                }
                switch (bps) {
                    case 1 -> b.put((byte) (Math.round(x * 127) + 128));
                    case 2 -> b.putShort((short) Math.round(x * 32767));
                    case 3 -> {
                        int v = (int) Math.round(x * 8_388_607);
                        b.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
                    }
                    default -> b.putInt((int) Math.round(x * 2_147_483_647.0));
                }
            }
        }
        return b.array();
    }

    /** Interleaved samples in the file's format as floats, one array per channel. */
    static float[][] decode(byte[] bytes, Layout l) {
        int n = bytes.length / l.frameBytes();
        int bps = l.bitsPerSample() / 8;
        float[][] out = new float[l.channels()][n];
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < l.channels(); c++) {
                out[c][i] = l.floating() ? (bps == 4 ? b.getFloat() : (float) b.getDouble()) : switch (bps) {
                    case 1 -> ((b.get() & 0xFF) - 128) / 128f;
                    case 2 -> b.getShort() / 32768f;
                    case 3 -> ((b.get() & 0xFF) | (b.get() & 0xFF) << 8 | b.get() << 16) / 8_388_608f;
                    default -> b.getInt() / 2_147_483_648f;
                };
            }
        }
        return out;
    }

    /** {@code frames} frames of silence (unsigned 8-bit PCM is silent at 128). */
    private static byte[] silence(int frames, Layout l) {
        byte[] b = new byte[frames * l.frameBytes()];
        if (!l.floating() && l.bitsPerSample() == 8) {
            java.util.Arrays.fill(b, (byte) 128);
        }
        return b;
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void write(FileChannel o, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
            o.write(b);
        }
    }
}
