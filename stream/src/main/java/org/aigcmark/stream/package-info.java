/**
 * Upload scanning on Kafka Streams (issue 13, the stream half): {@link org.aigcmark.stream.StreamScanTopology} turns
 * upload events into verdict events with the sdk's one detection pipeline ({@link org.aigcmark.detection.Detector},
 * one instance shared by every stream thread), sends unreadable events to a dead-letter topic with the reason, and
 * writes the platform's propagated label (ContentPropagator, PropagateID: {@link org.aigcmark.Labeler#propagate}) back
 * through an {@link org.aigcmark.stream.ObjectStore}. {@link org.aigcmark.stream.StreamScanApp} runs it against a
 * cluster (docs/STREAM.md).
 */
package org.aigcmark.stream;
