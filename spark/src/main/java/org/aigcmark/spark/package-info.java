/**
 * The detection pipeline on Apache Spark: {@link org.aigcmark.spark.AigcScan}, a Dataset transformation over Spark's
 * {@code binaryFile} source (or a column of paths) that yields one result row per file from one {@code Detector} per
 * executor JVM, built from {@link org.aigcmark.spark.ScanSettings}; and {@link org.aigcmark.spark.SparkScanCommand},
 * the job ({@code aigcmark spark-scan DIR --out OUT}) that writes those rows as Parquet and JSON. Spark is provided by
 * the cluster (or by the launcher's class path in local mode). See docs/SCALE.md.
 */
package org.aigcmark.spark;
