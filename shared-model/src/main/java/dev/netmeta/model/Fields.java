package dev.netmeta.model;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Canonical field names of a netmeta record, the aliases that map source columns (Zeek, Suricata EVE,
 * CICFlowMeter) onto them, and safe names for every other column. See {@code docs/DATA-CONTRACT.md}.
 */
public final class Fields {
    public static final String TIMESTAMP = "timestamp";
    public static final String SRC_IP = "srcIp";
    public static final String DST_IP = "dstIp";
    public static final String SRC_PORT = "srcPort";
    public static final String DST_PORT = "dstPort";
    public static final String PROTO = "proto";
    public static final String HOST = "host";
    public static final String BYTES_OUT = "bytesOut";
    public static final String BYTES_IN = "bytesIn";

    /**
     * Provenance, written by the loader on every document (never taken from the input): the S3 key of the object
     * the record was loaded from ({@code keyword}).
     */
    public static final String SOURCE_FILE = "sourceFile";
    /**
     * Provenance: the record's 0-based position among the data records of {@link #SOURCE_FILE} ({@code long}), the
     * same position that goes into the document id. {@code sourceFile} + {@code sourceRecord} is unique per bucket.
     */
    public static final String SOURCE_RECORD = "sourceRecord";
    /**
     * Provenance: the version of {@link #SOURCE_FILE} the record was loaded from — the S3 object's ETag without its
     * quotes ({@code keyword}). When a key is loaded again with new content, the loader removes the documents of that
     * key whose {@code sourceVersion} is not the new one.
     */
    public static final String SOURCE_VERSION = "sourceVersion";

    /** Name given to a column whose name has no usable character at all. */
    public static final String UNNAMED = "field";

    private static final Map<String, FieldType> TYPES;
    private static final Map<String, FieldType> PROVENANCE;
    private static final Map<String, String> ALIASES_AS_WRITTEN;
    private static final Map<String, String> BY_KEY;
    /** Names already resolved (NDJSON loaders ask for the same keys on every record); bounded. */
    private static final Map<String, String> RESOLVED = new ConcurrentHashMap<>();
    private static final int MAX_RESOLVED = 4096;

    static {
        Map<String, FieldType> types = new LinkedHashMap<>();
        types.put(TIMESTAMP, FieldType.DATE);
        types.put(SRC_IP, FieldType.IP);
        types.put(DST_IP, FieldType.IP);
        types.put(SRC_PORT, FieldType.INTEGER);
        types.put(DST_PORT, FieldType.INTEGER);
        types.put(PROTO, FieldType.KEYWORD);
        types.put(HOST, FieldType.KEYWORD);
        types.put(BYTES_OUT, FieldType.LONG);
        types.put(BYTES_IN, FieldType.LONG);
        TYPES = Collections.unmodifiableMap(types);
        Map<String, FieldType> provenance = new LinkedHashMap<>();
        provenance.put(SOURCE_FILE, FieldType.KEYWORD);
        provenance.put(SOURCE_RECORD, FieldType.LONG);
        provenance.put(SOURCE_VERSION, FieldType.KEYWORD);
        PROVENANCE = Collections.unmodifiableMap(provenance);

        Map<String, String> a = new LinkedHashMap<>();
        // timestamp
        alias(a, TIMESTAMP, "timestamp", "ts", "Timestamp", "time", "@timestamp");
        // source / destination address
        alias(a, SRC_IP, "srcIp", "id.orig_h", "src_ip", "Src IP", "Source IP");
        alias(a, DST_IP, "dstIp", "id.resp_h", "dest_ip", "Dst IP", "Destination IP");
        // ports
        alias(a, SRC_PORT, "srcPort", "id.orig_p", "src_port", "Src Port", "Source Port");
        alias(a, DST_PORT, "dstPort", "id.resp_p", "dest_port", "Dst Port", "Destination Port");
        // protocol
        alias(a, PROTO, "proto", "Protocol");
        // host names: HTTP Host, TLS SNI (Zeek ssl.log, Suricata tls), DNS query (Zeek dns.log, Suricata dns)
        alias(a, HOST, "host", "server_name", "query", "sni", "hostname",
                "http.hostname", "tls.sni", "dns.rrname");
        // byte counters: Zeek conn.log, Suricata flow, CICFlowMeter (2017 and 2018 spellings)
        alias(a, BYTES_OUT, "bytesOut", "orig_bytes", "bytes_toserver", "flow.bytes_toserver",
                "Total Length of Fwd Packets", "TotLen Fwd Pkts");
        alias(a, BYTES_IN, "bytesIn", "resp_bytes", "bytes_toclient", "flow.bytes_toclient",
                "Total Length of Bwd Packets", "TotLen Bwd Pkts");
        ALIASES_AS_WRITTEN = Collections.unmodifiableMap(a);

        Map<String, String> byKey = new HashMap<>();
        for (Map.Entry<String, String> e : a.entrySet()) {
            String previous = byKey.put(matchKey(e.getKey()), e.getValue());
            if (previous != null && !previous.equals(e.getValue())) {
                throw new IllegalStateException("alias " + e.getKey() + " maps to both " + previous + " and " + e.getValue());
            }
        }
        BY_KEY = byKey;
    }

