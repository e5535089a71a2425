package dev.netmeta.sync;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** The customer's file server, seen as a read-only tree of files under one remote directory. */
public interface RemoteFileSource {

    /**
     * All files under the remote directory (recursively if configured) whose path matches the include patterns, and
     * what else the walk met (files not matching, directories it could not or would not list).
     */
    RemoteListing list() throws IOException;

    /**
     * As {@link #list()}, watching the clock: {@code keepGoing} is asked before each round trip of the walk after the
     * top directory's listing (each further directory's listing, each {@code SIZE} for an entry without a size); once
     * it says stop, the walk ends there and the listing names the directories it did not list
     * ({@link RemoteListing#notWalked()}) and counts the files whose size it did not ask
     * ({@link RemoteListing#notSized()}). A source whose listing is one step lists everything. An FTP source whose
     * session the server drops during the walk goes on in a new session and names the drops
     * ({@link RemoteListing#drops()}).
     */
    default RemoteListing list(BooleanSupplier keepGoing) throws IOException {
        return list();
    }

    /**
     * Opens one file for reading on a connection of its own (new, or kept from an earlier file): first re-reads its
     * current size and modification time (the stability check), then starts the download.
     */
    Download open(String relativePath) throws IOException;

    /**
     * The listed files whose modification time {@link #list()} left unknown ({@code modified == null}), each with the
     * time the server tells now, if it does (else still null), in the same order. Asked after the comparison with the
     * bucket, only for the files a run would copy: a listing that lacks times does not cost a round trip per file
     * already copied. {@code keepGoing} is asked before each round trip: once it says stop, no further file is asked,
     * and those not reached are returned as {@link Times#notReached()} (the run defers them to the next one). A source
     * whose listing always tells the time has nothing to complete.
     */
    default Times completeTimes(List<RemoteFile> files, BooleanSupplier keepGoing) throws IOException {
        return new Times(files, List.of());
    }

    /**
     * What {@link #completeTimes} got to: {@code completed} — the files it asked about and those that had a time
     * already, in the order given, a time the server did not tell still null — {@code notReached}, the files
     * without a time it did not ask about because time ran out, in the order given, and {@code drops}, the sessions
     * the server dropped while the pass went on from the file it was asking.
     */
    record Times(List<RemoteFile> completed, List<RemoteFile> notReached, SessionDrops drops) {
        public Times {
            completed = List.copyOf(completed);
            notReached = List.copyOf(notReached);
        }

        public Times(List<RemoteFile> completed, List<RemoteFile> notReached) {
            this(completed, notReached, SessionDrops.NONE);
        }
    }

    /**
     * Ends the connections kept for reuse between files. Called at the end of every invocation: Lambda may freeze
     * the container for hours, and servers drop idle sessions long before.
     */
    default void releaseConnections() {
    }

    /** An open download; closing it ends the transfer (a connection in good order is kept for the next file). */
    interface Download extends AutoCloseable {

        /** The file as the server reports it right before the transfer starts, if it still exists. */
        Optional<RemoteFile> current();

        /** The data stream; only valid when {@link #current()} is present. */
        InputStream stream() throws IOException;

        /** Ends the transfer; throws if the server reports that the transfer did not complete. */
        @Override
        void close() throws IOException;
    }
}
