package dev.netmeta.api.truth;

import dev.netmeta.api.truth.TruthQuery.Conj;
import dev.netmeta.api.truth.TruthQuery.Group;
import dev.netmeta.api.truth.TruthQuery.Item;
import dev.netmeta.api.truth.TruthQuery.Leaf;
import dev.netmeta.api.truth.TruthQuery.Mod;
import dev.netmeta.api.truth.TruthQuery.Sequence;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Random queries from the grammar docs/API.md promises works, each with the documents it must find: field terms and
 * phrases, IPv4/IPv6 addresses and CIDR blocks (quoted, unquoted, escaped), number/IP/date/keyword ranges (brackets,
 * {@code *} bounds, {@code >=}-style), wildcards, regular expressions and fuzzy terms on keyword fields, {@code field:*},
 * protocol numbers, terms without a field (host; an address on host, srcIp and dstIp; a block on srcIp and dstIp;
 * {@code *}), runs of terms a space separates, AND/OR/NOT/&&/||/!/+/-, groups and field groups, boosts, field name
 * patterns that match host alone ({@code ho\*}, {@code h\o\*}, {@code ho\u002a}). With {@link #refusing} one clause
 * the docs say is refused goes in somewhere — also a regular expression on a pattern of only IP and number fields,
 * its name escaped in other ways than {@code \*} — and the query must be refused with its code.
 */
public final class TruthQueryGenerator {

    private static final String[] FIELDS = {"host", "host", "proto", "srcIp", "srcIp", "dstIp", "dstPort", "srcPort",
        "bytesOut", "bytesIn", "timestamp", "timestamp", "app", "status", "rtt", "sourceFile", "sourceRecord"};
    /** Field name patterns that match host and no other field, written as API.md's Field name patterns allow. */
    private static final String[] HOST_PATTERNS = {"ho\\*", "hos\\*", "h\\o\\*", "ho\\u002a", "\\h\\o\\*"};
    /**
     * Regular expressions on field name patterns that match only IP and number fields (dstIp and dstPort, srcPort
     * and dstPort): a 400 (API.md, Field name patterns), also with other escapes than {@code \*} in the name.
     */
    private static final String[] NON_TEXT_PATTERN_REGEXES = {"dst\\*:/4.*/", "d\\st\\*:/4.*/", "dst\\u002a:/1.*/",
        "\\d\\s\\t\\*:/4.*/", "\\*Port:/44.*/", "\\*P\\ort:/5.*/", "\\*Port:/8.*/"};
    private static final String[] GROUP_FIELDS = {"host", "proto", "srcIp", "dstIp", "dstPort", "app", "status"};

    private final Random r;
    private final List<Map<String, Object>> docs;
    private int expensive; // wildcard, regular expression and fuzzy terms: the guards allow 10 of each

    public TruthQueryGenerator(Random r, List<Map<String, Object>> docs) {
        this.r = r;
        this.docs = docs;
    }

    public Sequence query() {
        expensive = 0;
        return sequence(0, null);
    }

    /** A query with one clause the docs say is refused, and so the query with it. */
    public Sequence refusing() {
        Sequence valid = query();
        List<Item> items = new ArrayList<>(valid.items);
        if (items.size() >= 2 && r.nextInt(6) == 0) { // a lower-case operator between two clauses
            int at = 1 + r.nextInt(items.size() - 1);
            String word = pick(new String[] {"and", "or", "not", "And"});
            items.set(at, new Item(Conj.NONE, Mod.NONE, items.get(at).clause()));
            items.add(at, new Item(Conj.NONE, Mod.NONE, new Leaf(word, d -> false, "bad_query", "operator")));
            return new Sequence(items);
        }
        int at = r.nextInt(items.size() + 1);
        items.add(at, new Item(at == 0 ? Conj.NONE : pick(Conj.values()), r.nextBoolean() ? Mod.NONE : Mod.NOT,
                refusal()));
        if (at == 0) {
            Item next = items.get(1);
            items.set(1, new Item(pick(new Conj[] {Conj.AND, Conj.OR, Conj.AND_SIGNS}), next.mod(), next.clause()));
        }
        return new Sequence(items);
    }

    private Leaf refusal() {
        switch (r.nextInt(16)) {
            case 15: return bad(pick(NON_TEXT_PATTERN_REGEXES));
            case 0: return bad("dstPort:[443 TO 80]");
            case 1: return bad("bytesOut:{" + (1000 + r.nextInt(1000)) + " TO " + r.nextInt(1000) + "]");
            case 2: return bad("srcIp:[10.0.0.255 TO 10.0.0." + r.nextInt(255) + "]");
            case 3: return bad("timestamp:[2018-05-10 TO 2018-05-09T23:59]");
            case 4: return new Leaf(pick(new String[] {"srcip:10.0.0.1", "hots:google.com", "Host:google.com",
                "dst_port:53", "APP:web"}), d -> false, "unknown_field", "unknown");
            case 5: return bad("dstPort:" + r.nextInt(100) + ".5");
            case 6: return bad("status:2.5");
            case 7: return bad("dstPort:abc");
            case 8: return bad("dstPort:44*");
            case 9: return bad("srcIp:10.0.0.*");
            case 10: return bad("host:*oogle.com");
            case 11: return bad("dstPort:[1 to 1023]");
            case 12: return bad("srcIp:10.0.0.300");
            case 13: return bad("srcIp:/10\\..*/");
            default: return bad("status:[500 TO 200]");
        }
    }

    private static Leaf bad(String text) {
        return new Leaf(text, d -> false, "bad_query", "refused");
    }

    private Sequence sequence(int depth, String groupField) {
        int n = 1 + r.nextInt(depth == 0 ? 4 : 3);
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Conj conj = i == 0 ? Conj.NONE : weighted(new Conj[] {Conj.NONE, Conj.AND, Conj.OR, Conj.AND_SIGNS,
                Conj.OR_SIGNS, Conj.NONE_TAB, Conj.NONE_LINES, Conj.AND_LINES}, new int[] {31, 23, 20, 10, 10, 2, 2, 2});
            Mod mod = weighted(Mod.values(), new int[] {60, 10, 10, 12, 8});
            TruthQuery clause = depth < 2 && r.nextInt(5) == 0 ? group(depth, groupField) : leaf(groupField);
            if (i > 0 && mod == Mod.NONE && clause.text().startsWith(":") && (conj == Conj.NONE
                    || conj == Conj.NONE_TAB || conj == Conj.NONE_LINES)) {
                conj = Conj.OR; // ::1 right after a term and a space is refused: the parser would read term: (API.md)
            }
            items.add(new Item(conj, mod, clause));
        }
        return new Sequence(items);
    }

    private TruthQuery group(int depth, String groupField) {
        String boost = r.nextInt(8) == 0 ? "^2" : "";
        if (groupField == null && r.nextInt(2) == 0) {
            String field = pick(GROUP_FIELDS);
            return new Group(field, sequence(depth + 1, field), boost);
        }
        return new Group(null, sequence(depth + 1, groupField), boost);
    }

    private TruthQuery leaf(String groupField) {
        if (groupField != null) {
            return value(groupField, true);
        }
        if (r.nextInt(5) == 0) {
            return bare();
        }
        return value(pick(FIELDS), false);
    }

    /** A term without a field. */
    private TruthQuery bare() {
        switch (r.nextInt(10)) {
            case 0: case 1: case 2: {
                String host = r.nextInt(8) == 0 ? "nothing.example" : pick(TruthDocs.HOSTS);
                if (host.equals("10.9.8.7")) {
                    return bareAddress(host);
                }
                String typed = r.nextInt(4) == 0 ? host.toUpperCase(Locale.ROOT) : host;
                if (r.nextInt(4) == 0) {
                    typed = "\"" + typed + "\"";
                } else if (r.nextInt(6) == 0 && expensive < 8 && host.length() > 3) {
                    expensive++;
                    String fuzzy = edit(host);
                    return new Leaf(fuzzy + "~", d -> TruthValues.fuzzy(d.get("host"), fuzzy,
                            TruthValues.autoEdits(fuzzy)), null, "fuzzy");
                }
                return new Leaf(typed + boost(), d -> TruthValues.termEquals("host", d.get("host"), host), null, "word");
            }
            case 3: case 4: case 5:
                return bareAddress(address());
            case 6: case 7: {
                String[] block = block();
                String base = block[0];
                int prefix = Integer.parseInt(block[1]);
                String text = base + (r.nextInt(4) == 0 && !base.contains(":") ? "\\/" : "/") + prefix;
                if (r.nextInt(3) == 0 && !text.contains("\\")) {
                    text = "\"" + text + "\"";
                }
                return new Leaf(text, d -> inBlock(d.get("srcIp"), base, prefix) || inBlock(d.get("dstIp"), base, prefix),
                        null, "block");
            }
            case 8: {
                if (expensive >= 8) {
                    return new Leaf("*", d -> true, null, "all");
                }
                String host = pick(TruthDocs.HOSTS);
                String pattern = host.substring(0, 1 + r.nextInt(Math.min(4, host.length()))) + "*";
                return new Leaf(pattern, d -> TruthValues.wildcard("host", d.get("host"), pattern), null, "prefix");
            }
            default:
                return new Leaf("*", d -> true, null, "all");
        }
    }

    private Leaf bareAddress(String address) {
        boolean ipv6 = address.contains(":");
        boolean quoted = ipv6 ? r.nextInt(2) == 0 : r.nextInt(3) == 0;
        String text = (quoted ? "\"" + address + "\"" : address) + boost();
        return new Leaf(text, d -> Objects.equals(address, d.get("host")) || TruthValues.termEquals("srcIp", d.get("srcIp"),
                address) || TruthValues.termEquals("dstIp", d.get("dstIp"), address), null, "address");
    }

    private static boolean inBlock(Object stored, String base, int prefix) {
        return stored != null && TruthIp.inBlock(stored.toString(), base, prefix);
    }

    /** A clause on a field: its text with the field, or without inside the field's group. */
    private Leaf value(String field, boolean inGroup) {
        String name = r.nextInt(12) == 0 && (field.equals("srcIp") || field.equals("dstIp"))
                ? field.substring(0, 3) + "\\" + field.substring(3) : field; // src\Ip is srcIp to the parser
        String colon = inGroup ? "" : r.nextInt(15) == 0 ? ": " : ":";
        Leaf v = switch (TruthValues.typeOf(field)) {
            case LOWERCASE_KEYWORD, KEYWORD -> keyword(field, inGroup);
            case IP -> ip(field, inGroup);
            case NUMBER -> number(field, inGroup);
            case DATE -> date(field);
        };
        if (field.equals("host") && !inGroup && List.of("term", "phrase", "regex", "range").contains(v.kind())
                && r.nextInt(8) == 0) {
            // a field name pattern that matches host alone: the engine searches the term on host (API.md, Field name
            // patterns), its * escaped in any of the ways Lucene's parser reads as \*
            name = pick(HOST_PATTERNS);
        }
        return new Leaf((inGroup ? "" : name + colon) + v.text(), v.test(), null, v.kind());
    }

    private Leaf keyword(String field, boolean inGroup) {
        List<String> values = field.equals("host") ? TruthDocs.HOSTS : field.equals("app") ? TruthDocs.APPS
                : field.equals("proto") ? List.of("tcp", "udp", "icmp", "253", "gre") : files();
        String value = r.nextInt(10) == 0 ? "nothing" : pick(values);
        int kind = r.nextInt(20);
        if (field.equals("proto") && kind < 4) {
            String[] numbers = {"6", "17", "1", "006", "017", "47"};
            String number = pick(numbers);
            String name = Map.of("6", "tcp", "17", "udp", "1", "icmp", "006", "tcp", "017", "udp", "47", "gre").get(number);
            if (r.nextInt(4) == 0) { // a phrase stays the number
                return leaf("\"" + number + "\"", d -> TruthValues.termEquals(field, d.get(field), number), "phrase");
            }
            return leaf(number + boost(), d -> TruthValues.termEquals(field, d.get(field), name), "term");
        }
        if (kind < 9 || (field.equals("proto") && kind < 16)) {
            boolean lower = TruthValues.typeOf(field) == TruthValues.Type.LOWERCASE_KEYWORD;
            String typed = lower && r.nextInt(3) == 0 ? value.toUpperCase(Locale.ROOT) : value;
            if (field.equals("sourceFile") || r.nextInt(3) == 0) {
                return leaf("\"" + typed + "\"" + boost(), d -> TruthValues.termEquals(field, d.get(field), typed), "phrase");
            }
            return leaf(typed + boost(), d -> TruthValues.termEquals(field, d.get(field), typed), "term");
        }
        if (kind < 11) {
            return leaf("*", d -> d.get(field) != null, "exists");
        }
        if (kind < 13 && !inGroup && !field.equals("sourceFile")) {
            String a = pick(values).toLowerCase(Locale.ROOT);
            String b = pick(values).toLowerCase(Locale.ROOT);
            String lo = a.compareTo(b) <= 0 ? a : b;
            String hi = a.compareTo(b) <= 0 ? b : a;
            if (r.nextInt(6) == 0) { // reversed: not the api's to tell, the engine finds nothing
                String t = lo;
                lo = hi;
                hi = t;
            }
            return range(field, quoteIfColon(lo), quoteIfColon(hi), lo, hi);
        }
        if (expensive >= 8) {
            return leaf("*", d -> d.get(field) != null, "exists");
        }
        expensive++;
        String source = value.equals("nothing") ? pick(values) : value;
        if (kind < 16) { // wildcard: a prefix, a ? for a character, a * inside; a slash escaped
            int cut = 1 + r.nextInt(Math.max(1, source.length() - 1));
            String raw = switch (r.nextInt(3)) {
                case 0 -> source.substring(0, cut) + "*";
                case 1 -> source.substring(0, cut) + "?" + source.substring(Math.min(source.length(), cut + 1));
                default -> source.substring(0, cut) + "*" + source.substring(source.length() - 1);
            };
            String pattern = raw.replace("/", "\\/");
            String typed = TruthValues.typeOf(field) == TruthValues.Type.LOWERCASE_KEYWORD && r.nextInt(3) == 0
                    ? pattern.toUpperCase(Locale.ROOT) : pattern;
            return leaf(typed, d -> TruthValues.wildcard(field, d.get(field), typed), "wildcard");
        }
        if (kind < 18 && !field.equals("sourceFile")) { // a regular expression with a literal start
            String regex;
            switch (r.nextInt(3)) {
                case 0: regex = source.substring(0, 1 + r.nextInt(source.length())).replace(".", "\\.") + ".*"; break;
                case 1: regex = source.charAt(0) + source.substring(1).replace(".", "\\.").replaceFirst("[a-z0-9]", ".");
                        break;
                default: regex = "www\\.example\\.(com|net)";
            }
            String lucene = regex;
            return leaf("/" + lucene + "/", d -> TruthValues.regex(d.get(field), lucene), "regex");
        }
        if (field.equals("sourceFile") || source.length() < 3) {
            expensive--;
            return leaf("*", d -> d.get(field) != null, "exists");
        }
        String fuzzy = edit(source);
        int marker = r.nextInt(3);
        int edits = marker == 0 ? TruthValues.autoEdits(fuzzy) : marker;
        return leaf(fuzzy + (marker == 0 ? "~" : "~" + marker), d -> TruthValues.fuzzy(d.get(field), fuzzy, edits),
                "fuzzy");
    }

    /** One random edit after the first character. */
    private String edit(String s) {
        int at = 1 + r.nextInt(s.length() - 1);
        switch (r.nextInt(4)) {
            case 0: return s.substring(0, at) + s.substring(at + 1);
            case 1: return s.substring(0, at) + "x" + s.substring(at);
            case 2: return s.substring(0, at) + "q" + s.substring(at + 1);
            default: return at + 1 < s.length()
                    ? s.substring(0, at) + s.charAt(at + 1) + s.charAt(at) + s.substring(at + 2) : s;
        }
    }

    private static String quoteIfColon(String s) {
        return s.contains(":") ? "\"" + s + "\"" : s;
    }

    private List<String> files() {
        List<String> files = new ArrayList<>();
        for (int day = 7; day <= 11; day++) {
            for (String kind : TruthDocs.KINDS) {
                files.add("raw/2018-05-" + (day < 10 ? "0" : "") + day + "-" + kind + ".csv.gz");
            }
        }
        return files;
    }

    private Leaf ip(String field, boolean inGroup) {
        int kind = r.nextInt(10);
        if (kind < 4) {
            String address = address();
            String text;
            if (address.contains(":")) {
                text = switch (r.nextInt(4)) {
                    case 0 -> "\"" + address + "\"";
                    case 1 -> address.replace(":", "\\:");
                    default -> address;
                };
            } else {
                text = r.nextInt(3) == 0 ? "\"" + address + "\"" : address;
            }
            return leaf(text + boost(), d -> TruthValues.termEquals(field, d.get(field), address), "address");
        }
        if (kind < 8) {
            String[] block = block();
            String base = block[0];
            int prefix = Integer.parseInt(block[1]);
            String text = switch (r.nextInt(4)) {
                case 0 -> "\"" + base + "/" + prefix + "\"";
                // an IPv6 block with its slash escaped needs its colons escaped too (docs/API.md)
                case 1 -> base.replace(":", "\\:") + "\\/" + prefix;
                default -> base + "/" + prefix;
            };
            return leaf(text + boost(), d -> inBlock(d.get(field), base, prefix), "block");
        }
        if (kind < 9 || inGroup) {
            return leaf("*", d -> d.get(field) != null, "exists");
        }
        String a = address();
        String b = r.nextBoolean() ? address() : neighbour(a);
        if (a.contains(":") != b.contains(":")) {
            b = neighbour(a);
        }
        boolean ordered = TruthIp.compare(a, b) <= 0;
        String lo = ordered ? a : b;
        String hi = ordered ? b : a;
        if (!lo.contains(":") && r.nextInt(3) == 0) {
            String bound = lo;
            return switch (r.nextInt(4)) {
                case 0 -> leaf(">" + bound, d -> d.get(field) != null && TruthIp.compare(d.get(field).toString(), bound) > 0,
                        "range");
                case 1 -> leaf(">=" + bound, d -> d.get(field) != null && TruthIp.compare(d.get(field).toString(), bound) >= 0,
                        "range");
                case 2 -> leaf("<" + bound, d -> d.get(field) != null && TruthIp.compare(d.get(field).toString(), bound) < 0,
                        "range");
                default -> leaf("<=" + bound, d -> d.get(field) != null
                        && TruthIp.compare(d.get(field).toString(), bound) <= 0, "range");
            };
        }
        return range(field, lo, hi, lo, hi);
    }

    private String neighbour(String address) {
        if (address.contains(":")) {
            int last = address.lastIndexOf(':');
            return address.substring(0, last + 1) + Integer.toHexString(r.nextInt(0xffff) + 1);
        }
        return address.substring(0, address.lastIndexOf('.') + 1) + r.nextInt(256);
    }

    /** A CIDR block {base, prefix length} around an address of the documents' subnets, its base the block's start. */
    private String[] block() {
        String address = address();
        byte[] bytes = TruthIp.bytes(address);
        boolean v4 = !address.contains(":");
        int[] prefixes = v4 ? new int[] {0, 8, 16, 24, 24, 28, 32} : new int[] {0, 16, 32, 48, 64, 64, 120, 128};
        int prefix = prefixes[r.nextInt(prefixes.length)];
        int bits = v4 ? 96 + prefix : prefix;
        for (int i = bits; i < 128; i++) {
            bytes[i / 8] &= (byte) ~(0x80 >>> (i % 8));
        }
        try {
            byte[] raw = v4 ? java.util.Arrays.copyOfRange(bytes, 12, 16) : bytes;
            String base = java.net.InetAddress.getByAddress(raw).getHostAddress();
            if (!v4 && r.nextInt(3) > 0) {
                base = compressed(base);
            }
            return new String[] {base, String.valueOf(prefix)};
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An IPv6 address of eight groups with its longest run of zero groups (two or more) written {@code ::}. */
    static String compressed(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; i++) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        return String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart)) + "::"
                + String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
    }

    /** An address that some document has, or one of the same subnets. */
    private String address() {
        if (r.nextBoolean()) {
            Map<String, Object> d = docs.get(r.nextInt(docs.size()));
            Object ip = d.get(r.nextBoolean() ? "srcIp" : "dstIp");
            if (ip != null) {
                return ip.toString();
            }
        }
        return TruthDocs.address(r);
    }

    private Leaf number(String field, boolean inGroup) {
        int kind = r.nextInt(10);
        Object existing = docs.get(r.nextInt(docs.size())).get(field);
        BigDecimal n = existing != null ? TruthValues.number(existing) : fallback(field);
        boolean decimal = field.equals("rtt");
        if (kind < 4) {
            String typed = n.toPlainString();
            if (!decimal && r.nextInt(4) == 0) {
                typed = typed + ".0";
            } else if (!decimal && r.nextInt(6) == 0 && n.signum() > 0 && n.remainder(BigDecimal.TEN).signum() == 0) {
                typed = n.divide(BigDecimal.TEN).toPlainString() + "e1";
            }
            BigDecimal value = n;
            return leaf(typed + boost(), d -> d.get(field) != null && TruthValues.number(d.get(field)).compareTo(value) == 0,
                    "term");
        }
        if (kind < 5 || inGroup) {
            return leaf("*", d -> d.get(field) != null, "exists");
        }
        Object other = docs.get(r.nextInt(docs.size())).get(field);
        BigDecimal m = other != null ? TruthValues.number(other) : fallback(field);
        if (!decimal && r.nextInt(4) == 0) {
            m = m.add(new BigDecimal("0.5"));
        }
        BigDecimal lo = n.min(m);
        BigDecimal hi = n.max(m);
        if (kind < 7) {
            BigDecimal bound = r.nextBoolean() ? lo : hi;
            String op = pick(new String[] {">", ">=", "<", "<="});
            return leaf(op + bound.toPlainString(), d -> {
                if (d.get(field) == null) {
                    return false;
                }
                int c = TruthValues.number(d.get(field)).compareTo(bound);
                return switch (op) {
                    case ">" -> c > 0;
                    case ">=" -> c >= 0;
                    case "<" -> c < 0;
                    default -> c <= 0;
                };
            }, "range");
        }
        return range(field, lo.toPlainString(), hi.toPlainString(), lo.toPlainString(), hi.toPlainString());
    }

    private BigDecimal fallback(String field) {
        return switch (field) {
            case "rtt" -> BigDecimal.valueOf(r.nextInt(6000), 3);
            case "status" -> BigDecimal.valueOf(r.nextInt(600));
            default -> BigDecimal.valueOf(r.nextInt(70000));
        };
    }

    /** A bracket range, its bounds maybe *, inclusive or exclusive on either side. */
    private Leaf range(String field, String loText, String hiText, String lo, String hi) {
        boolean loStar = r.nextInt(6) == 0;
        boolean hiStar = !loStar && r.nextInt(6) == 0;
        boolean loIn = r.nextBoolean();
        boolean hiIn = r.nextBoolean();
        String text = (loIn ? "[" : "{") + (loStar ? "*" : loText) + " TO " + (hiStar ? "*" : hiText) + (hiIn ? "]" : "}");
        Predicate<Map<String, Object>> test = d -> {
            Object v = d.get(field);
            if (v == null) {
                return false;
            }
            if (!loStar) {
                int c = TruthValues.compare(field, v, lo);
                if (c < 0 || (c == 0 && !loIn)) {
                    return false;
                }
            }
            if (!hiStar) {
                int c = TruthValues.compare(field, v, hi);
                return c < 0 || (c == 0 && hiIn);
            }
            return true;
        };
        return leaf(text, test, "range");
    }

    private Leaf date(String field) {
        long a = TruthDocs.FIRST_DAY + (long) (r.nextDouble() * (TruthDocs.DAYS + 1) * 86_400_000L) - 43_200_000L;
        long b = TruthDocs.FIRST_DAY + (long) (r.nextDouble() * (TruthDocs.DAYS + 1) * 86_400_000L) - 43_200_000L;
        if (r.nextInt(4) == 0) { // a document's own time: a bound on it decides whether it is in
            Object t = docs.get(r.nextInt(docs.size())).get("timestamp");
            a = (Long) t;
        }
        String lo = dateBound(Math.min(a, b));
        String hi = r.nextInt(12) == 0 ? "now" : dateBound(Math.max(a, b));
        TruthTime.Span loSpan = TruthTime.span(lo);
        TruthTime.Span hiSpan = TruthTime.span(hi);
        if (r.nextInt(3) == 0 && !lo.matches("[0-9]+")) { // >=-style: the colons escaped
            String op = pick(new String[] {">", ">=", "<", "<="});
            String typed = op + lo.replace(":", "\\:");
            return leaf(typed, d -> {
                long t = (Long) d.get(field);
                return switch (op) {
                    case ">" -> t > loSpan.end();
                    case ">=" -> t >= loSpan.start();
                    case "<" -> t < loSpan.start();
                    default -> t <= loSpan.end();
                };
            }, "range");
        }
        boolean loStar = r.nextInt(6) == 0;
        boolean hiStar = !loStar && r.nextInt(6) == 0;
        boolean loIn = r.nextBoolean();
        boolean hiIn = r.nextBoolean();
        String text = (loIn ? "[" : "{") + (loStar ? "*" : lo) + " TO " + (hiStar ? "*" : hi) + (hiIn ? "]" : "}");
        return leaf(text, d -> {
            long t = (Long) d.get(field);
            boolean above = loStar || (loIn ? t >= loSpan.start() : t > loSpan.end());
            boolean below = hiStar || (hiIn ? t <= hiSpan.end() : t < hiSpan.start());
            return above && below;
        }, "range");
    }

    /** A time as a bound of q: a day, a minute, a second, a millisecond with a zone, or epoch milliseconds. */
    private String dateBound(long ms) {
        String iso = TruthTime.iso(ms); // 2018-05-09T10:11:12.345Z (or without a fraction)
        String full = iso.length() == 20 ? iso.replace("Z", ".000Z") : iso;
        return switch (r.nextInt(5)) {
            case 0 -> full.substring(0, 10);
            case 1 -> full.substring(0, 16);
            case 2 -> full.substring(0, 19);
            case 3 -> full;
            default -> String.valueOf(ms);
        };
    }

    private String boost() {
        return r.nextInt(10) == 0 ? "^2" : "";
    }

    private static Leaf leaf(String text, Predicate<Map<String, Object>> test, String kind) {
        return new Leaf(text, test, null, kind);
    }

    private <T> T pick(T[] values) {
        return values[r.nextInt(values.length)];
    }

    private <T> T pick(List<T> values) {
        return values.get(r.nextInt(values.size()));
    }

    private <T> T weighted(T[] values, int[] weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int x = r.nextInt(total);
        for (int i = 0; i < values.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }
}
