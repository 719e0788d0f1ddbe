package io.passerelle.direct;

import java.util.Comparator;
import java.util.List;

/**
 * One page of a listing of connections, in opening order, and whether more follow it.
 */
public record ConnectionPage(List<ConnectionInfo> connections, boolean more) {

    static final Comparator<ConnectionInfo> ORDER = Comparator.comparingLong(ConnectionInfo::openedAt)
            .thenComparing(ConnectionInfo::id);

    /** Where a listing starts: after this place, or at the start when {@code id} is null. */
    public record After(long openedAt, String id) {

        public static final After START = new After(Long.MIN_VALUE, null);

        boolean admits(ConnectionInfo connection) {
            return id == null || connection.isAfter(openedAt, id);
        }
    }
}
