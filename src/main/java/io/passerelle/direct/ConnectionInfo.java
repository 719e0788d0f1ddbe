package io.passerelle.direct;

import java.util.List;

import io.passerelle.session.ClientSession;

/**
 * An open connection as its own replica describes it, to the management API of any replica.
 */
public record ConnectionInfo(String id, String user, String instance, long openedAt, String remoteAddress,
        List<String> subscriptions, long framesIn, long framesOut) {

    static ConnectionInfo of(ClientSession session, String instance) {
        return new ConnectionInfo(session.connectionId(), session.user(), instance, session.openedAt().toEpochMilli(),
                session.remoteAddress(), List.copyOf(session.channels()), session.framesIn(),
                session.outbound().framesOut());
    }

    /** The order of listings: by opening time, then id, so that a cursor names one place in it. */
    boolean isAfter(long openedAt, String id) {
        return this.openedAt > openedAt || this.openedAt == openedAt && this.id.compareTo(id) > 0;
    }
}
