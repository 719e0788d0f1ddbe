package io.passerelle.transport;

import io.netty.buffer.ByteBuf;

/**
 * Checks that bytes are UTF-8, across as many pieces as a message comes in. Runs of ASCII are skipped eight bytes
 * at a time; other bytes go through Björn Höhrmann's UTF-8 automaton, which also refuses overlong forms,
 * surrogates and code points beyond U+10FFFF.
 */
final class Utf8Check {

    private static final int ACCEPT = 0;
    private static final int REJECT = 12;
    private static final long NON_ASCII = 0x8080808080808080L;
    private static final byte[] TYPES = {
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
            1, 1, 1, 1, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
            7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 8, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
            2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 10, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 3, 3, 11, 6, 6, 6, 5,
            8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8};
    private static final byte[] STATES = {0, 12, 24, 36, 60, 96, 84, 12, 12, 12, 48, 72, 12, 12, 12, 12, 12, 12, 12,
            12, 12, 12, 12, 12, 12, 0, 12, 12, 12, 12, 12, 0, 12, 0, 12, 12, 12, 24, 12, 12, 12, 12, 12, 24, 12, 24,
            12, 12, 12, 12, 12, 12, 12, 12, 12, 24, 12, 12, 12, 12, 12, 24, 12, 12, 12, 12, 12, 12, 12, 24, 12, 12, 12,
            12, 12, 12, 12, 12, 12, 36, 12, 36, 12, 12, 12, 36, 12, 12, 12, 12, 12, 36, 12, 36, 12, 12, 12, 36, 12, 12,
            12, 12, 12, 12, 12, 12, 12, 12};

    private int state = ACCEPT;

    /** Starts a new message. */
    void reset() {
        state = ACCEPT;
    }

    /** Reads the readable bytes of the piece; false as soon as they cannot be part of UTF-8 text. */
    boolean feed(ByteBuf piece) {
        int index = piece.readerIndex();
        int end = piece.writerIndex();
        int current = state;
        while (index < end) {
            if (current == ACCEPT && end - index >= Long.BYTES && (piece.getLong(index) & NON_ASCII) == 0) {
                index += Long.BYTES;
                continue;
            }
            current = STATES[current + TYPES[piece.getByte(index) & 0xFF]];
            if (current == REJECT) {
                state = REJECT;
                return false;
            }
            index++;
        }
        state = current;
        return true;
    }

    /** True when the bytes fed since the last reset end on a whole character. */
    boolean complete() {
        return state == ACCEPT;
    }
}
