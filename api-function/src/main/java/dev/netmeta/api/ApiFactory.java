package dev.netmeta.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.Map;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;

/** Wiring of the api function: settings from the environment, the one OpenSearch client, the service, the API. */
public final class ApiFactory {

    private ApiFactory() {
    }

    /**
     * The API and its SnapStart priming resource, already registered with CRaC. The registration is weak: whoever
     * keeps the API (the handler) must keep the priming too.
     */
    public record Wiring(SearchApi api, SearchPriming priming) {
    }

    /**
     * Builds everything for one container; no network I/O happens here. The priming is exposed so the cold-start
     * benchmark can run exactly what a snapshot runs.
     */
    public static Wiring wire(Map<String, String> env) {
        ApiSettings settings = ApiSettings.from(env);
        ObjectMapper json = new ObjectMapper();
        OpenSearchClients.Built client = OpenSearchClients.create(settings, new JacksonJsonpMapper(json));
        SearchBackend backend = new OpenSearchSearchBackend(client.client(), settings.indexAlias(), json);
        SearchPriming priming = new SearchPriming(backend, client.closeIdleConnections()).register();
        return new Wiring(create(backend, json, settings), priming);
    }

    /** Builds the API over a given backend (tests, benchmarks), logging to stdout. */
    static SearchApi create(SearchBackend backend, ObjectMapper json, ApiSettings settings) {
        return create(backend, json, settings, System.out);
    }

    /** Builds the API over a given backend, with its request log on {@code log}. */
    static SearchApi create(SearchBackend backend, ObjectMapper json, ApiSettings settings, PrintStream log) {
        SearchService service = new SearchService(backend, json, settings.searchTimeoutMs());
        return new SearchApi(service, json, settings.maxQueryLength(), settings.corsAllowOrigin(),
                new RequestLog(json, log));
    }
}
