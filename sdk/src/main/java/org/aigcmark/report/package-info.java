/**
 * Renderings of reports: {@link org.aigcmark.report.ReportJson} turns an {@link org.aigcmark.InspectReport} into
 * the stable JSON shape that users' scripts read.
 */
package org.aigcmark.report;
