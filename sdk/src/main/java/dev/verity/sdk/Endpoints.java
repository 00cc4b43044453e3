package dev.verity.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The validator API URLs one {@link VerityClient} speaks to, and the one in use. A call goes to the URL in use; when
 * that validator is unavailable ({@link VerityApiException#unavailable()}) the same call goes to the next URL, in
 * order and round the list, and the client sticks to the first one that answers. Any other error, the caller's
 * (4xx) among them, ends the call at once. With one URL a call is simply made.
 */
final class Endpoints {
    private static final System.Logger LOG = System.getLogger(VerityClient.class.getName());

    /** One try of a call on the validator at {@code base}; {@code retried} when an earlier URL of the call was unavailable. */
    @FunctionalInterface
    interface Attempt<T> {
        T apply(String base, boolean retried);
    }

    private final List<String> urls;
    private final AtomicInteger current = new AtomicInteger();
    private volatile Consumer<String> onMove = message -> LOG.log(System.Logger.Level.DEBUG, message);

    /** {@code urls}: base URLs without a trailing slash, at least one, no two the same. */
    Endpoints(List<String> urls) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("give at least one validator API URL");
        }
        if (urls.stream().distinct().count() != urls.size()) {
            throw new IllegalArgumentException("a validator API URL is given twice in " + urls);
        }
        this.urls = List.copyOf(urls);
    }

    List<String> all() {
        return urls;
    }

    int size() {
        return urls.size();
    }

    /** Hears a sentence each time calls move to another URL (by default, a debug line of {@code System.Logger}). */
    void onMove(Consumer<String> listener) {
        this.onMove = listener;
    }

    private void moved(String message) {
        try {
            onMove.accept(message);
        } catch (RuntimeException ignored) {
            // a failing listener must not fail the call
        }
    }

    /** The URL calls go to first. */
    String current() {
        return urls.get(current.get());
    }

    /** Makes the URL after {@code base} the one in use, unless another call has already moved on from {@code base}. */
    void movePast(String base) {
        int i = urls.indexOf(base);
        if (i >= 0 && current.compareAndSet(i, (i + 1) % urls.size())) {
            moved("the validator at " + base + " is unavailable; trying " + current() + " next");
        }
    }

    /**
     * Makes the call on the URL in use, then on each next URL while the validators are unavailable. Throws the first
     * error that is not an unavailable validator; when every URL is unavailable, an error naming each URL and why
     * (its code is theirs when they all failed alike, else {@link VerityApiException#UNAVAILABLE}).
     */
    <T> T call(Attempt<T> attempt) {
        if (urls.size() == 1) {
            return attempt.apply(urls.getFirst(), false);
        }
        int start = current.get();
        List<VerityApiException> failures = new ArrayList<>();
        for (int k = 0; k < urls.size(); k++) {
            int i = (start + k) % urls.size();
            String base = urls.get(i);
            try {
                T result = attempt.apply(base, k > 0);
                if (k > 0 && current.compareAndSet(start, i)) {
                    moved("the validator at " + urls.get(start) + " is unavailable (" + failures.getFirst().getMessage()
                            + "); now using " + base);
                }
                return result;
            } catch (VerityApiException e) {
                if (!e.unavailable()) {
                    throw e;
                }
                failures.add(e);
            }
        }
        throw allUnavailable(failures, start);
    }

    private VerityApiException allUnavailable(List<VerityApiException> failures, int start) {
        StringBuilder why = new StringBuilder("no validator answers; tried ");
        for (int k = 0; k < failures.size(); k++) {
            VerityApiException e = failures.get(k);
            why.append(k == 0 ? "" : "; ").append(urls.get((start + k) % urls.size())).append(" (").append(e.code())
                    .append(e.status() == 0 ? "" : ", HTTP " + e.status()).append(": ").append(e.getMessage()).append(')');
        }
        VerityApiException last = failures.getLast();
        boolean alike = failures.stream().allMatch(e -> e.code().equals(last.code()) && e.status() == last.status());
        VerityApiException out = alike
                ? new VerityApiException(last.code(), why.toString(), last.status(), last)
                : new VerityApiException(VerityApiException.UNAVAILABLE, why.toString(), 0, last);
        failures.subList(0, failures.size() - 1).forEach(out::addSuppressed);
        return out;
    }
}
