package io.passerelle.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * A WebSocket client that writes frames byte by byte (RFC 6455), so that a test can send what well-behaved
 * clients cannot: text frames that are not UTF-8, arbitrary binary frames, huge frames.
 */
public final class RawWebSocket implements AutoCloseable {

    /** What the server sent back: a text frame, or a close with its code. */
    public record Received(String text, int closeCode) {
        public boolean isClose() {
            return closeCode != 0;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** A frame as it came off the wire: its first byte (FIN, the three extension bits, the opcode) and its payload. */
    public record WireFrame(int first, byte[] payload) {

        public int opcode() {
            return first & 0x0f;
        }

        /** RSV1: under permessage-deflate (RFC 7692), the message is compressed. */
        public boolean compressed() {
            return (first & 0x40) != 0;
        }
    }

    public static RawWebSocket connect(URI ws, String token) throws IOException {
        return connect(ws, token, null);
    }

    /** Connects offering the given {@code Sec-WebSocket-Extensions}, or none when null. */
    public static RawWebSocket connect(URI ws, String token, String extensions) throws IOException {
        Socket socket = new Socket(ws.getHost(), ws.getPort());
        socket.setSoTimeout(10_000);
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String request = "GET " + ws.getRawPath() + " HTTP/1.1\r\nHost: " + ws.getHost() + ":" + ws.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(nonce) + "\r\nAuthorization: Bearer " + token + "\r\n"
                + (extensions == null ? "" : "Sec-WebSocket-Extensions: " + extensions + "\r\n") + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        InputStream input = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = input.read();
            if (b < 0) {
                throw new IOException("connection closed during the handshake");
            }
            head.write(b);
        }
        if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
            throw new IOException("upgrade refused: " + head.toString(StandardCharsets.US_ASCII).lines().findFirst()
                    .orElse(""));
        }
        return new RawWebSocket(socket);
    }

    public void sendText(byte[] payload) throws IOException {
        send(0x1, payload);
    }

    public void sendBinary(byte[] payload) throws IOException {
        send(0x2, payload);
    }

    /** Sends a text message in fragments: a text frame, then continuation frames, the last one final. */
    public void sendTextInFragments(byte[]... fragments) throws IOException {
        for (int i = 0; i < fragments.length; i++) {
            send(i == 0 ? 0x1 : 0x0, fragments[i], i == fragments.length - 1);
        }
    }

    private void send(int opcode, byte[] payload) throws IOException {
        send(opcode, payload, true);
    }

    /** Writes bytes as they are, for frames that break the framing rules. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends text messages in one write: they reach the server as one burst, however fast it reads. */
    public void sendTexts(List<byte[]> payloads) throws IOException {
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (byte[] payload : payloads) {
            burst.write(frame(0x1, payload, true));
        }
        sendRaw(burst.toByteArray());
    }

    private void send(int opcode, byte[] payload, boolean last) throws IOException {
        out.write(frame(opcode, payload, last));
        out.flush();
    }

    private static byte[] frame(int opcode, byte[] payload, boolean last) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((last ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    /** The next text frame or close from the server; pings are answered, other frames skipped. */
    public Received receive() throws IOException {
        while (true) {
            WireFrame frame = receiveFrame();
            if (frame == null) {
                return new Received(null, 1006);
            }
            byte[] payload = frame.payload();
            if (frame.opcode() == 0x1) {
                return new Received(new String(payload, StandardCharsets.UTF_8), 0);
            }
            if (frame.opcode() == 0x8) {
                int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                return new Received(null, code);
            }
            if (frame.opcode() == 0x9) {
                send(0xA, payload);
            }
        }
    }

    /** The next frame from the server as it came, or null when the connection ended. */
    public WireFrame receiveFrame() throws IOException {
        int first;
        try {
            first = in.read();
        } catch (SocketTimeoutException e) {
            throw new IOException("no frame within the timeout", e);
        }
        if (first < 0) {
            return null;
        }
        int second = in.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new WireFrame(first, payload);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
