package io.passerelle.admin;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A connection as the management API shows it. Local connections have every field; connections of other replicas
 * only what the lifecycle topic tells ({@code local} false).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionView(String id, String user, String instance, boolean local, long openedAt,
        String remoteAddress, List<String> subscriptions, Long framesIn, Long framesOut) {
}
