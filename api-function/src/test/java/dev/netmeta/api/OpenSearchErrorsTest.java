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

    /**
     * A q of more clauses than the engine takes ("(a)" 1,030 times, found by SearchApiFuzzIT): OpenSearch quotes the
     * whole q in "Failed to parse query [...]", and the message, cut at 500 characters, was that quote alone — the
     * cause, "maxClauseCount is set to 1024", never reached the user. The quote is cut instead, and the cause says
     * what to do.
     */
    /**
     * 1,030 words a space separates are sent with OR between them and refused for the clause limit: the engine's quote
     * of the sent query is cut ({@link #aLongQuotedQueryIsCutSoThatTheCauseStaysInTheMessage}), and the "(q was sent
     * as …)" note, which looked for the whole sent query in the message, was left out — the user read an OR and a
     * length they never typed. The note now names the rewrite, with the sent query cut as the quote is.
     */
    @Test
    void aCutQuoteOfARewrittenQueryKeepsTheNoteOfWhatWasSent() throws Exception {
        String typed = String.join(" ", java.util.Collections.nCopies(1030, "a"));
        QueryGuard.Guarded g = new QueryGuard(4096).check(typed);
        assertThat(g.query()).startsWith("a OR a OR a");
        String error = "{\"type\":\"search_phase_execution_exception\",\"reason\":\"all shards failed\","
                + "\"failed_shards\":[{\"reason\":{\"type\":\"query_shard_exception\",\"reason\":\"Failed to parse"
                + " query [" + g.query() + "]\",\"caused_by\":{\"type\":\"parse_exception\",\"reason\":\"Cannot parse '"
                + g.query() + "': too many boolean clauses\",\"caused_by\":{\"type\":\"too_many_clauses\",\"reason\":"
                + "\"maxClauseCount is set to 1024\"}}}}]}";
        String readable = OpenSearchErrors.readable(json.readTree(error));
        String cut = g.query().substring(0, 80) + "… (5146 characters)";
        assertThat(readable).startsWith("Failed to parse query [" + cut + "]: q has more clauses");
        assertThat(SearchApi.withSentQuery(new SearchBackendException(SearchBackendException.Kind.BAD_QUERY, readable),
                java.util.List.of(typed), g.query(), g.rewrites()).getMessage()).isEqualTo(readable + " (q was sent as "
                + cut + ": the API puts OR between terms a space separates (a b as a OR b), and the positions above"
                + " count those characters)");
        // a message that quotes neither the sent query nor its cut form gets no note, as before
        assertThat(SearchApi.withSentQuery(new SearchBackendException(SearchBackendException.Kind.BAD_QUERY,
                "'x' is not a number"), java.util.List.of(typed), g.query(), g.rewrites()).getMessage())
                .isEqualTo("'x' is not a number");
    }

    @Test
    void aLongQuotedQueryIsCutSoThatTheCauseStaysInTheMessage() throws Exception {
        String q = "(a)".repeat(1030);
        String error = "{\"type\":\"search_phase_execution_exception\",\"reason\":\"all shards failed\","
                + "\"failed_shards\":[{\"reason\":{\"type\":\"query_shard_exception\",\"reason\":\"Failed to parse"
                + " query [" + q + "]\",\"index_uuid\":\"onsFjYYyTV-j1alGvn80xw\",\"caused_by\":{\"type\":"
                + "\"parse_exception\",\"reason\":\"Cannot parse '" + q + "': too many boolean clauses\",\"caused_by\":"
                + "{\"type\":\"too_many_clauses\",\"reason\":\"maxClauseCount is set to 1024\"}}}}]}";
        assertThat(OpenSearchErrors.readable(json.readTree(error))).isEqualTo("Failed to parse query ["
                + q.substring(0, 80) + "… (3090 characters)]: q has more clauses than the search engine takes in one"
                + " query (at most 1024: each term, phrase and range counts, also in a group). Search fewer values at"
                + " once, or a CIDR block (srcIp:10.0.0.0/24) or a range (dstPort:[1 TO 1023]) instead of a list of"
                + " values");
        String digits = "1".repeat(3000); // srcIp:111…: the value quoted before what is wrong with it
        assertThat(OpenSearchErrors.shortenQuotedQuery("'" + digits + "' is not an IP string literal")).isEqualTo("'"
                + "1".repeat(80) + "… (3000 characters)' is not an IP string literal");
        assertThat(OpenSearchErrors.shortenQuotedQuery("failed to parse date field [" + digits + "] with format"
                + " [strict_date_optional_time||epoch_millis]")).isEqualTo("failed to parse date field ["
                + "1".repeat(80) + "… (3000 characters)] with format [strict_date_optional_time||epoch_millis]");
        // a short q is quoted whole, as before
        assertThat(OpenSearchErrors.shortenQuotedQuery("Failed to parse query [host:(]")).isEqualTo(
                "Failed to parse query [host:(]");
        assertThat(OpenSearchErrors.shortenQuotedQuery("Cannot parse '" + q + "': too many boolean clauses"))
                .isEqualTo("Cannot parse '" + q.substring(0, 80) + "… (3090 characters)': too many boolean clauses");
    }

    /**
     * A wildcard, regular expression or fuzzy term on srcIp/dstIp (srcIp:10.0.0.*): OpenSearch's "Can only use prefix
     * queries on keyword and text fields - not on [srcIp] which is of type [ip]" says what is not allowed, not what to
     * write; the message says to search a CIDR block (newcomer9, 10a), also on an extra column the engine names an ip
     * field.
     */
    @Test
    void aPatternOnAnIpFieldSaysToUseACidrBlock() throws Exception {
        for (String kind : new String[]{"prefix", "wildcard", "regexp", "fuzzy"}) {
            String reason = "Can only use " + kind + " queries on keyword and text fields - not on [srcIp] which is of"
                    + " type [ip]";
            String error = "{\"type\":\"search_phase_execution_exception\",\"reason\":\"all shards failed\","
                    + "\"failed_shards\":[{\"reason\":{\"type\":\"query_shard_exception\",\"reason\":\"failed to"
                    + " create query: " + reason + "\",\"index_uuid\":\"Wq1HnqCxQ7mjrhw1hJcNtg\",\"caused_by\":{"
                    + "\"type\":\"illegal_argument_exception\",\"reason\":\"" + reason + "\"}}}]}";
            assertThat(OpenSearchErrors.readable(json.readTree(error))).as(kind).isEqualTo("srcIp is an IP field:"
                    + " wildcard, regular-expression and fuzzy terms do not work on it (" + reason + "); to match a"
                    + " range of addresses, search a CIDR block, e.g. srcIp:10.0.0.0/24 for srcIp:10.0.0.*");
        }
        String dst = "Can only use prefix queries on keyword, text and wildcard fields - not on [dstIp] which is of type"
                + " [ip]";
        assertThat(OpenSearchErrors.clean(dst)).startsWith("dstIp is an IP field").endsWith("dstIp:10.0.0.0/24 for"
                + " dstIp:10.0.0.*");
        String extra = "Can only use prefix queries on keyword and text fields - not on [client_ip] which is of type"
                + " [ip]";
        assertThat(OpenSearchErrors.clean(extra)).isEqualTo("client_ip is an IP field: wildcard, regular-expression and"
                + " fuzzy terms do not work on it (" + extra + "); to match a range of addresses, search a CIDR block,"
                + " e.g. client_ip:10.0.0.0/24 for client_ip:10.0.0.*");
    }

    /**
     * A wildcard or fuzzy term on a number or date field of the contract ({@code dstPort:44*}, {@code srcPort:5?},
     * {@code sourceRecord:1*}, {@code timestamp:2018-05-09*}): the engine's refusal, made a hint to search a range, as
     * for an IP field the hint to search a CIDR block. An extra column gets the hint for the type the engine names (Zeek's
     * {@code status:4*}, a long; any number type, a date); a contract field whose index type is not the contract's (an
     * index made by hand) keeps the engine's words, and so does a type that is no number, date or IP.
     */
    @Test
    void aPatternOnANumberOrDateFieldSaysToSearchARange() throws Exception {
        String reason = "Can only use prefix queries on keyword and text fields - not on [dstPort] which is of type"
                + " [integer]";
        String error = "{\"type\":\"search_phase_execution_exception\",\"reason\":\"all shards failed\","
                + "\"failed_shards\":[{\"reason\":{\"type\":\"query_shard_exception\",\"reason\":\"failed to"
                + " create query: " + reason + "\",\"index_uuid\":\"Wq1HnqCxQ7mjrhw1hJcNtg\",\"caused_by\":{"
                + "\"type\":\"illegal_argument_exception\",\"reason\":\"" + reason + "\"}}}]}";
        assertThat(OpenSearchErrors.readable(json.readTree(error))).isEqualTo("dstPort is an integer field: wildcard,"
                + " regular-expression and fuzzy terms do not work on it (" + reason + "); to match several numbers,"
                + " search a range, e.g. dstPort:[1 TO 1023] or dstPort:>1023");
        String record = "Can only use wildcard queries on keyword, text and wildcard fields - not on [sourceRecord]"
                + " which is of type [long]";
        assertThat(OpenSearchErrors.clean(record)).isEqualTo("sourceRecord is a long field: wildcard,"
                + " regular-expression and fuzzy terms do not work on it (" + record + "); to match several numbers,"
                + " search a range, e.g. sourceRecord:[1 TO 1023] or sourceRecord:>1023");
        String time = "Can only use fuzzy queries on keyword and text fields - not on [timestamp] which is of type"
                + " [date]";
        assertThat(OpenSearchErrors.clean(time)).isEqualTo("timestamp is a date field: wildcard, regular-expression"
                + " and fuzzy terms do not work on it (" + time + "); to match a time span, search a range, e.g."
                + " timestamp:[2018-05-09 TO 2018-05-10} (the whole UTC day) or timestamp:>=now-1h, or give the from"
                + " and to parameters");
        String status = "Can only use prefix queries on keyword and text fields - not on [status] which is of type [long]";
        assertThat(OpenSearchErrors.clean(status)).isEqualTo("status is a long field: wildcard, regular-expression and"
                + " fuzzy terms do not work on it (" + status + "); to match several numbers, search a range, e.g."
                + " status:[1 TO 1023] or status:>1023");
        for (String type : new String[]{"integer", "short", "byte", "double", "float", "half_float", "scaled_float",
                "unsigned_long"}) {
            String rtt = "Can only use fuzzy queries on keyword and text fields - not on [rtt] which is of type [" + type
                    + "]";
            assertThat(OpenSearchErrors.clean(rtt)).as(type).startsWith("rtt is a" + (type.matches("[aeiou].*") ? "n "
                    : " ") + type + " field: ").endsWith(type.equals("byte") ? "rtt:[1 TO 100] or rtt:>100"
                    : type.contains("float") || type.equals("double") ? "search a range, e.g. rtt:[0.1 TO 0.5] or"
                    + " rtt:>0.5" : "search a range, e.g. rtt:[1 TO 1023] or rtt:>1023"); // examples of its type
        }
        for (String type : new String[]{"date", "date_nanos"}) {
            String seen = "Can only use prefix queries on keyword and text fields - not on [seen] which is of type ["
                    + type + "]";
            assertThat(OpenSearchErrors.clean(seen)).as(type).startsWith("seen is a date field: ").endsWith(
                    "seen:[2018-05-09 TO 2018-05-10} (the whole UTC day) or seen:>=now-1h"); // from/to: timestamp only
        }
        for (String kept : new String[]{
                "Can only use prefix queries on keyword and text fields - not on [flag] which is of type [boolean]",
                "Can only use prefix queries on keyword and text fields - not on [dstPort] which is of type [long]",
                "Can only use prefix queries on keyword and text fields - not on [srcIp] which is of type [long]",
                "Can only use prefix queries on keyword and text fields - not on [timestamp] which is of type [long]"}) {
            assertThat(OpenSearchErrors.clean(kept)).as(kept).isEqualTo(kept);
        }
    }

    /** srcIp:"00:1a:2b:3c:4d:5e": OpenSearch's "not an IP string literal" alone did not say that a MAC is no IP. */
    @Test
    void aMacAddressRefusedOnAnIpFieldIsNamedAsSuch() {
        assertThat(OpenSearchErrors.clean("failed to create query: '00:1a:2b:3c:4d:5e' is not an IP string literal."))
                .isEqualTo("'00:1a:2b:3c:4d:5e' is not an IP string literal: a MAC address is not an IP address, and"
                        + " srcIp and dstIp hold IP addresses only. The data contract has no MAC field: a MAC address"
                        + " is searchable only in a column of the source data that holds one, under that column's"
                        + " name, quoted (<column>:\"00:1a:2b:3c:4d:5e\")");
        assertThat(OpenSearchErrors.clean("'10.0.0.300' is not an IP string literal."))
                .isEqualTo("'10.0.0.300' is not an IP string literal");
    }

    @Test
    void aReasonThatQuotesItselfInBracketsIsSaidOnce() throws Exception {
        String f = "failed to parse date field [notadate] with format [strict_date_optional_time||epoch_millis]";
        String error = "{\"type\":\"search_phase_execution_exception\",\"reason\":\"all shards failed\","
                + "\"failed_shards\":[{\"reason\":{\"type\":\"query_shard_exception\",\"reason\":\"failed to create query: "
                + f + ": [" + f + "]\",\"caused_by\":{\"type\":\"parse_exception\",\"reason\":\"" + f + ": [" + f + "]\","
                + "\"caused_by\":{\"type\":\"illegal_argument_exception\",\"reason\":\"" + f + "\",\"caused_by\":{"
                + "\"type\":\"date_time_parse_exception\",\"reason\":\"Failed to parse with all enclosed parsers\"}}}}}]}";
        assertThat(OpenSearchErrors.readable(json.readTree(error)))
                .isEqualTo(f + ": Failed to parse with all enclosed parsers");
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
    void valuesAndCharactersOpenSearchPrintsAsCodesAreShownAsText() {
        // q=dstPort:99999999999, q=host:a^-1, q=*:"10.0.0.1" (reasons as OpenSearch 2.19 words them)
        assertThat(OpenSearchErrors.clean("failed to create query: Value [[39 39 39 39 39 39 39 39 39 39 39]] is out of range for an integer"))
                .isEqualTo("Value '99999999999' is out of range for an integer");
        assertThat(OpenSearchErrors.clean("Cannot parse 'host:a^-1': Lexical error at line 1, column 9. Encountered: '45' (45), after prefix \"^\""))
                .isEqualTo("Cannot parse 'host:a^-1': Lexical error at line 1, column 9. Encountered: '-', after prefix \"^\"");
        assertThat(OpenSearchErrors.clean("multiple points")).startsWith("a value with several dots was compared with a number field");
        assertThat(OpenSearchErrors.clean("Value [[c3 a9]] is odd")).isEqualTo("Value 'é' is odd");
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
