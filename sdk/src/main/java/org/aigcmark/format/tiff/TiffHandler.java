package org.aigcmark.format.tiff;

import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.MediaType;
import org.aigcmark.format.exif.Exif;
import org.aigcmark.format.xmp.Xmp;
import org.aigcmark.Limits;

/** TIFF, read-only: XMP in IFD0 tag 700, EXIF-style ImageDescription/Software. Writing is not offered yet. */
public final class TiffHandler implements FormatHandler {
    @Override
    public MediaType type() {
        return MediaType.TIFF;
    }

    @Override
    public ContainerScan scan(byte[] b, Limits limits) {
        ContainerScan scan = new ContainerScan(MediaType.TIFF);
        Exif.Tags tags = Exif.scan(b, 0, b.length, "tiff", scan);
        Exif.Value w = tags.get(Exif.TAG_IMAGE_WIDTH);
        Exif.Value h = tags.get(Exif.TAG_IMAGE_LENGTH);
        if (w != null && h != null) {
            long width = Long.parseLong(w.text());
            long height = Long.parseLong(h.text());
            scan.dimensions((int) Math.min(width, Integer.MAX_VALUE), (int) Math.min(height, Integer.MAX_VALUE));
            if (width * height > limits.maxPixels()) {
                scan.damage().add("IFD0 declares " + width + "x" + height + " pixels, over the limit of " + limits.maxPixels());
            }
        } else {
            scan.damage().add("IFD0 has no image dimensions (not a readable TIFF)");
        }
        Exif.Value xmp = tags.get(Exif.TAG_XMP);
        if (xmp != null) {
            Xmp.scan(xmp.text(), "xmp", scan);
        }
        return scan;
    }
}
