package io.passerelle.admin;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.passerelle.direct.ConnectionInfo;

/**
 * A connection as the management API shows it, whichever replica holds it ({@code local} tells whether it is the one
 * that answered).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionView(String id, String user, String instance, boolean local, long openedAt,
        String remoteAddress, List<String> subscriptions, Long framesIn, Long framesOut) {

    static ConnectionView of(ConnectionInfo info, boolean local) {
        return new ConnectionView(info.id(), info.user(), info.instance(), local, info.openedAt(),
                info.remoteAddress(), info.subscriptions(), info.framesIn(), info.framesOut());
    }
}
