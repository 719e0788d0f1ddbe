package io.passerelle.fanout;

import java.util.Arrays;

/**
 * Bytes compared by value, so that record keys and header values (bytes) find subscriptions in hash maps without
 * being decoded. A key may be the first {@code length} bytes of a longer array: a prefix of a record's key.
 */
final class ByteKey {

    private final byte[] bytes;
    private final int length;
    private final int hash;

    private ByteKey(byte[] bytes, int length) {
        this.bytes = bytes;
        this.length = length;
        int h = 1;
        for (int i = 0; i < length; i++) {
            h = 31 * h + bytes[i];
        }
        this.hash = h;
    }

    static ByteKey of(byte[] bytes) {
        return new ByteKey(bytes, bytes.length);
    }

    /** The first {@code length} bytes, without copying them. */
    static ByteKey prefix(byte[] bytes, int length) {
        return new ByteKey(bytes, length);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ByteKey that && hash == that.hash
                && Arrays.equals(bytes, 0, length, that.bytes, 0, that.length);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
