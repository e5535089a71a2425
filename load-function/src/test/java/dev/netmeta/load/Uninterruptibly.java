package dev.netmeta.load;

import java.util.concurrent.CountDownLatch;

/** Test waits that behave like a call which does not end on an interrupt (a blocking socket write, an S3 part upload). */
public final class Uninterruptibly {

    private Uninterruptibly() {
    }

    /** Waits for {@code latch}, ignoring interrupts meanwhile; the thread's interrupt flag is set again afterwards. */
    public static void await(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
