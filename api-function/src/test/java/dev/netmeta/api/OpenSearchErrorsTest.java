package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class OpenSearchErrorsTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void parseErrorKeepsTheQueryAndThePositionButNotTheGrammarDump() throws Exception {
        String error = "{\"root_cause\":[{\"type\":\"query_shard_exception\",\"reason\":\"Failed to parse query [host:(]\","
                + "\"index\":\"metadata-2018.05.09\",\"index_uuid\":\"Wq1HnqCxQ7mjrhw1hJcNtg\"}],"
                + "\"type\":\"search_phase_execution_exception\",\"reason\":\"all shards failed\",\"phase\":\"query\","
                + "\"grouped\":true,\"failed_shards\":[{\"shard\":0,\"index\":\"metadata-2018.05.09\",\"node\":\"n1\","
                + "\"reason\":{\"type\":\"query_shard_exception\",\"reason\":\"Failed to parse query [host:(]\","
                + "\"index\":\"metadata-2018.05.09\",\"index_uuid\":\"Wq1HnqCxQ7mjrhw1hJcNtg\",\"caused_by\":{"
                + "\"type\":\"parse_exception\",\"reason\":\"Cannot parse 'host:(': Encountered \\\"<EOF>\\\" at line 1,"
                + " column 6.\\nWas expecting one of:\\n    <NOT> ...\\n    \\\"+\\\" ...\",\"caused_by\":{\"type\":"
                + "\"parse_exception\",\"reason\":\"Encountered \\\"<EOF>\\\" at line 1, column 6.\\nWas expecting one of:"
                + "\\n    <NOT> ...\"}}}}]}";
        assertThat(OpenSearchErrors.readable(json.readTree(error))).isEqualTo(
                "Failed to parse query [host:(]: Cannot parse 'host:(': Encountered \"<EOF>\" at line 1, column 6");
    }

    @Test
    void leadingWildcardErrorNamesTheRule() throws Exception {
        String error = "{\"type\":\"search_phase_execution_exception\",\"reason\":\"all shards failed\","
                + "\"failed_shards\":[{\"reason\":{\"type\":\"query_shard_exception\",\"reason\":\"Failed to parse "
                + "query [host:*oogle]\",\"caused_by\":{\"type\":\"parse_exception\",\"reason\":\"Cannot parse "
                + "'host:*oogle': '*' or '?' not allowed as first character in WildcardQuery\"}}}]}";
        assertThat(OpenSearchErrors.readable(json.readTree(error)))
                .contains("'*' or '?' not allowed as first character");
    }

    @Test
    void javaClassNamesAreDropped() throws Exception {
        String error = "{\"type\":\"illegal_argument_exception\",\"reason\":\"java.lang.IllegalArgumentException: "
                + "'10.0.0.300' is not an IP string literal.\"}";
        assertThat(OpenSearchErrors.readable(json.readTree(error))).isEqualTo("'10.0.0.300' is not an IP string literal");
    }

    @Test
    void longMessagesAreCut() throws Exception {
        String error = "{\"type\":\"x\",\"reason\":\"" + "a".repeat(2000) + "\"}";
        assertThat(OpenSearchErrors.readable(json.readTree(error))).hasSize(OpenSearchErrors.MAX_MESSAGE);
    }

    @Test
    void missingErrorStillGivesASentence() {
        assertThat(OpenSearchErrors.readable(null)).isEqualTo("the search engine rejected the query");
    }

    @Test
    void numberAndIpValueErrorsSayWhatIsWrong() throws Exception {
        String notNumber = "{\"type\":\"search_phase_execution_exception\",\"reason\":\"all shards failed\","
                + "\"failed_shards\":[{\"reason\":{\"type\":\"query_shard_exception\",\"reason\":\"failed to create "
                + "query: For input string: \\\"https\\\"\"}}]}";
        assertThat(OpenSearchErrors.readable(json.readTree(notNumber))).isEqualTo("'https' is not a number");
        String badIp = "{\"type\":\"query_shard_exception\",\"reason\":\"failed to create query: '10.0.0.300' is not "
                + "an IP string literal.\"}";
        assertThat(OpenSearchErrors.readable(json.readTree(badIp))).isEqualTo("'10.0.0.300' is not an IP string literal");
    }
}
