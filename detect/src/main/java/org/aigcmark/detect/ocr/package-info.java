/**
 * Visible-label OCR with the PaddleOCR PP-OCRv4 models. {@link org.aigcmark.detect.ocr.VisibleLabelFinder} detects
 * and reads text in the image's edge bands and applies the sdk's label rule and the GB 45438 §5.2 size and place
 * rule, giving a {@link org.aigcmark.detect.ocr.VisibleLabelScan}; {@link org.aigcmark.detect.ocr.ModelStore}
 * finds or fetches the pinned model files as {@link org.aigcmark.detect.ocr.OcrModels}; {@link
 * org.aigcmark.detect.ocr.DisplayImage} decodes a file as it is displayed. See docs/DETECT-OCR.md.
 */
package org.aigcmark.detect.ocr;
