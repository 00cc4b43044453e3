package dev.verity.systemtest;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP/1.1 proxy on loopback between a compute node and its validator that passes every request on, except the
 * transactions the node posts ({@code POST /v1/transactions}), which it holds, unanswered and never passed on, for as
 * long as it is open. A node behind it computes its answer, journals it and sends it, and the validator never sees it:
 * the moment a crash can fall between journaling an answer and the chain having it.
 *
 * <p>Requests are read with their {@code Content-Length} body (the SDK sends no chunked requests); responses are
 * copied back byte for byte.
 */
final class HoldingProxy implements Closeable {
    private final URI upstream;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final List<String> held = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    HoldingProxy(String upstreamUrl) throws IOException {
        this.upstream = URI.create(upstreamUrl);
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofPlatform().daemon().name("holding-proxy").start(this::accept);
    }

    /** The URL to give the node instead of the validator's. */
    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** The request lines of the transactions held so far. */
    List<String> held() {
        return List.copyOf(held);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Socket up = new Socket(upstream.getHost(), upstream.getPort());
                sockets.add(up);
                Thread.ofPlatform().daemon().name("holding-proxy-response").start(() -> copy(up, client));
                Thread.ofPlatform().daemon().name("holding-proxy-request").start(() -> requests(client, up));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("holding proxy: " + e);
                }
            }
        }
    }

    /** Reads the client's requests one by one and passes them on, holding the transactions. */
    private void requests(Socket client, Socket up) {
        try (InputStream in = client.getInputStream(); OutputStream out = up.getOutputStream()) {
            while (true) {
                byte[] head = readHead(in);
                if (head == null) {
                    return;
                }
                String text = new String(head, StandardCharsets.ISO_8859_1);
                String requestLine = text.substring(0, text.indexOf("\r\n"));
                byte[] body = in.readNBytes(contentLength(text));
                if (requestLine.startsWith("POST /v1/transactions ")) {
                    held.add(requestLine);
                    // Never passed on, never answered: the client waits until it gives up or dies.
                    in.transferTo(OutputStream.nullOutputStream());
                    return;
                }
                out.write(head);
                out.write(body);
                out.flush();
            }
        } catch (IOException e) {
            // a side closed the connection
        } finally {
            closeQuietly(client);
            closeQuietly(up);
        }
    }

    /** The request line and headers up to the blank line, or null at the end of the stream. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toByteArray();
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("content-length")) {
                return Integer.parseInt(line.substring(colon + 1).strip());
            }
        }
        return 0;
    }

    private void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // a side closed the connection
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** Stops accepting and drops every connection, held transactions with them (the validator never sees them). */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        sockets.forEach(HoldingProxy::closeQuietly);
    }
}
