package dev.verity.compute.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny HTTP/1.1 server on a raw socket that answers every request with the bytes it is given, as a validator's
 * {@code /v1/models/{id}/file} would, but can misbehave: send wrong bytes, ignore ranges, or break off after a number
 * of bytes (it promises the whole length, then closes the connection). It records each request's {@code Range} header.
 */
final class StubFileServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread thread;
    volatile byte[] content;
    volatile boolean honourRange = true;
    /** Close the connection after this many body bytes (-1: send them all). */
    volatile long cutAfter = -1;
    final List<String> ranges = new CopyOnWriteArrayList<>();
    volatile long bytesSent;

    StubFileServer(byte[] content) throws IOException {
        this.content = content;
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "stub-file-server");
        thread.setDaemon(true);
        thread.start();
    }

    String url() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                answer(s);
            } catch (IOException e) {
                // closed, or the client went away
            }
        }
    }

    private void answer(Socket s) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        String line = in.readLine();
        if (line == null) {
            return;
        }
        String range = "";
        while ((line = in.readLine()) != null && !line.isEmpty()) {
            if (line.toLowerCase(Locale.ROOT).startsWith("range:")) {
                range = line.substring(6).strip();
            }
        }
        ranges.add(range);
        byte[] body = content;
        long first = 0;
        String status = "200 OK";
        String extra = "";
        if (honourRange && range.startsWith("bytes=") && range.endsWith("-")) {
            first = Long.parseLong(range.substring(6, range.length() - 1));
            if (first >= body.length) {
                byte[] err = "{\"code\":\"RANGE_NOT_SATISFIABLE\",\"message\":\"past the end\"}".getBytes(StandardCharsets.UTF_8);
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 416 Range Not Satisfiable\r\nContent-Type: application/json\r\nContent-Range: bytes */"
                        + body.length + "\r\nContent-Length: " + err.length + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(err);
                out.flush();
                return;
            }
            status = "206 Partial Content";
            extra = "Content-Range: bytes " + first + "-" + (body.length - 1) + "/" + body.length + "\r\n";
        }
        long length = body.length - first;
        OutputStream out = s.getOutputStream();
        out.write(("HTTP/1.1 " + status + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + length + "\r\n"
                + extra + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        long send = cutAfter >= 0 ? Math.min(cutAfter, length) : length;
        out.write(body, (int) first, (int) send);
        out.flush();
        bytesSent += send;
        if (send < length) {
            try {
                Thread.sleep(300); // let the client take in what was sent before the connection drops
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
