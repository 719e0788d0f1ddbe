package io.passerelle.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ChannelFilterTest {

    private static ChannelFilter keys(String... keys) {
        return new ChannelFilter(Set.of(keys), null, Map.of());
    }

    private static ChannelFilter prefix(String prefix) {
        return new ChannelFilter(null, prefix, Map.of());
    }

    private static ChannelFilter header(String name, String value) {
        return new ChannelFilter(null, null, Map.of(name, value));
    }

    @Test
    void keysAndAPrefixAreKeptNormal() {
        assertEquals(keys("eu/a"), new ChannelFilter(Set.of("eu/a", "us/b"), "eu/", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new ChannelFilter(Set.of("us/b"), "eu/", Map.of()));
        assertTrue(new ChannelFilter(null, "", Map.of()).isAll());
    }

    @Test
    void bothFiltersAtOnceOrNothing() {
        assertEquals(keys("a"), keys("a", "b").and(keys("a", "c")));
        assertNull(keys("a").and(keys("b")));
        assertEquals(prefix("eu/fr/"), prefix("eu/").and(prefix("eu/fr/")));
        assertNull(prefix("eu/").and(prefix("us/")));
        assertEquals(keys("eu/a"), keys("eu/a", "us/b").and(prefix("eu/")));
        assertNull(keys("us/b").and(prefix("eu/")));
        assertEquals(new ChannelFilter(Set.of("a"), null, Map.of("t", "1")), keys("a").and(header("t", "1")));
        assertNull(header("t", "1").and(header("t", "2")));
        assertEquals(keys("a"), ChannelFilter.ALL.and(keys("a")));
    }

    @Test
    void withinMeansEveryRecordItPassesTheWiderPassesToo() {
        assertTrue(keys("a").within(ChannelFilter.ALL));
        assertTrue(keys("a").within(keys("a", "b")));
        assertFalse(keys("a", "c").within(keys("a", "b")));
        assertFalse(ChannelFilter.ALL.within(keys("a")));
        assertTrue(keys("eu/a").within(prefix("eu/")));
        assertTrue(prefix("eu/fr/").within(prefix("eu/")));
        assertFalse(prefix("eu/").within(prefix("eu/fr/")));
        assertTrue(keys("a").and(header("t", "1")).within(header("t", "1")));
        assertFalse(keys("a").within(header("t", "1")));
    }

    @Test
    void theCanonicalTextNamesEqualFiltersAlike() {
        assertEquals(new ChannelFilter(Set.of("b", "a"), null, Map.of("y", "2", "x", "1")).canonical(),
                new ChannelFilter(Set.of("a", "b"), null, Map.of("x", "1", "y", "2")).canonical());
        assertEquals("key=a|b;header.x=1", new ChannelFilter(Set.of("b", "a"), null, Map.of("x", "1")).canonical());
        assertEquals("", ChannelFilter.ALL.canonical());
    }
}
