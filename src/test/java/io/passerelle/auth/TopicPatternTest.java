package io.passerelle.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.passerelle.protocol.ChannelFilter;

class TopicPatternTest {

    @Test
    void wildcardMatchesAnyRunOfCharacters() {
        assertTrue(TopicPattern.of("*").matches("anything.at-all"));
        assertTrue(TopicPattern.of("prices-*").matches("prices-EURUSD"));
        assertTrue(TopicPattern.of("prices-*").matches("prices-"));
        assertFalse(TopicPattern.of("prices-*").matches("orders-EURUSD"));
        assertTrue(TopicPattern.of("*.events.*").matches("team.events.v1"));
        assertFalse(TopicPattern.of("*.events.*").matches("team-events-v1"));
        assertTrue(TopicPattern.of("a*b*c").matches("abc"));
        assertTrue(TopicPattern.of("a*b*c").matches("a-b-b-c"));
        assertFalse(TopicPattern.of("a*b*c").matches("a-c-b"));
        assertFalse(TopicPattern.of("ab*ba").matches("aba"), "the parts may not overlap");
        assertTrue(TopicPattern.of("**").matches(""));
    }

    @Test
    void otherCharactersAreLiteral() {
        assertTrue(TopicPattern.of("a.b").matches("a.b"));
        assertFalse(TopicPattern.of("a.b").matches("axb"));
        assertFalse(TopicPattern.of("orders").matches("orders2"));
    }

    @Test
    void grantsSeparatePublishFromSubscribe() {
        Grants grants = new Grants(List.of(Grant.parse("orders", claim -> null)),
                List.of(Grant.parse("prices-*", claim -> null)));
        assertInstanceOf(Grants.Allowed.class, grants.publish("orders", null, Map.of()));
        assertNull(grants.subscribeFilter("orders", ChannelFilter.ALL));
        assertEquals(ChannelFilter.ALL, grants.subscribeFilter("prices-x", ChannelFilter.ALL));
        assertInstanceOf(Grants.Refused.class, grants.publish("prices-x", null, Map.of()));
        assertTrue(Grants.NONE.isEmpty());
    }
}
