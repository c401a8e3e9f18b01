/**
 * Image classifiers run by ONNX Runtime. {@link org.aigcmark.detect.model.OnnxImageClassifier} runs a model described
 * by a {@link org.aigcmark.detect.model.ModelSpec} (a JSON file next to it, pinned by sha256) and returns a {@link
 * org.aigcmark.detect.model.Classification} with its fake score; {@link org.aigcmark.detect.model.FaceDetector}
 * (BlazeFace) finds the faces that face-swap models score; {@link org.aigcmark.detect.model.ScoreAggregation} folds
 * face or frame scores into one. See docs/DETECT-MODELS.md.
 */
package org.aigcmark.detect.model;
