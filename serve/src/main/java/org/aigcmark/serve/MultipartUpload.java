package org.aigcmark.serve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.aigcmark.AigcmarkException;
import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.RequestContext;

/**
 * A {@code multipart/form-data} body read part by part as it arrives (Commons FileUpload's streaming parser, never a
 * part whole in memory): one file part, spooled like a raw body, and option fields named like the query parameters.
 * At most {@link #MAX_PARTS} parts and {@link #MAX_FIELD_BYTES} a field; past either, {@code LIMIT_EXCEEDED} (413).
 */
final class MultipartUpload {
    /** Parts a body may have: a file and the options of the widest endpoint ({@code /v1/label}), with room. */
    static final int MAX_PARTS = 24;
    /** The longest option field. */
    static final int MAX_FIELD_BYTES = 4096;

    private MultipartUpload() {}

    /** Where the file part goes: the bounded copy to the spool, which returns the count (negative past the limit). */
    @FunctionalInterface
    interface Spool {
        long copy(InputStream part) throws IOException;
    }

    /** The option fields in order, the file part's size (negative: over the limit) and its file name (or null). */
    record Parts(Map<String, String> fields, long fileBytes, String fileName) {}

    static boolean isMultipart(String contentType) {
        return contentType != null && contentType.regionMatches(true, 0, "multipart/form-data", 0, 19);
    }

    /**
     * Reads the parts; the file part (the one with a file name, or named {@code file}) goes through {@code spool}.
     *
     * @throws AigcmarkException {@code INVALID_ARGUMENT} for a malformed body, no file part, two, or a field given
     *     twice; {@code LIMIT_EXCEEDED} past the part or field limits
     */
    static Parts read(InputStream body, String contentType, long contentLength, Spool spool) throws IOException {
        Reader reader = new Reader();
        reader.setHeaderCharset(StandardCharsets.UTF_8);
        Map<String, String> fields = new LinkedHashMap<>();
        long fileBytes = Long.MIN_VALUE;
        String fileName = null;
        int parts = 0;
        try {
            FileItemInputIterator it = reader.getItemIterator(new Body(body, contentType, contentLength));
            while (it.hasNext()) {
                FileItemInput part = it.next();
                if (++parts > MAX_PARTS) {
                    throw new AigcmarkException(AigcmarkException.Reason.LIMIT_EXCEEDED, "the multipart body has more than " + MAX_PARTS + " parts");
                }
                String field = part.getFieldName();
                boolean isFile = part.getName() != null || "file".equals(field);
                if (isFile) {
                    if (fileBytes != Long.MIN_VALUE) {
                        throw AigcmarkException.invalid("the multipart body has more than one file part: send one file a request");
                    }
                    fileName = part.getName();
                    try (InputStream in = part.getInputStream()) {
                        fileBytes = spool.copy(in);
                    }
                    if (fileBytes < 0) {
                        return new Parts(fields, fileBytes, fileName); // over the limit: stop reading here
                    }
                } else {
                    if (field == null || field.isEmpty()) {
                        throw AigcmarkException.invalid("a multipart field has no name");
                    }
                    byte[] value;
                    try (InputStream in = part.getInputStream()) {
                        value = in.readNBytes(MAX_FIELD_BYTES + 1);
                    }
                    if (value.length > MAX_FIELD_BYTES) {
                        throw new AigcmarkException(AigcmarkException.Reason.LIMIT_EXCEEDED, "the multipart field " + field + " is over " + MAX_FIELD_BYTES + " bytes");
                    }
                    if (fields.put(field, new String(value, StandardCharsets.UTF_8)) != null) {
                        throw AigcmarkException.invalid("the multipart field " + field + " is given twice");
                    }
                }
            }
        } catch (FileUploadException e) {
            throw AigcmarkException.invalid("the multipart body is malformed: " + e.getMessage());
        }
        if (fileBytes == Long.MIN_VALUE) {
            throw AigcmarkException.invalid("the multipart body has no file part (a part with a filename, or named file)");
        }
        return new Parts(fields, fileBytes, fileName);
    }

    /** The request as Commons FileUpload reads it. */
    private record Body(InputStream in, String contentType, long contentLength) implements RequestContext {
        @Override
        public String getCharacterEncoding() {
            return StandardCharsets.UTF_8.name();
        }

        @Override
        public long getContentLength() {
            return contentLength;
        }

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        public InputStream getInputStream() {
            return in;
        }

        @Override
        public boolean isMultipartRelated() {
            return false;
        }
    }

    /** FileUpload's streaming half only: the parts are read as they come, nothing is kept by the library. */
    private static final class Reader extends AbstractFileUpload<Body, DiskFileItem, DiskFileItemFactory> {
        @Override
        public FileItemInputIterator getItemIterator(Body body) throws FileUploadException, IOException {
            return getItemIterator((RequestContext) body);
        }

        @Override
        public Map<String, List<DiskFileItem>> parseParameterMap(Body body) {
            throw new UnsupportedOperationException("parts are streamed, never kept");
        }

        @Override
        public List<DiskFileItem> parseRequest(Body body) {
            throw new UnsupportedOperationException("parts are streamed, never kept");
        }
    }
}
