package dev.netmeta.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.netmeta.load.ContractValues.RawNumber;
import dev.netmeta.load.ContractValues.Value;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Random NDJSON files as Suricata (EVE: {@code src_ip}, nested {@code tls.sni}, {@code flow.bytes_toserver}, an
 * occasional {@code stats} event) and Zeek's JSON logs ({@code ts} as a number with microseconds, {@code id.orig_h}
 * flat or nested) write them, through Jackson's generator — control characters escaped, non-ASCII raw or as
 * {@code \}{@code uXXXX} (surrogate pairs beyond the BMP). Values of no canonical field keep their JSON type and text.
 */
final class NdjsonFileGenerator {

    /** Longest line the loader accepts (docs/LOAD.md; {@code LineReader.MAX_LINE_CHARS}). */
    static final int MAX_LINE_CHARS = 1024 * 1024;

    private static final JsonFactory JSON = new JsonFactory();

    private NdjsonFileGenerator() {
    }

    /** JSON keys of each canonical field (docs/DATA-CONTRACT.md), for a second key of a field in one event. */
    private static final Map<String, List<String>> KEYS = Map.of(
            "timestamp", List.of("timestamp", "ts"),
            "srcIp", List.of("src_ip", "id.orig_h", "srcIp"),
            "dstIp", List.of("dest_ip", "id.resp_h"),
            "srcPort", List.of("src_port", "id.orig_p"),
            "dstPort", List.of("dest_port", "id.resp_p"),
            "proto", List.of("proto"),
            "host", List.of("tls.sni", "http.hostname", "dns.rrname", "query", "sni"),
            "bytesOut", List.of("flow.bytes_toserver", "orig_bytes", "bytes_toserver"),
            "bytesIn", List.of("flow.bytes_toclient", "resp_bytes"));

    /** A canonical field's key in an event, its JSON value (null: the key is not written) and the value expected. */
    private record Occurrence(String key, Object json, Object expected) {

        /** Whether the contract reads the value as "no value" (a JSON null is no key at all). */
        boolean missing() {
            return json == null || json == ContractValues.JSON_NULL || json instanceof String s
                    && ContractValues.trimmedOrNull(s) == null;
        }
    }

    /** One event being built: the JSON object and the document it must become. */
    private static final class Event {
        final Map<String, Object> json = new LinkedHashMap<>();
        final Map<String, Object> expected = new LinkedHashMap<>();
        /** The canonical fields written, by field. */
        final Map<String, Occurrence> canonical = new LinkedHashMap<>();

        /** A canonical field: its JSON value, or a way of writing "no value". */
        void canonical(ContractValues v, String key, String field, Value value) {
            if (v.chance(12)) {
                Object missing = v.pick(ContractValues.JSON_NULL, "", "-", "(empty)", null);
                if (missing != null) {
                    put(key, missing);
                }
                canonical.put(field, new Occurrence(key.replace('\u0000', '.'), missing, null));
                return;
            }
            put(key, value.json());
            expected.put(field, value.expected());
            canonical.put(field, new Occurrence(key.replace('\u0000', '.'), value.json(), value.expected()));
        }

        /** A field of no canonical name: kept with its JSON type and text. */
        void other(String key, String field, Object value) {
            put(key, value);
            if (value != ContractValues.JSON_NULL) {
                expected.put(field, value instanceof RawNumber n ? Double.parseDouble(n.text()) : value);
            }
        }

        /** {@code a.b} as a nested object {@code {"a":{"b":…}}}. */
        @SuppressWarnings("unchecked")
        private void put(String path, Object value) {
            Map<String, Object> into = json;
            String[] parts = path.split("\\.");
            for (int i = 0; i < parts.length - 1; i++) {
                into = (Map<String, Object>) into.computeIfAbsent(parts[i], k -> new LinkedHashMap<String, Object>());
            }
            into.put(parts[parts.length - 1], value);
        }
    }

