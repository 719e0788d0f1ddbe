package io.passerelle.fanout;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What the fan-out tells the subscriber, on the thread that feeds the subscription, in stream order.
 *
 * @param subscribed runs once the subscription is in place, before its first event, with the next offset of each
 *        partition at that moment (empty for a group subscription, whose positions are the group's)
 * @param failed runs when the subscription cannot be set up or a history read broke off; the flag says whether
 *        {@code subscribed} had already run
 */
public record SubscribeCallbacks(Consumer<Map<Integer, Long>> subscribed, BiConsumer<Throwable, Boolean> failed) {
}
