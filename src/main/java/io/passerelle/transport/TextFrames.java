package io.passerelle.transport;

import io.netty.buffer.ByteBuf;

/**
 * WebSocket text frames as wire bytes (RFC 6455, section 5.2): each a whole message (FIN set), unmasked as a
 * server's frames are, without extension bits. Several are written into one buffer, so that a burst of frames to a
 * socket is one write on its channel instead of a frame object, an encoder pass and a promise for each.
 */
final class TextFrames {

    private static final int FIN_TEXT = 0x81;
    private static final int LENGTH_16 = 126;
    private static final int LENGTH_64 = 127;

    private TextFrames() {
    }

    /** The bytes of the header before a payload of the given length. */
    static int headerLength(int payload) {
        if (payload < LENGTH_16) {
            return 2;
        }
        return payload <= 0xFFFF ? 4 : 10;
    }

    /** Writes the header of a text frame whose payload, of the given length, follows. */
    static void writeHeader(ByteBuf out, int payload) {
        out.writeByte(FIN_TEXT);
        if (payload < LENGTH_16) {
            out.writeByte(payload);
        } else if (payload <= 0xFFFF) {
            out.writeByte(LENGTH_16);
            out.writeShort(payload);
        } else {
            out.writeByte(LENGTH_64);
            out.writeLong(payload);
        }
    }
}
