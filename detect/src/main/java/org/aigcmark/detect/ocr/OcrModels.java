package org.aigcmark.detect.ocr;

import java.nio.file.Path;

/**
 * The three PaddleOCR files the visible-label finder needs, already checked against their pinned sha256.
 *
 * @param detection the DB text-detection model (.onnx)
 * @param recognition the CRNN text-recognition model (.onnx)
 * @param dictionary the recognition model's character dictionary, one character a line
 */
public record OcrModels(Path detection, Path recognition, Path dictionary) {
}
