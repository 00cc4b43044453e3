package dev.verity.sdk;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verity.sdk.api.EventView;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads one {@link EventSubscription}'s server-sent events into its callbacks, on the subscription's thread. When the
 * stream ends other than by {@link EventSubscription#close()}, it is opened again by {@code reopen} (a client with
 * several validators: the next one, after the last event delivered), or, without one or when that fails, the error
 * callback hears {@code STREAM_CLOSED} with where to resume.
 */
final class EventPump {
    /** A stream opened on the validator at {@code base}. */
    record Opened(String base, InputStream body) {}

    /** Opens the stream again after the one from {@code endedBase} ended; throws when no validator takes it. */
    @FunctionalInterface
    interface Reopen {
        Opened after(String endedBase);
    }

    private final ObjectMapper json;
    private final EventSubscription sub;
    private final Consumer<EventView> onEvent;
    private final Consumer<Throwable> onError;
    private final Reopen reopen;
    private final Runnable onEnd;

    /** {@code reopen}: null to end with the first stream; {@code onEnd}: run once when the subscription ends. */
    EventPump(ObjectMapper json, EventSubscription sub, Consumer<EventView> onEvent, Consumer<Throwable> onError, Reopen reopen,
              Runnable onEnd) {
        this.json = json;
        this.sub = sub;
        this.onEvent = onEvent;
        this.onError = onError;
        this.reopen = reopen;
        this.onEnd = onEnd;
    }

    void run(Opened first) {
        try {
            Opened current = first;
            while (true) {
                Throwable failure = read(current.body());
                if (sub.closedByUser()) {
                    return;
                }
                String ended = "the event stream from " + current.base() + " ended"
                        + (failure == null ? "" : " (" + failure.getMessage() + ")");
                if (reopen == null) {
                    closed(ended, failure);
                    return;
                }
                try {
                    current = reopen.after(current.base());
                } catch (VerityApiException e) {
                    if (!sub.closedByUser()) {
                        closed(ended + " and no validator took it up again: " + e.getMessage(), e);
                    }
                    return;
                }
                if (!sub.attach(current.body())) {
                    return; // closed while it was being opened again
                }
            }
        } finally {
            onEnd.run();
            sub.finished();
        }
    }

    private void closed(String what, Throwable cause) {
        String resume = sub.lastEventId() == null ? "" : " after event " + sub.lastEventId();
        report(new VerityApiException(VerityApiException.STREAM_CLOSED, what + "; resubscribe with fromHeight="
                + Math.max(0, sub.lastHeight()) + resume + " to go on", 0, cause));
    }

    /** Delivers the stream's events until it ends; returns why it broke, or null when the node ended it. */
    private Throwable read(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            StringBuilder data = new StringBuilder();
            String id = null;
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        deliver(data.toString(), id);
                    }
                    data.setLength(0);
                    id = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    continue; // a comment: keep-alive
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "data" -> {
                        if (!data.isEmpty()) {
                            data.append('\n');
                        }
                        data.append(value);
                    }
                    case "id" -> id = value;
                    default -> {
                        // "event" (the type is in the data too) and "retry" need nothing
                    }
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return e;
        }
    }

    private void deliver(String data, String id) {
        EventView ev;
        try {
            ev = json.readValue(data, EventView.class);
        } catch (IOException e) {
            report(new VerityApiException("BAD_EVENT", "the node sent an event that is not an EventView: " + e.getMessage(), 200, e));
            return;
        }
        if (id != null) {
            sub.seen(id);
        }
        try {
            onEvent.accept(ev);
        } catch (RuntimeException e) {
            report(e);
        }
    }

    private void report(Throwable t) {
        if (onError != null) {
            try {
                onError.accept(t);
            } catch (RuntimeException ignored) {
                // nothing sensible to do with a failing error handler
            }
        }
    }
}
