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

        @Override
        public boolean wants(LabelRequest request) {
            return request.watermarkKey().isPresent();
        }

        @Override
        public String apply(BufferedImage image, LabelRequest request, AigcLabel label) {
            WatermarkKey key = request.watermarkKey().orElseThrow();
            if (cache.size() > 16) {
                cache.clear();
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
