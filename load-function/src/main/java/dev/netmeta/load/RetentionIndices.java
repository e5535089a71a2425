package dev.netmeta.load;

import java.io.IOException;
import java.util.List;

/** The domain's indices as the retention sees them: their names, and deletion of one index by its name. */
public interface RetentionIndices {

    /**
     * The names of every index whose name starts with {@code <prefix>-} (open or closed), in one request — daily
     * indices of this prefix, and whatever else shares the start (another stage's, odd names), which the caller sorts
     * out.
     */
    List<String> list(String prefix) throws IOException;

    /**
     * Deletes exactly the index {@code name} (no wildcard, no alias); an index that is already gone counts as deleted.
     *
     * @throws BusyException when OpenSearch refused it for now (a snapshot of the index is running)
     * @throws IOException with OpenSearch's answer when it refused or could not be reached
     */
    void delete(String name) throws IOException;

    /**
     * OpenSearch refused the deletion for now, and another try in a while may succeed: a snapshot of the index is
     * running ({@code snapshot_in_progress_exception}; OpenSearch Service takes one every hour).
     */
    final class BusyException extends IOException {

        public BusyException(String message) {
            super(message);
        }
    }
}
