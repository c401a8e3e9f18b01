package org.aigcmark.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;

import java.nio.file.Path;
import org.aigcmark.AigcmarkException;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Puts a new sound track into a video without touching its pictures: every packet of the video file is copied as it
 * is (stream copy) except those of its first audio stream, whose place takes the first audio stream of a second file
 * (the re-encoded track), packet for packet; the two are interleaved by time. Streams other than video and audio
 * (data tracks, subtitles the muxer refuses) are dropped and counted. Container and stream tags are carried over.
 * For the audio cue in a video ({@link AudioCueMediaLabeler}).
 */
final class SoundTrackRemux {
    private SoundTrackRemux() {}

    /**
     * Writes {@code out} (not atomically: callers write a temp file) in the container {@code muxer} from
     * {@code video}'s streams with its first audio stream replaced by {@code audio}'s first audio stream.
     *
     * @return how many streams of {@code video} were dropped
     */
    static int replaceAudio(Path video, Path audio, Path out, String muxer) {
        Ffmpeg.init();
        AVFormatContext vin = open(video);
        AVFormatContext ain = null;
        AVFormatContext oc = null;
        AVPacket pv = av_packet_alloc();
        AVPacket pa = av_packet_alloc();
        try {
            ain = open(audio);
            int aIndex = av_find_best_stream(ain, AVMEDIA_TYPE_AUDIO, -1, -1, (org.bytedeco.ffmpeg.avcodec.AVCodec) null, 0);
            if (aIndex < 0) {
                throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "the re-encoded sound track has no audio stream");
            }
            oc = new AVFormatContext(null);
            check(avformat_alloc_output_context2(oc, null, muxer, out.toString()), "output container (" + muxer + ")");
            int n = vin.nb_streams();
            int[] map = new int[n];
            int replaced = -1;
            int dropped = 0;
            int outAudio = -1;
            int next = 0;
            for (int i = 0; i < n; i++) {
                AVStream s = vin.streams(i);
                int type = s.codecpar().codec_type();
                if (type != AVMEDIA_TYPE_VIDEO && type != AVMEDIA_TYPE_AUDIO) {
                    map[i] = -1;
                    dropped++;
                    continue;
                }
                AVStream os = avformat_new_stream(oc, null);
                if (os == null || os.isNull()) {
                    throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, "out of memory adding an output stream");
                }
                AVStream from = s;
                if (type == AVMEDIA_TYPE_AUDIO && replaced < 0) {
                    replaced = i;
                    outAudio = next;
                    from = ain.streams(aIndex);
                }
                check(avcodec_parameters_copy(os.codecpar(), from.codecpar()), "stream parameters");
                os.codecpar().codec_tag(0);
                os.time_base(from.time_base());
                os.disposition(s.disposition());
                AVDictionary tags = new AVDictionary(null);
                av_dict_copy(tags, s.metadata(), 0);
                os.metadata(tags);
                map[i] = next++;
            }
            if (replaced < 0) {
                throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, video.getFileName() + " has no audio stream to replace");
            }
            AVDictionary meta = new AVDictionary(null);
            av_dict_copy(meta, vin.metadata(), 0);
            oc.metadata(meta);
            AVIOContext pb = new AVIOContext(null);
            int r = avio_open(pb, out.toString(), AVIO_FLAG_WRITE);
            if (r < 0) {
                throw new AigcmarkException(AigcmarkException.Reason.OUTPUT_NOT_WRITABLE, "cannot write " + out + ": " + Ffmpeg.error(r));
            }
            oc.pb(pb);
            check(avformat_write_header(oc, (AVDictionary) null), "writing the container header");
            boolean haveV = readFrom(vin, pv, replaced, map);
            boolean haveA = readAudio(ain, pa, aIndex);
            while (haveV || haveA) {
                boolean takeV = haveV && (!haveA || av_compare_ts(time(pv), vin.streams(pv.stream_index()).time_base(),
                        time(pa), ain.streams(aIndex).time_base()) <= 0);
                if (takeV) {
                    int os = map[pv.stream_index()];
                    av_packet_rescale_ts(pv, vin.streams(pv.stream_index()).time_base(), oc.streams(os).time_base());
                    pv.stream_index(os);
                    pv.pos(-1);
                    check(av_interleaved_write_frame(oc, pv), "writing a video packet");
                    haveV = readFrom(vin, pv, replaced, map);
                } else {
                    av_packet_rescale_ts(pa, ain.streams(aIndex).time_base(), oc.streams(outAudio).time_base());
                    pa.stream_index(outAudio);
                    pa.pos(-1);
                    check(av_interleaved_write_frame(oc, pa), "writing an audio packet");
                    haveA = readAudio(ain, pa, aIndex);
                }
            }
            check(av_write_trailer(oc), "writing the container trailer");
            return dropped;
        } finally {
            av_packet_free(pv);
            av_packet_free(pa);
            if (oc != null && !oc.isNull()) {
                if (oc.pb() != null && !oc.pb().isNull()) {
                    avio_closep(oc.pb());
                }
                avformat_free_context(oc);
            }
            if (ain != null) {
                avformat_close_input(ain);
            }
            avformat_close_input(vin);
        }
    }

    /** The packet's decoding time, or its presentation time when the demuxer gave none. */
    private static long time(AVPacket p) {
        return p.dts() != AV_NOPTS_VALUE ? p.dts() : p.pts() != AV_NOPTS_VALUE ? p.pts() : 0;
    }

    /** The next packet of a kept stream of the video file (the replaced audio and dropped streams skipped). */
    private static boolean readFrom(AVFormatContext in, AVPacket p, int replaced, int[] map) {
        return readNext(in, p, "reading the video", i -> i != replaced && i >= 0 && i < map.length && map[i] >= 0);
    }

    /** The next packet of the re-encoded sound track's audio stream {@code index}. */
    private static boolean readAudio(AVFormatContext in, AVPacket p, int index) {
        return readNext(in, p, "reading the re-encoded sound track", i -> i == index);
    }

    /** Reads packets into {@code p} until one of a stream {@code wanted} accepts (true) or the end (false). */
    private static boolean readNext(AVFormatContext in, AVPacket p, String what, java.util.function.IntPredicate wanted) {
        while (true) {
            av_packet_unref(p);
            int r = av_read_frame(in, p);
            if (r == AVERROR_EOF) {
                return false;
            }
            check(r, what);
            if (wanted.test(p.stream_index())) {
                return true;
            }
        }
    }

    private static AVFormatContext open(Path file) {
        AVFormatContext ic = new AVFormatContext(null);
        int r = avformat_open_input(ic, file.toString(), null, null);
        if (r < 0) {
            throw Ffmpeg.corrupt(file.getFileName() + " cannot be opened", r);
        }
        r = avformat_find_stream_info(ic, (PointerPointer<?>) null);
        if (r < 0) {
            avformat_close_input(ic);
            throw Ffmpeg.corrupt(file.getFileName() + ": stream parameters could not be read", r);
        }
        return ic;
    }

    private static void check(int r, String what) {
        if (r < 0) {
            throw new AigcmarkException(AigcmarkException.Reason.INTERNAL, what + " failed: " + Ffmpeg.error(r));
        }
    }
}
