package dev.netmeta.local.runner.invoke;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The local functions by the names a caller may use for them in an Invoke call: the manifest key ({@code load}),
 * the deployed name ({@code netmeta-local-load}), a partial ARN or a full ARN, with or without a qualifier.
 */
public final class FunctionRegistry implements AutoCloseable {

    private final Map<String, LocalFunction> byKey = new LinkedHashMap<>();
    private final Map<String, LocalFunction> byName = new LinkedHashMap<>();

    public void add(LocalFunction function) {
        byKey.put(function.key(), function);
        byName.put(function.name(), function);
    }

    public Optional<LocalFunction> find(String nameOrArn) {
        String name = nameOrArn;
        int fn = name.indexOf("function:");
        if (fn >= 0) {
            name = name.substring(fn + "function:".length());
        }
        int qualifier = name.indexOf(':');
        if (qualifier >= 0) {
            name = name.substring(0, qualifier);
        }
        LocalFunction found = byName.get(name);
        return Optional.ofNullable(found != null ? found : byKey.get(name));
    }

    public Optional<LocalFunction> byKey(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    public Collection<LocalFunction> all() {
        return byKey.values();
    }

    public int running() {
        return byKey.values().stream().mapToInt(LocalFunction::running).sum();
    }

    /**
     * Stops every function at once ({@link LocalFunction#stopAll}): the running invocations of all of them share one
     * grace of {@code graceMillis} (they used to get one each, in turn).
     */
    public void close(long graceMillis) {
        LocalFunction.stopAll(byKey.values(), graceMillis);
    }

    @Override
    public void close() {
        close(5_000);
    }
}