    /**
     * A file of {@code records} lines. With {@code atLimit}, one line is padded to exactly the longest line the
     * loader accepts, and in half such files a second one to one character more.
     */
    static GeneratedFile generate(ContractValues v, int records, boolean atLimit) {
        boolean escapeNonAscii = v.chance(30);
        String eol = v.chance(80) ? "\n" : "\r\n";
        StringBuilder text = new StringBuilder(v.chance(10) ? "\uFEFF" : "");
        List<GeneratedFile.Expected> expected = new ArrayList<>();
        List<Integer> ends = new ArrayList<>();
        int padded = atLimit ? v.random().nextInt(records) : -1;
        int over = atLimit && records > 1 && v.chance(50) ? (padded + 1) % records : -1;
        for (int i = 0; i < records; i++) {
            Event e = v.chance(4) ? stats(v) : v.chance(3) ? new Event() : v.chance(50) ? eve(v) : zeek(v);
            boolean skip = e.expected.isEmpty() || "stats".equals(e.json.get("event_type"));
            String written = write(e.json, escapeNonAscii);
            String rejectReason = null;
            if (i == padded || i == over) {
                int target = MAX_LINE_CHARS + (i == over ? 1 : 0);
                String note = e.json.get("note") instanceof String s ? s : "";
                e.json.remove("note");
                e.expected.remove("note");
                String probe = write(with(e.json, "note", note), escapeNonAscii);
                String grown = note + "x".repeat(target - probe.length());
                e.other("note", "note", grown);
                written = write(e.json, escapeNonAscii);
                skip = "stats".equals(e.json.get("event_type"));
                if (written.length() != target) {
                    throw new IllegalStateException("padding missed: " + written.length());
                }
                if (i == over) {
                    rejectReason = "line longer than " + MAX_LINE_CHARS + " characters";
                }
            }
            if (i != padded && i != over && !skip && !e.canonical.isEmpty() && v.chance(20)) {
                written = secondKey(v, e, written, escapeNonAscii);
            }
            text.append(written);
            if (i < records - 1 || v.chance(80)) {
                text.append(eol);
            }
            ends.add(text.length());
            Map<String, Object> fields = skip && rejectReason == null ? Map.of() : e.expected;
            expected.add(new GeneratedFile.Expected(fields, rejectReason, written));
        }
        return new GeneratedFile("ndjson", text.toString().getBytes(StandardCharsets.UTF_8), expected,
                new GeneratedFile.Layout(text.toString(), ends, new java.util.TreeMap<>(), eol));
    }

    /**
     * Writes a second key for one of the event's canonical fields at its end — the same key again, or another alias
     * ({@code src_ip} and {@code id.orig_h}), flat or nested — and works out the document as docs/LOAD.md says:
     * both values stay; a dotted alias goes first, then the keys in the event's order; the first with a value is the
     * field, a later one is {@code <field>_2}, an unknown field kept with its JSON value as written (also a "no
     * value" text); one without a value ({@code -}, {@code ""}) leaves the name to the next.
     */
    private static String secondKey(ContractValues v, Event e, String written, boolean escapeNonAscii) {
        String field = v.pick(new ArrayList<>(e.canonical.keySet()));
        Occurrence first = e.canonical.get(field);
        Value value = switch (field) {
            case "timestamp" -> v.timestamp();
            case "srcIp", "dstIp" -> v.ip();
            case "srcPort", "dstPort" -> v.port();
            case "proto" -> v.proto();
            case "host" -> v.host();
            default -> v.counter();
        };
        Occurrence second = v.chance(20) ? new Occurrence(first.key(), v.pick("", "-", "(empty)"), null)
                : new Occurrence(v.chance(30) ? first.key() : v.pick(KEYS.get(field)), value.json(), value.expected());
        Event extra = new Event();
        extra.put(second.key().contains(".") && v.chance(50) ? second.key().replace('.', '\u0000') : second.key(),
                second.json());
        String added = write(extra.json, escapeNonAscii);
        String line = written.substring(0, written.length() - 1) + (e.json.isEmpty() ? "" : ",") + added.substring(1);

        boolean secondFirst = second.key().contains(".") && !first.key().contains(".");
        e.expected.remove(field);
        String taken = null;
        for (Occurrence o : secondFirst ? List.of(second, first) : List.of(first, second)) {
            if (o.json() == null || o.json() == ContractValues.JSON_NULL) {
                continue; // no key, or a JSON null: not read at all
            }
            if (taken == null) {
                if (!o.missing()) {
                    taken = field;
                    e.expected.put(field, o.expected());
                }
            } else {
                e.expected.put(field + "_2", o.json() instanceof RawNumber n ? Double.parseDouble(n.text()) : o.json());
            }
        }
        return line;
    }

    private static Map<String, Object> with(Map<String, Object> json, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(json);
        copy.put(key, value);
        return copy;
    }

