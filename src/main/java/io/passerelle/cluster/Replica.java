package io.passerelle.cluster;

/**
 * A replica as its heartbeats describe it.
 *
 * @param tag the replica's tag, which its connection ids start with
 * @param instance its name (the pod's)
 * @param startedAt when it started, epoch milliseconds
 * @param heardAt the time of its latest heartbeat, epoch milliseconds
 * @param ended true once it stopped, or once another replica judged it dead and reported its connections closed
 */
public record Replica(String tag, String instance, long startedAt, long heardAt, boolean ended) {
}
