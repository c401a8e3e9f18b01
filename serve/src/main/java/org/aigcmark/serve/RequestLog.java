package org.aigcmark.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;

/**
 * The service's log: one JSON object a line (for log shippers), on the stream given (stderr from the CLI). A request
 * line has method, path, status, bytes in and out, milliseconds and the API key's id: never a key, a query string
 * or file contents.
 */
final class RequestLog {
    private static final ObjectMapper COMPACT = new ObjectMapper();
    private final PrintWriter out;

    RequestLog(PrintWriter out) {
        this.out = out;
    }

    void info(String message) {
        ObjectNode n = COMPACT.createObjectNode();
        n.put("time", Instant.now().toString());
        n.put("msg", message);
        write(n);
    }

    void request(String method, String path, int status, long bytesIn, long bytesOut, long nanos, String keyId) {
        ObjectNode n = COMPACT.createObjectNode();
        n.put("time", Instant.now().toString());
        n.put("method", method);
        n.put("path", path);
        n.put("status", status);
        n.put("bytesIn", bytesIn);
        n.put("bytesOut", bytesOut);
        n.put("ms", Math.round(nanos / 1e4) / 100.0);
        n.put("key", keyId);
        write(n);
    }

    private void write(ObjectNode n) {
        String line = n.toString();
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
