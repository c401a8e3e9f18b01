/**
 * The aigcmark-documents artifact's entry point: {@link org.aigcmark.documents.DocumentFormats} hands the OOXML and
 * PDF handlers to the sdk's {@link org.aigcmark.format.FormatRegistry#defaults()} through
 * {@link java.util.ServiceLoader}, so adding this jar to the class path is all it takes to label, inspect and detect
 * DOCX/XLSX/PPTX and PDF files. It lives apart from the sdk so that callers who do not read documents do not carry
 * Apache PDFBox and Commons Compress.
 */
package org.aigcmark.documents;
