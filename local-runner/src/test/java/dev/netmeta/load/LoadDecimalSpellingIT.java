package dev.netmeta.load;

import static dev.netmeta.load.LoadFixtures.gzip;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.api.ApiHandler;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Decimals of extra columns reach the user as the file wrote them (docs/DATA-CONTRACT.md, "Numbers stay numbers"):
 * Zeek's {@code rtt} {@code 0.000586} and CICFlowMeter's {@code Flow Bytes/s} {@code 12345678.9} came back as
 * {@code 5.86E-4} and {@code 1.23456789E7} in JSON and CSV (Java's {@code Double.toString}); the columns stay
 * {@code double} in the daily index.
 */
@ExtendWith(TestServers.class)
class LoadDecimalSpellingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "load-decimal-it";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void jsonAndCsvShowTheDecimalsAsTheFileWroteThem(S3Endpoint s3, OpenSearchEndpoint openSearch) throws Exception {
        LoadTestEnvironment servers = new LoadTestEnvironment(s3, openSearch);
        String prefix = servers.prefix;
        String csv = "ts,Src IP,Dst IP,Dst Port,rtt,Flow Bytes/s,whole,tiny\n"
                + "1525876221,10.0.0.1,8.8.8.8,53,0.000586,12345678.9,10000000.0,0.00000001\n";
        String key = "raw/" + prefix + "/decimals.csv.gz";
        servers.put(BUCKET, key, gzip(csv));

        String summary = new LoadHandler(servers.env()).handleRequest(LoadFixtures.event(BUCKET, key),
                TestLambdaContext.plentyOfTime());

        assertThat(summary).endsWith("SUCCEEDED 1 indexed, 0 rejected, 0 skipped");
        String json = api(openSearch, prefix, "json", null);
        assertThat(json).contains("\"rtt\":0.000586", "\"Flow_Bytes_s\":12345678.9", "\"whole\":10000000.0",
                "\"tiny\":1e-8")
                // no value in Java's E notation (a number token right after a colon); not a plain "E7" search, which
                // the random test prefix's document id (base64url) can hold
                .doesNotContainPattern("\":-?\\d+(\\.\\d+)?E");
        assertThat(api(openSearch, prefix, "ndjson", null)).contains("\"rtt\":0.000586", "\"Flow_Bytes_s\":12345678.9");
        String exported = api(openSearch, prefix, "csv", null);
        assertThat(exported.split("\r\n")[0]).contains(",rtt,Flow_Bytes_s,whole,tiny,sourceFile,");
        assertThat(exported.split("\r\n")[1]).contains(",0.000586,12345678.9,10000000.0,1e-8," + key + ",");
        // fields filters _source: OpenSearch parses the document and writes it again, with Java's spelling
        // (5.86E-4, 1.23456789E7), which the api spells as the loader does
        assertThat(api(openSearch, prefix, "json", "rtt,Flow_Bytes_s,tiny")).contains("\"rtt\":0.000586",
                "\"Flow_Bytes_s\":12345678.9", "\"tiny\":1e-8");
        assertThat(api(openSearch, prefix, "csv", "rtt,Flow_Bytes_s").split("\r\n")[1])
                .as("the CSV export spells them plainly again").endsWith(",0.000586,12345678.9");
        String mapping = send(openSearch, "GET", "/" + prefix + "-*/_mapping/field/rtt,Flow_Bytes_s,whole,tiny");
        assertThat(JSON.readTree(mapping).findValues("type")).extracting(n -> n.asText())
                .as("still decimals in the index").containsOnly("double").hasSize(4);
    }

    private static String api(OpenSearchEndpoint openSearch, String prefix, String format, String fields) {
        ApiHandler api = new ApiHandler(Map.of("OPENSEARCH_URL", openSearch.uri().toString(), "INDEX_PREFIX", prefix));
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent("events/apigw_search.json");
        Map<String, String> parameters = new LinkedHashMap<>(Map.of("format", format));
        if (fields != null) {
            parameters.put("fields", fields);
        }
        event.setQueryStringParameters(parameters);
        APIGatewayProxyResponseEvent response = api.handleRequest(event, null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return response.getBody();
    }

    private String send(OpenSearchEndpoint openSearch, String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(openSearch.uri() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 299);
        return response.body();
    }
}
