package io.passerelle.kafka;

import java.util.List;

import org.apache.kafka.common.PartitionInfo;

/**
 * Whether a topic that had partitions is gone: none on two looks in a row, since one metadata answer without the
 * topic may be a passing hiccup. Reports each vanishing once.
 */
public final class TopicAbsence {

    private int absentInARow;

    /** Given the partitions the topic has now: true on the second look in a row without any. */
    public boolean vanished(List<PartitionInfo> partitionsNow) {
        absentInARow = partitionsNow.isEmpty() ? absentInARow + 1 : 0;
        if (absentInARow < 2) {
            return false;
        }
        absentInARow = 0;
        return true;
    }
}
