package dev.netmeta.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Counts of one invocation's pass over a file, kept per block of {@value #BLOCK} records (the reading loop's clock
 * checks), so that when the time runs out with documents unsettled, the pass can be cut back to a block start at
 * or below the lowest unsettled position with exact counts: every record before the cut is settled, and the
 * records from the cut on are read again by the continuation.
 */
final class PassLedger {

    static final int BLOCK = 1024;

    /** Counts of the records before a block start. */
    record Cut(long position, long read, long documents, long rejectedByReader, long skipped, long expired,
               long rejectedByIndex) {
    }

    private final long start;
    private final List<Cut> checkpoints = new ArrayList<>();
    private int[] indexRejectsPerBlock = new int[16];

    PassLedger(long start) {
        this.start = start;
    }

    /** Called at each block start (read = 0, BLOCK, 2 × BLOCK…), before the record at that position is read. */
    void checkpoint(long read, long documents, long rejectedByReader, long skipped, long expired) {
        checkpoints.add(new Cut(start + read, read, documents, rejectedByReader, skipped, expired, 0));
    }

    /** A document refused by OpenSearch for good (called from the bulk workers). */
    synchronized void rejectedByIndex(long position) {
        int block = (int) ((position - start) / BLOCK);
        if (block >= indexRejectsPerBlock.length) {
            indexRejectsPerBlock = Arrays.copyOf(indexRejectsPerBlock,
                    Math.max(block + 1, indexRejectsPerBlock.length * 2));
        }
        indexRejectsPerBlock[block]++;
    }

    /** The last block start at or below {@code position}, with the counts of the records before it. */
    synchronized Cut cutAt(long position) {
        int block = (int) Math.min((position - start) / BLOCK, checkpoints.size() - 1);
        Cut c = checkpoints.get(block);
        long byIndex = 0;
        for (int i = 0; i < block && i < indexRejectsPerBlock.length; i++) {
            byIndex += indexRejectsPerBlock[i];
        }
        return new Cut(c.position(), c.read(), c.documents(), c.rejectedByReader(), c.skipped(), c.expired(),
                byIndex);
    }
}
