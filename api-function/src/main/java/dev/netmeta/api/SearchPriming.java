package dev.netmeta.api;

import java.util.List;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart priming: before the snapshot, runs one real search of size 0 so the snapshot holds loaded and
 * initialised classes of the whole request path (client, transport, JSON mapping); after the restore, drops the
 * pooled connections that the snapshot froze (their peers are long gone).
 *
 * <p>Failures are ignored: priming is an optimisation, a snapshot without it is still correct.
 */
public final class SearchPriming implements Resource {

    private final SearchBackend backend;
    private final Runnable closeIdleConnections;

    SearchPriming(SearchBackend backend, Runnable closeIdleConnections) {
        this.backend = backend;
        this.closeIdleConnections = closeIdleConnections;
    }

    /** Registers with the global CRaC context (a no-op on JVMs without CRaC, i.e. outside SnapStart). */
    SearchPriming register() {
        Core.getGlobalContext().register(this);
        return this;
    }

    /** Runs the priming search; returns whether it reached the engine. */
    public boolean prime() {
        try {
            backend.search(new BackendQuery("", null, null, SearchParametersParser.DEFAULT_SORT, List.of(), 0,
                    List.of(), 2_000));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        closeIdleConnections.run();
    }
}
