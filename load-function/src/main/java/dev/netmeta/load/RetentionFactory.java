package dev.netmeta.load;

import dev.netmeta.load.aws.AwsClients;
import dev.netmeta.load.index.OpenSearchConnection;
import dev.netmeta.load.index.OpenSearchRetentionIndices;
import dev.netmeta.model.Env;
import dev.netmeta.model.IndexNames;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Wires the retention function from its environment, once per container: {@code INDEX_PREFIX},
 * {@code INDEX_RETENTION_DAYS} and the OpenSearch connection the load uses ({@code OPENSEARCH_URL},
 * {@code OPENSEARCH_AUTH}…). With retention off no OpenSearch client is built: the run only logs that it is off.
 */
public final class RetentionFactory {

    private RetentionFactory() {
    }

    public static IndexRetention create(Map<String, String> environment) {
        return create(environment, Clock.systemUTC());
    }

    /**
     * As {@link #create(Map)}, with the clock today's date is read from: a test anchors it so that a midnight (UTC)
     * while it runs does not move the oldest day kept.
     */
    public static IndexRetention create(Map<String, String> environment, Clock clock) {
        Env env = new Env(environment);
        String prefix = IndexNames.prefix(env);
        RetentionDays days = RetentionDays.from(env);
        RetentionIndices indices = days.off() ? new NoIndices() : openSearch(env);
        return new IndexRetention(prefix, days, indices, new RetentionLog(System.out), clock);
    }

    private static RetentionIndices openSearch(Env env) {
        Duration timeout = Duration.ofMillis(IndexRetention.TIME_MARGIN_MILLIS / 3);
        return new OpenSearchRetentionIndices(OpenSearchConnection.generic(OpenSearchConnection.transport(env,
                AwsClients.httpClient(timeout), AwsClients.region(env), AwsClients.credentials(env), timeout)));
    }

    /** Retention off: never asked (IndexRetention returns before any request). */
    private static final class NoIndices implements RetentionIndices {
        @Override
        public List<String> list(String prefix) {
            throw new IllegalStateException("retention is off: no index is listed");
        }

        @Override
        public void delete(String name) {
            throw new IllegalStateException("retention is off: no index is deleted");
        }
    }
}
