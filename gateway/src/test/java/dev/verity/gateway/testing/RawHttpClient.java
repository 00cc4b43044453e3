package dev.verity.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 request on a plain socket, for what an HTTP client library hides: reading part of an answer and then
 * hanging up, or not reading at all.
 */
public final class RawHttpClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

    private RawHttpClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /**
     * Sends a POST of {@code json} to {@code path}; {@code receiveBuffer} bytes of socket buffer (0 = the system's),
     * small for a client that does not read.
     */
    public static RawHttpClient post(int port, String path, String json, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(30_000);
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().write(body);
        s.getOutputStream().flush();
        return new RawHttpClient(s);
    }

    /** Reads until what has arrived contains {@code text}; returns all that has arrived. */
    public String readUntil(String text) throws IOException {
        byte[] chunk = new byte[4096];
        while (!seen.toString(StandardCharsets.UTF_8).contains(text)) {
            int n = in.read(chunk);
            if (n < 0) {
                throw new IOException("the connection ended before '" + text + "' arrived; got: " + seen);
            }
            seen.write(chunk, 0, n);
        }
        return seen.toString(StandardCharsets.UTF_8);
    }

    /** Reads to the end of the connection or the stream's {@code [DONE]}; returns all that has arrived. */
    public String readToDone() throws IOException {
        return readUntil("data: [DONE]");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