    /** A Suricata EVE event. */
    private static Event eve(ContractValues v) {
        Event e = new Event();
        e.canonical(v, "timestamp", "timestamp", v.timestamp());
        e.other("flow_id", "flow_id", v.random().nextLong(1L << 52));
        String type = v.pick("tls", "http", "dns", "flow", "alert");
        e.other("event_type", "event_type", type);
        e.canonical(v, "src_ip", "srcIp", v.ip());
        e.canonical(v, "src_port", "srcPort", v.port());
        e.canonical(v, "dest_ip", "dstIp", v.ip());
        e.canonical(v, "dest_port", "dstPort", v.port());
        e.canonical(v, "proto", "proto", v.proto());
        switch (type) {
            case "tls" -> {
                e.canonical(v, "tls.sni", "host", v.host());
                e.other("tls.version", "tls_version", v.pick("TLS 1.3", "TLSv1.2", "UNDETERMINED"));
            }
            case "http" -> {
                e.canonical(v, "http.hostname", "host", v.host());
                e.other("http.url", "http_url", v.hostileText());
                e.other("http.status", "http_status", (long) v.pick(200, 404, 500));
            }
            case "dns" -> {
                e.canonical(v, "dns.rrname", "host", v.host());
                e.other("dns.type", "dns_type", v.pick("query", "answer"));
            }
            case "flow" -> {
                e.canonical(v, "flow.bytes_toserver", "bytesOut", v.counter());
                e.canonical(v, "flow.bytes_toclient", "bytesIn", v.counter());
                e.other("flow.pkts_toserver", "flow_pkts_toserver", v.zeekCount().json());
            }
            default -> e.other("alert.signature", "alert_signature", v.hostileText());
        }
        others(v, e);
        return e;
    }

    /** A Zeek JSON log line ({@code conn}/{@code dns}), {@code id.*} flat with dots or nested. */
    private static Event zeek(ContractValues v) {
        Event e = new Event();
        boolean flat = v.chance(50);
        long second = v.random().nextLong(100_000_000L, 4_102_444_800L);
        int micros = v.random().nextInt(1_000_000);
        e.canonical(v, "ts", "timestamp", new Value(null, new RawNumber(second + "." + ContractValues.pad(micros, 6)),
                second * 1000 + micros / 1000));
        e.other("uid", "uid", "C" + Long.toString(v.random().nextLong(Long.MAX_VALUE), 36));
        addr(v, e, flat, "id.orig_h", "srcIp");
        e.canonical(v, flat ? "id\u0000orig_p" : "id.orig_p", "srcPort", v.port());
        addr(v, e, flat, "id.resp_h", "dstIp");
        e.canonical(v, flat ? "id\u0000resp_p" : "id.resp_p", "dstPort", v.port());
        e.canonical(v, "proto", "proto", v.proto());
        e.canonical(v, "query", "host", v.host());
        e.canonical(v, "orig_bytes", "bytesOut", v.zeekCount());
        if (v.chance(50)) {
            List<Object> ttls = new ArrayList<>();
            for (int i = v.random().nextInt(4); i > 0; i--) {
                ttls.add(v.random().nextInt(1, 86_400) + 0.5);
            }
            e.other("TTLs", "TTLs", ttls);
        }
        if (v.chance(50)) {
            e.other("answers", "answers", List.of(v.hostileText(), v.host().expected()));
        }
        others(v, e);
        return e;
    }

    private static void addr(ContractValues v, Event e, boolean flat, String path, String field) {
        e.canonical(v, flat ? path.replace('.', '\u0000') : path, field, v.ip());
    }

    /** Fields of no canonical name: hostile text exactly as written, numbers, booleans, null. */
    private static void others(ContractValues v, Event e) {
        if (v.chance(60)) {
            e.other("note", "note", v.chance(10) ? v.pick("", " ", "-", "(empty)") : v.hostileText());
        }
        if (v.chance(30)) {
            e.other("score", "score", v.decimal().json());
        }
        if (v.chance(30)) {
            e.other("count", "count", v.wholeNumber().json());
        }
        if (v.chance(20)) {
            e.other("ok", "ok", v.random().nextBoolean());
        }
        if (v.chance(20)) {
            e.other("nothing", "nothing", ContractValues.JSON_NULL);
        }
    }

    /** A Suricata stats event: skipped by the load. */
    private static Event stats(ContractValues v) {
        Event e = new Event();
        e.other("timestamp", "timestamp", v.timestamp().json());
        e.other("event_type", "event_type", "stats");
        e.other("stats.uptime", "stats_uptime", v.zeekCount().json());
        return e;
    }

    /** One line of JSON; a key holding U+0000 stands for a literal dot in a flat key ({@code "id.orig_h"}). */
    static String write(Map<String, Object> json, boolean escapeNonAscii) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            if (escapeNonAscii) {
                g.enable(JsonGenerator.Feature.ESCAPE_NON_ASCII);
            }
            value(g, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static void value(JsonGenerator g, Object value) throws IOException {
        if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                g.writeFieldName(e.getKey().replace('\u0000', '.'));
                value(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                value(g, o);
            }
            g.writeEndArray();
        } else if (value instanceof RawNumber n) {
            g.writeNumber(n.text());
        } else if (value instanceof Long n) {
            g.writeNumber(n);
        } else if (value instanceof Integer n) {
            g.writeNumber(n);
        } else if (value instanceof Double d) {
            g.writeNumber(d);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value == ContractValues.JSON_NULL) {
            g.writeNull();
        } else {
            throw new IllegalArgumentException("no JSON value: " + value);
        }
    }
}
