package org.aigcmark.detect.ocr;

import java.nio.file.Path;

/** The three PaddleOCR files the visible-label finder needs, already checked against their pinned sha256. */
public record OcrModels(Path detection, Path recognition, Path dictionary) {
}
