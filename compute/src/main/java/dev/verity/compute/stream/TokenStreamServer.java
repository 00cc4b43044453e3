package dev.verity.compute.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verity.core.Hash;
import dev.verity.protocol.generation.FinishReason;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node's token stream endpoint: {@code GET /v1/jobs/{id}/tokens} answers server-sent events with every token of
 * the node's generation job {@code id}, from the first, as it is made ({@code event: token}, data
 * {@code {"index":i,"id":t}}), then {@code event: done} with the finish reason, or {@code event: error} with a
 * message. What streams here is a preview: clients compare it with the result settled on chain. Each subscription has
 * its own thread and queue, so a slow client never holds up generation; at most {@code maxStreams} at once.
 */
public final class TokenStreamServer implements AutoCloseable {
    private static final int QUEUE_CAPACITY = 65_536;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TokenStreams streams;
    private final Duration startTimeout;
    private final int maxStreams;
    private final AtomicInteger open = new AtomicInteger();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Javalin app;

    /** Starts serving {@code streams} on {@code host:port} (port 0: any free port). */
    public TokenStreamServer(TokenStreams streams, String host, int port, Duration startTimeout, int maxStreams) {
        this.streams = streams;
        this.startTimeout = startTimeout;
        this.maxStreams = maxStreams;
        this.app = Javalin.create(cfg -> cfg.showJavalinBanner = false);
        app.get("/v1/jobs/{id}/tokens", this::stream);
        app.exception(IllegalArgumentException.class, (e, ctx) -> ctx.status(400).json(Map.of("error", e.getMessage())));
        app.start(host, port);
    }

    public int port() {
        return app.port();
    }

    private void stream(Context ctx) {
        Hash job = Hash.fromHex(ctx.pathParam("id"));
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            ctx.status(503).json(Map.of("error", "this node already serves " + maxStreams + " token streams; retry later"));
            return;
        }
        BlockingQueue<String[]> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
        Runnable unsubscribe = streams.subscribe(job, new TokenListener() {
            @Override
            public void token(int index, int id) {
                queue.offer(new String[] {"token", "{\"index\":" + index + ",\"id\":" + id + "}"});
            }

            @Override
            public void finished(FinishReason reason) {
                queue.offer(new String[] {"done", "{\"finishReason\":\"" + reason.name() + "\"}"});
            }

            @Override
            public void failed(String message) {
                queue.offer(new String[] {"error", "{\"message\":" + quote(message) + "}"});
            }
        });
        try {
            HttpServletResponse res = ctx.res();
            res.setStatus(200);
            res.setCharacterEncoding("UTF-8");
            res.setContentType("text/event-stream");
            res.addHeader("Cache-Control", "no-cache");
            res.flushBuffer();
        } catch (IOException e) {
            unsubscribe.run();
            open.decrementAndGet();
            throw new UncheckedIOException(e);
        }
        ctx.async(cfg -> {
            cfg.timeout = 0;
            cfg.executor = executor;
        }, () -> {
            try {
                relay(new SseClient(ctx), job, queue);
            } finally {
                unsubscribe.run();
                open.decrementAndGet();
            }
        });
    }

    private void relay(SseClient client, Hash job, BlockingQueue<String[]> queue) {
        long waitedMillis = 0;
        boolean any = false;
        try {
            while (!client.terminated()) {
                String[] next = queue.poll(1, TimeUnit.SECONDS);
                if (next == null) {
                    waitedMillis += 1_000;
                    if (!any && waitedMillis >= startTimeout.toMillis()) {
                        client.sendEvent("error", "{\"message\":" + quote("this node has not started job " + job.hex()
                                + " in " + startTimeout.toSeconds() + " s") + "}");
                        return;
                    }
                    client.sendComment("keep-alive");
                    continue;
                }
                any = true;
                client.sendEvent(next[0], next[1]);
                if (!next[0].equals("token")) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            client.close();
        }
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        app.stop();
        executor.shutdownNow();
    }
}
