package dev.netmeta.local.runner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeta.local.runner.watch.BucketWatcher;

import java.util.Locale;

/**
 * The body of {@code POST /_local/load}'s 409: the key's load runs — its event's invocation, or a continuation of it
 * — and a new delivery now would load the file a second time alongside it (and the chain's later reports would hide
 * the new load's). It names the running load: which function runs it, whether it waits for a free slot, the delivery
 * it works for and, once the load has saved a CONTINUING report, the row its continuation goes on from.
 */
final class RunningLoadRefusal {

    private RunningLoadRefusal() {
    }

    static ObjectNode body(ObjectNode body, String key, BucketWatcher.RunningLoad running) {
        body.put("error", "load_running");
        ObjectNode r = body.putObject("running");
        r.put("function", running.function());
        r.put("started", running.started());
        if (running.eTag() != null) {
            r.put("eTag", running.eTag());
            r.put("deliveredAt", running.deliveredAt().toString());
        }
        if (running.continuingFrom() >= 0) {
            r.put("continuingFrom", running.continuingFrom());
            r.put("invocations", running.invocations());
        }
        String which = running.eTag() == null ? "a continuation of an earlier version of '" + key + "'"
                : "the load of '" + key + "' delivered at " + running.deliveredAt() + " (ETag " + running.eTag() + ")";
        String how = !running.started() ? " waits for a free slot of " + running.function()
                : running.continuingFrom() >= 0 ? String.format(Locale.ROOT, " is running: %s goes on from row %,d "
                + "after %d invocation%s", running.function(), running.continuingFrom(), running.invocations(),
                running.invocations() == 1 ? "" : "s")
                : " is running on " + running.function();
        return body.put("message", which + how + "; it is not delivered again while it runs, which would load the "
                + "file twice at once. Wait for its 'loaded' or 'FAILED' line (or its state in GET /_local/status: "
                + "'delivered' while it loads), then ask again");
    }
}
