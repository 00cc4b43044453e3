package dev.verity.gateway;

import dev.verity.gateway.openai.OpenAiException;
import io.javalin.http.Context;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.BadMessageException;

/**
 * Reads a request body without holding a thread while it arrives (a servlet {@link ReadListener}): a slow sender costs
 * a connection, not a worker. Over the limit it fails with 413; slower than the minimum data rate, Jetty's 408.
 */
final class BodyReader {

    private BodyReader() {
    }

    static OpenAiException tooLarge(long limit) {
        return new OpenAiException(413, OpenAiException.INVALID_REQUEST, null, "request_too_large", "The request body "
                + "is larger than this gateway accepts: at most " + limit + " bytes.");
    }

    static CompletableFuture<byte[]> read(Context ctx, long limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            return CompletableFuture.failedFuture(tooLarge(limit));
        }
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        ServletInputStream in;
        try {
            in = ctx.req().getInputStream();
        } catch (IOException e) {
            return CompletableFuture.failedFuture(failure(e));
        }
        in.setReadListener(new ReadListener() {
            private final ByteArrayOutputStream body = new ByteArrayOutputStream();
            private final byte[] chunk = new byte[16 * 1024];

            @Override
            public void onDataAvailable() {
                try {
                    while (!done.isDone() && in.isReady()) {
                        int n = in.read(chunk);
                        if (n < 0) {
                            return;
                        }
                        body.write(chunk, 0, n);
                        if (body.size() > limit) {
                            done.completeExceptionally(tooLarge(limit));
                            return;
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    done.completeExceptionally(failure(e));
                }
            }

            @Override
            public void onAllDataRead() {
                done.complete(body.toByteArray());
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(failure(t));
            }
        });
        return done;
    }

    /** Why a body could not be read: Jetty's own status (408 too slow, 400 malformed) or 400. */
    private static RuntimeException failure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BadMessageException bad) {
                return bad;
            }
            if (c instanceof TimeoutException || c instanceof java.net.SocketTimeoutException) {
                return new BadMessageException(408, "idle timeout");
            }
        }
        return OpenAiException.invalid(null, "invalid_body", "Could not read the request body: "
                + (t.getMessage() == null ? t.toString() : t.getMessage()));
    }
}
