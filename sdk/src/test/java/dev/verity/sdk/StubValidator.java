package dev.verity.sdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A stand-in for a validator's API on a loopback port (the JDK's own HTTP server): every request goes to one handler
 * the test sets, and is recorded as "METHOD path?query".
 */
final class StubValidator implements AutoCloseable {
    @FunctionalInterface
    interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile Handler handler = ex -> answer(ex, 404, "{\"code\":\"NOT_FOUND\",\"message\":\"no route\"}");

    StubValidator() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "stub-validator");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", ex -> {
            String q = ex.getRequestURI().getRawQuery();
            requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + (q == null ? "" : "?" + q));
            try {
                handler.handle(ex);
            } finally {
                ex.close();
            }
        });
        server.start();
    }

    StubValidator on(Handler h) {
        this.handler = h;
        return this;
    }

    /** Answers every request with {@code status} and the API error {@code code}. */
    StubValidator failing(int status, String code) {
        return on(ex -> answer(ex, status, "{\"code\":\"" + code + "\",\"message\":\"stub says " + code + "\"}"));
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<String> requests() {
        return requests;
    }

    static void answer(HttpExchange ex, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** A chain status as the API sends it, naming {@code who} as the validator. */
    static String status(String who, long height) {
        return "{\"chainId\":\"stub\",\"height\":" + height + ",\"headHash\":\"00\",\"stateRoot\":\"00\",\"timestampMillis\":0,"
                + "\"mempoolSize\":0,\"validator\":\"" + who + "\",\"genesisHash\":\"00\",\"basePrice\":1}";
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
