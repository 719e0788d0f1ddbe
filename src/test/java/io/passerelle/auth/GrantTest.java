package io.passerelle.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.passerelle.protocol.ChannelFilter;

class GrantTest {

    private static final Function<String, String> ALICE = Map.of("sub", "alice", "tenant", "t1")::get;

    private static Grant grant(String text) {
        return Grant.parse(text, ALICE);
    }

    @Test
    void theSyntaxNamesTopicsAndAScopeFromTheTokensClaims() {
        assertEquals(ChannelFilter.ALL, grant("orders-*").scope());
        assertEquals(ChannelFilter.ofKey("alice"), grant("orders[key={sub}]").scope());
        assertEquals(new ChannelFilter(null, "t1/", Map.of()), grant("orders[key={tenant}/*]").scope());
        assertEquals(new ChannelFilter(null, null, Map.of("tenant", "t1")),
                grant("orders[header.tenant={tenant}]").scope());
        assertEquals(new ChannelFilter(Set.of("t1:alice"), null, Map.of("region", "eu")),
                grant("orders[key={tenant}:{sub}; header.region=eu]").scope());
        assertEquals("orders", grant("orders[key={sub}]").topics().toString());
    }

    @Test
    void aGrantThatNamesAnAbsentClaimGrantsNothing() {
        assertNull(grant("orders[key={customer}]"));
        assertNull(grant("orders[key={sub};key=bob]"), "contradictory conditions grant nothing");
    }

    @Test
    void malformedGrantsAreRefused() {
        for (String bad : List.of("orders[", "orders[key]", "orders[value=1]", "orders[header.=x]", "a b",
                "orders[key=a]x")) {
            assertThrows(IllegalArgumentException.class, () -> Grant.validate(bad), bad);
        }
    }

    @Test
    void aSubscribeIsKeptWithinAGrantNarrowedToOneOrRefused() {
        Grants grants = new Grants(List.of(),
                List.of(grant("orders[key={sub}]"), grant("orders[header.tenant={tenant}]")));
        assertEquals(ChannelFilter.ofKey("alice"), grants.subscribeFilter("orders", ChannelFilter.ALL));
        assertEquals(ChannelFilter.ofKey("alice"), grants.subscribeFilter("orders", ChannelFilter.ofKey("alice")));
        ChannelFilter tenant = new ChannelFilter(null, null, Map.of("tenant", "t1"));
        assertEquals(tenant, grants.subscribeFilter("orders", tenant), "within the second grant: kept whole");
        assertEquals(new ChannelFilter(Set.of("bob"), null, Map.of("tenant", "t1")),
                grants.subscribeFilter("orders", ChannelFilter.ofKey("bob")), "narrowed to the tenant");
        assertNull(grants.subscribeFilter("orders",
                new ChannelFilter(Set.of("bob"), null, Map.of("tenant", "t2"))));
        assertNull(grants.subscribeFilter("invoices", ChannelFilter.ALL));
        Grants unscoped = new Grants(List.of(), List.of(grant("orders[key={sub}]"), grant("orders")));
        assertEquals(ChannelFilter.ALL, unscoped.subscribeFilter("orders", ChannelFilter.ALL));
    }

    @Test
    void aPublishIsKeptStampedOrRefused() {
        Grants grants = new Grants(List.of(grant("orders[key={sub};header.tenant={tenant}]")), List.of());
        assertEquals(new Grants.Allowed("alice", Map.of("tenant", "t1", "h", "v")),
                grants.publish("orders", null, Map.of("h", "v")));
        assertEquals(new Grants.Allowed("alice", Map.of("tenant", "t1")),
                grants.publish("orders", "alice", Map.of("tenant", "t1")));
        assertInstanceOf(Grants.Refused.class, grants.publish("orders", "bob", Map.of()));
        assertInstanceOf(Grants.Refused.class, grants.publish("orders", null, Map.of("tenant", "t2")));
        Grants byPrefix = new Grants(List.of(grant("orders[key={tenant}/*]")), List.of());
        assertInstanceOf(Grants.Refused.class, byPrefix.publish("orders", null, Map.of()), "no key to stamp");
        assertEquals(new Grants.Allowed("t1/x", Map.of()), byPrefix.publish("orders", "t1/x", Map.of()));
    }
}
