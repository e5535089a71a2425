package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A pattern of field names on the error path (docs/API.md, "Field name patterns"): the reasons are the engine's, as
 * {@link OpenSearchErrors} makes them readable (SearchApiUnknownFieldIT shows them against OpenSearch).
 */
class FieldPatternsTest {

    private static SearchBackendException bad(String message) {
        return new SearchBackendException(SearchBackendException.Kind.BAD_QUERY, message);
    }

    /** dst*:… does not parse ("Encountered ":" … column 4", the colon): the message says to escape the star. */
    @Test
    void anUnescapedStarInAFieldNameSaysToEscapeIt() {
        String reason = "Failed to parse query [dst*:/4.*/]: Cannot parse 'dst*:/4.*/': Encountered \" \":\" \": \"\""
                + " at line 1, column 4";
        assertThat(FieldPatterns.explain(bad(reason), "dst*:/4.*/").getMessage()).isEqualTo("q has the field name dst*"
                + " with an unescaped *: Lucene reads dst* as a wildcard term, and a colon after a term that is no plain"
                + " name does not parse. A pattern of field names is written with its * escaped: dst\\*:… searches every"
                + " field whose name matches dst* (IP, number and date fields too, which refuse a wildcard, fuzzy or text"
                + " term; a regular expression finds nothing on them). Or name the fields meant: host:x OR uri:x");
        String later = "Cannot parse 'host:a AND s* :goo*': Encountered \" \":\" \": \"\" at line 1, column 14";
        assertThat(FieldPatterns.explain(bad(later), "host:a AND s* :goo*").getMessage()).startsWith("q has the field"
                + " name s* with an unescaped *").contains("s\\*:…");
        // a leading star: Lucene's refusal of the wildcard term *Port
        String leading = "Failed to parse query [*Port:44*]: Cannot parse '*Port:44*': '*' or '?' not allowed as first"
                + " character in WildcardQuery";
        assertThat(FieldPatterns.explain(bad(leading), "*Port:44*").getMessage()).startsWith("q has the field name"
                + " *Port with an unescaped *").contains("\\*Port:…");
        // another colon error (a:b:c) or a leading wildcard in a value is left as it is
        String second = "Cannot parse 'a:b:c': Encountered \" \":\" \": \"\" at line 1, column 3";
        assertThat(FieldPatterns.explain(bad(second), "a:b:c").getMessage()).isEqualTo(second);
        String value = "Cannot parse 'host:*oo': '*' or '?' not allowed as first character in WildcardQuery";
        assertThat(FieldPatterns.explain(bad(value), "host:*oo").getMessage()).isEqualTo(value);
        assertThat(FieldPatterns.explain(bad(reason), "dst\\*:/4.*/").getMessage()).isEqualTo(reason);
    }

    /**
     * s\*:goo* matches srcIp: the engine refuses the prefix there and names srcIp, which q does not name — the message
     * says the pattern matched it. A query that names the field itself keeps the field's own advice.
     */
    @Test
    void aRefusalOnAFieldThePatternMatchedNamesThePattern() {
        String reason = "srcIp is an IP field: wildcard, regular-expression and fuzzy terms do not work on it (Can only"
                + " use prefix queries on keyword and text fields - not on [srcIp] which is of type [ip]); to match a"
                + " range of addresses, search a CIDR block, e.g. srcIp:10.0.0.0/24 for srcIp:10.0.0.*";
        assertThat(FieldPatterns.explain(bad(reason), "s\\*:goo*").getMessage()).isEqualTo("q's field pattern s*"
                + " matches srcIp, and a pattern searches its term on every field it matches: " + reason + ". The search"
                + " engine refuses the term for the whole pattern then: name the keyword fields meant instead of the"
                + " pattern (e.g. host:goo* OR uri:goo*)");
        String all = "qtype is a long field: wildcard, … (Can only use prefix queries on keyword and text fields - not on"
                + " [qtype] which is of type [long]); to match several numbers, …";
        assertThat(FieldPatterns.explain(bad(all), "*:goo*").getMessage()).startsWith("q's field pattern * matches"
                + " qtype");
        assertThat(FieldPatterns.explain(bad(reason), "srcIp:10.* AND s\\*:goo*").getMessage()).isEqualTo(reason);
        assertThat(FieldPatterns.explain(bad(reason), "srcIp:10.*").getMessage()).isEqualTo(reason);
        assertThat(FieldPatterns.explain(bad(reason), "d\\*:goo*").getMessage()).isEqualTo(reason); // no match
        SearchBackendException failed = new SearchBackendException(SearchBackendException.Kind.FAILED, reason);
        assertThat(FieldPatterns.explain(failed, "s\\*:goo*")).isSameAs(failed);
    }

    @Test
    void aPatternMatchesAsOpenSearchMatchesFieldNames() {
        assertThat(FieldPatterns.matches("dst*", "dstPort")).isTrue();
        assertThat(FieldPatterns.matches("*Port", "srcPort")).isTrue();
        assertThat(FieldPatterns.matches("*", "qtype")).isTrue();
        assertThat(FieldPatterns.matches("s*p", "srcIp")).isTrue();
        assertThat(FieldPatterns.matches("dst*", "srcPort")).isFalse();
        assertThat(FieldPatterns.matches("a.b*", "axb")).isFalse(); // the dot is a dot
    }
}
