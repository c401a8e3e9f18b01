package org.aigcmark;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.watermark.ImageWatermarker;
import org.aigcmark.watermark.WatermarkPayload;

/** The pixel steps a default {@link Labeler} runs: the invisible watermark. */
final class PixelSteps {
    private PixelSteps() {}

    static List<Labeler.PixelStep> defaults() {
        return List.of(new WatermarkStep());
    }

    /** Embeds the keyed watermark whose payload is bound to the label (ContentProducer + ProduceID). */
    static final class WatermarkStep implements Labeler.PixelStep {
        /** Watermarkers precompute keyed tables: keep a few, keyed by the key (services reuse one key). */
        private final Map<WatermarkKey, ImageWatermarker> cache = new ConcurrentHashMap<>();
        private final Map<WatermarkKey, ImageWatermarker> quick = new ConcurrentHashMap<>();

        @Override
        public boolean wants(LabelRequest request) {
            return request.watermarkKey().isPresent();
        }

        /**
         * Our mark under the request's key, found at the image's own geometry in any orientation (a file we labelled
         * before is not cropped or rotated between our own calls; the quick search's comb would add ~28 ms per call).
         */
        @Override
        public java.util.Optional<String> existing(BufferedImage image, LabelRequest request) {
            WatermarkKey key = request.watermarkKey().orElseThrow();
            if (quick.size() > 16) {
                quick.clear();
            }
            if (Math.min(image.getWidth(), image.getHeight()) < ImageWatermarker.MIN_DETECT_SIDE) {
                return java.util.Optional.empty();
            }
            var d = quick.computeIfAbsent(key, k -> ImageWatermarker.create(k, org.aigcmark.watermark.WatermarkOptions.defaults()
                    .withSearch(org.aigcmark.watermark.WatermarkOptions.Search.OWN_GEOMETRY))).detect(image);
            return d.detected() ? d.payload().map(WatermarkPayload::hex) : java.util.Optional.empty();
        }

        @Override
        public String apply(BufferedImage image, LabelRequest request, AigcLabel label) {
            WatermarkKey key = request.watermarkKey().orElseThrow();
            if (cache.size() > 16) {
                cache.clear();
                quick.clear();
            }
            ImageWatermarker w = cache.computeIfAbsent(key, ImageWatermarker::create);
            WatermarkPayload payload = payloadFor(key, label);
            w.embed(image, payload);
            return null; // the payload is reported in LabelResult.watermarkPayload()
        }
    }

    static WatermarkPayload payloadFor(WatermarkKey key, AigcLabel label) {
        return WatermarkPayload.fromLabel(key, label.contentProducer(), label.produceId());
    }
}
