package io.passerelle.transport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;

class Utf8CheckTest {

    private static boolean whole(byte[] bytes) {
        Utf8Check check = new Utf8Check();
        return check.feed(Unpooled.wrappedBuffer(bytes)) && check.complete();
    }

    @Test
    void acceptsText() {
        assertTrue(whole("{\"type\":\"ping\",\"id\":\"a long enough ascii id\"}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(whole("déjà vu — ☃ 😀, then ascii again for a while".getBytes(StandardCharsets.UTF_8)));
        assertTrue(whole(new byte[0]));
    }

    @Test
    void refusesWhatIsNotUtf8() {
        assertFalse(whole(new byte[]{'a', (byte) 0xC3, (byte) 0x28}));
        assertFalse(whole(new byte[]{(byte) 0xC0, (byte) 0xAF}), "overlong");
        assertFalse(whole(new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}), "surrogate");
        assertFalse(whole(new byte[]{(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}), "beyond U+10FFFF");
        assertFalse(whole("12345678".concat("\u00e9").substring(0, 9).getBytes(StandardCharsets.ISO_8859_1)));
        assertFalse(whole(new byte[]{'a', 'b', (byte) 0xE2, (byte) 0x82}), "ends inside a character");
    }

    @Test
    void followsCharactersAcrossPieces() {
        Utf8Check check = new Utf8Check();
        assertTrue(check.feed(Unpooled.wrappedBuffer(new byte[]{'c', 'a', 'f', (byte) 0xC3})));
        assertFalse(check.complete());
        assertTrue(check.feed(Unpooled.wrappedBuffer(new byte[]{(byte) 0xA9})));
        assertTrue(check.complete());
    }
}