    private Fields() {
    }

    private static void alias(Map<String, String> table, String canonical, String... spellings) {
        for (String s : spellings) {
            table.put(s, canonical);
        }
    }

    /** The nine canonical field names, in contract order. */
    public static Set<String> canonicalFields() {
        return TYPES.keySet();
    }

    /**
     * The three provenance field names the loader adds to every document ({@link #SOURCE_FILE},
     * {@link #SOURCE_RECORD}, {@link #SOURCE_VERSION}).
     */
    public static Set<String> provenanceFields() {
        return PROVENANCE.keySet();
    }

    /** True for a provenance field name (exact spelling): no input column may be stored under it. */
    public static boolean isProvenance(String fieldName) {
        return PROVENANCE.containsKey(fieldName);
    }

    /** Every alias as written in the contract (spelling → canonical name). */
    public static Map<String, String> aliases() {
        return ALIASES_AS_WRITTEN;
    }

    /** True for one of the nine canonical names (exact spelling). */
    public static boolean isCanonical(String fieldName) {
        return TYPES.containsKey(fieldName);
    }

    /**
     * True for a key under ECS's {@code host.}, {@code observer.} or {@code agent.} objects (case ignored): in
     * Filebeat / Elastic Agent events they describe the machine that observed or shipped the event, not the traffic,
     * so they are never a canonical field — {@code host.name} would otherwise match the alias {@code hostname}.
     */
    public static boolean isObserverField(String key) {
        if (key == null) {
            return false;
        }
        int at = 0; // a CSV header may be padded or start with a BOM, as alias matching allows
        while (at < key.length() && (key.charAt(at) <= ' ' || key.charAt(at) == '\uFEFF')) {
            at++;
        }
        return key.regionMatches(true, at, "host.", 0, 5) || key.regionMatches(true, at, "observer.", 0, 9)
                || key.regionMatches(true, at, "agent.", 0, 6);
    }

    /**
     * The canonical name for a known alias (matched ignoring case, spaces, underscores, dots and hyphens, after
     * trimming; never for an {@linkplain #isObserverField observer field}), else a safe field name for the column:
     * every character other than a letter, digit, {@code _} or {@code -} becomes {@code _}, leading underscores and
     * hyphens are removed, and an empty result becomes {@value #UNNAMED}. Safe names keep their case
     * ({@code Flow Bytes/s} → {@code Flow_Bytes_s}). A column whose name would be a provenance field
     * ({@code sourceFile}, {@code sourceRecord}, {@code sourceVersion}) gets the suffix {@code _2}, like a duplicate
     * column in {@link RecordMapper}, so input data can never overwrite the loader's provenance.
     */
    public static String canonicalName(String column) {
        if (column == null) {
            return UNNAMED;
        }
        String name = RESOLVED.get(column);
        if (name == null) {
            name = canonicalNameUncached(column);
            if (RESOLVED.size() < MAX_RESOLVED) {
                RESOLVED.put(column, name);
            }
        }
        return name;
    }

    /**
     * {@link #canonicalName}'s answer, computed each time and kept nowhere: for names that are not a file's columns
     * (the api's suggestions read user input — sort keys of any length, words of a query), which must not fill the
     * loader's cache, never emptied.
     */
    public static String canonicalNameUncached(String column) {
        if (column == null) {
            return UNNAMED;
        }
        String canonical = isObserverField(column) ? null : BY_KEY.get(matchKey(column));
        String name = canonical != null ? canonical : safeName(column);
        return isProvenance(name) ? name + "_2" : name;
    }

    /**
     * The storage type of a field name: canonical and provenance fields have their own, every other name is
     * {@link FieldType#KEYWORD}.
     */
    public static FieldType typeOf(String fieldName) {
        if (fieldName == null) {
            return FieldType.KEYWORD;
        }
        FieldType t = TYPES.get(fieldName);
        if (t == null) {
            t = PROVENANCE.get(fieldName);
        }
        return t != null ? t : FieldType.KEYWORD;
    }

    /** Lower-cased, with spaces, underscores, dots and hyphens removed; other characters kept. */
    static String matchKey(String column) {
        StringBuilder sb = new StringBuilder(column.length());
        for (int i = 0; i < column.length(); i++) {
            char c = column.charAt(i);
            if (c == ' ' || c == '_' || c == '.' || c == '-' || c == '\t' || c == '\uFEFF') {
                continue;
            }
            sb.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : Character.toLowerCase(c));
        }
        return sb.toString();
    }

    static String safeName(String column) {
        String s = column.strip();
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean keep = Character.isLetterOrDigit(c) || c == '_' || c == '-';
            if (!keep) {
                c = '_';
            }
            if (sb.length() == 0 && (c == '_' || c == '-')) {
                continue; // no leading underscores (reserved for metadata fields) or hyphens
            }
            sb.append(c);
        }
        return sb.length() == 0 ? UNNAMED : sb.toString();
    }
}
