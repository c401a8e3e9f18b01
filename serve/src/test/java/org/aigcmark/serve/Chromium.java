package org.aigcmark.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.aigcmark.TestSupport;

/**
 * Debian's headless Chromium driven over the DevTools protocol with the JDK's WebSocket client: open a page, put a
 * real file in its file input ({@code DOM.setFileInputFiles}, as a user choosing one), read the DOM, take a
 * screenshot. No timed assertions: waits are polls with a generous bound that only stops a hung browser.
 */
final class Chromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a page may take to reach a state before the test gives up (a hung browser, not a slow one). */
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(120);

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    /** Commands sent and not yet answered, by id. */
    private final Map<Integer, CompletableFuture<JsonNode>> waiting;

    private Chromium(Process process, WebSocket socket, Map<Integer, CompletableFuture<JsonNode>> waiting) {
        this.process = process;
        this.socket = socket;
        this.waiting = waiting;
    }

    /** Starts {@code chromium --headless} on a free DevTools port and attaches to its first page. */
    static Chromium start(Path profile) throws Exception {
        TestSupport.requireTool("chromium");
        Process p = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                "--window-size=1200,900", "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "about:blank")
                .redirectErrorStream(true).redirectOutput(profile.resolveSibling("chromium.log").toFile()).start();
        try {
            // Chromium writes the port it picked to DevToolsActivePort in its profile
            Path portFile = profile.resolve("DevToolsActivePort");
            long end = System.nanoTime() + PATIENCE_NANOS;
            String port = null;
            while (port == null) {
                if (!p.isAlive()) {
                    throw new AssertionError("chromium exited: " + Files.readString(profile.resolveSibling("chromium.log")));
                }
                if (System.nanoTime() > end) {
                    throw new AssertionError("chromium did not open its DevTools port");
                }
                List<String> lines = Files.exists(portFile) ? Files.readAllLines(portFile) : List.of();
                if (lines.size() >= 2) {
                    port = lines.get(0).strip();
                } else {
                    Thread.sleep(100);
                }
            }
            HttpClient http = HttpClient.newHttpClient();
            String pages = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            String ws = null;
            for (JsonNode t : JSON.readTree(pages)) {
                if (t.path("type").asText().equals("page")) {
                    ws = t.path("webSocketDebuggerUrl").asText();
                    break;
                }
            }
            if (ws == null) {
                throw new AssertionError("chromium has no page: " + pages);
            }
            Map<Integer, CompletableFuture<JsonNode>> waiting = new ConcurrentHashMap<>();
            WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(ws), new Listener(waiting)).get(30, TimeUnit.SECONDS);
            return new Chromium(p, socket, waiting);
        } catch (Exception | AssertionError e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** One DevTools command; its result, or an AssertionError with the protocol's error. */
    JsonNode call(String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        waiting.put(id, answer);
        ObjectNode msg = JSON.createObjectNode();
        msg.put("id", id);
        msg.put("method", method);
        msg.set("params", JSON.valueToTree(params));
        socket.sendText(JSON.writeValueAsString(msg), true).get(30, TimeUnit.SECONDS);
        JsonNode r = answer.get(PATIENCE_NANOS, TimeUnit.NANOSECONDS);
        if (r.has("error")) {
            throw new AssertionError(method + ": " + r.get("error"));
        }
        return r.path("result");
    }

    /** A JavaScript expression's value in the page. */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new AssertionError(expression + ": " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** Polls {@code expression} until it is one of {@code values}; the value reached. */
    String awaitValue(String expression, String... values) throws Exception {
        long end = System.nanoTime() + PATIENCE_NANOS;
        String last = null;
        while (System.nanoTime() < end) {
            last = eval(expression).asText();
            for (String v : values) {
                if (v.equals(last)) {
                    return last;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(expression + " stayed " + last + ", never one of " + List.of(values));
    }

    void navigate(String url) throws Exception {
        call("Page.navigate", Map.of("url", url));
        awaitValue("document.readyState", "complete");
    }

    /** Puts {@code file} in the file input {@code selector} as a user's choice would (its change event fires). */
    void chooseFile(String selector, Path file) throws Exception {
        int root = call("DOM.getDocument", Map.of("depth", 0)).path("root").path("nodeId").asInt();
        int node = call("DOM.querySelector", Map.of("nodeId", root, "selector", selector)).path("nodeId").asInt();
        if (node == 0) {
            throw new AssertionError("no " + selector + " in the page");
        }
        call("DOM.setFileInputFiles", Map.of("nodeId", node, "files", List.of(file.toAbsolutePath().toString())));
    }

    /** Types {@code text} into the focused element, as a keyboard would. */
    void type(String selector, String text) throws Exception {
        eval("document.querySelector('" + selector + "').focus()");
        call("Input.insertText", Map.of("text", text));
    }

    /** A PNG screenshot of the page. */
    byte[] screenshot() throws Exception {
        return java.util.Base64.getDecoder().decode(call("Page.captureScreenshot", Map.of("format", "png")).path("data").asText());
    }

    @Override
    public void close() throws IOException {
        try {
            socket.abort();
        } finally {
            // its renderer and helper processes first, so none outlives the test
            java.util.List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            children.forEach(ProcessHandle::destroy);
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Routes each answer to its command by id; events are ignored. */
    private static final class Listener implements WebSocket.Listener {
        private final Map<Integer, CompletableFuture<JsonNode>> waiting;
        private final StringBuilder partial = new StringBuilder();

        Listener(Map<Integer, CompletableFuture<JsonNode>> waiting) {
            this.waiting = waiting;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode msg = JSON.readTree(text);
                    if (msg.has("id")) {
                        CompletableFuture<JsonNode> f = waiting.remove(msg.get("id").asInt());
                        if (f != null) {
                            f.complete(msg);
                        }
                    }
                } catch (IOException e) {
                    // not JSON: not an answer
                }
            }
            ws.request(1);
            return null;
        }
    }
}
