package dev.netmeta.model;

/** IP literal validation and canonical text behind {@link FieldValues}; never resolves names. */
final class IpAddresses {

    private IpAddresses() {
    }

    /** See {@link FieldValues#normalizeIp(String)}. */
    static String normalize(String value) {
        if (value == null) {
            throw new InvalidValueException("ip", null, "missing IP address");
        }
        int start = 0;
        int end = value.length();
        while (start < end && value.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && value.charAt(end - 1) <= ' ') {
            end--;
        }
        if (start == end) {
            throw new InvalidValueException("ip", value, "empty IP address");
        }
        if (value.indexOf(':', start) >= 0) {
            if (value.indexOf('%', start) >= 0) {
                throw new InvalidValueException("ip", value, "IPv6 zone ids are not supported");
            }
            String v6 = normalizeIpv6(value, start, end);
            if (v6 == null) {
                int colon = value.indexOf(':', start);
                boolean withPort = colon == value.lastIndexOf(':', end - 1) && parseIpv4(value, start, colon) >= 0;
                throw new InvalidValueException("ip", value, withPort
                        ? "an IPv4 address with a port (the port belongs in a port column)" : "not an IPv6 address");
            }
            return v6;
        }
        long v4 = parseIpv4(value, start, end);
        if (v4 < 0) {
            throw new InvalidValueException("ip", value, "not an IPv4 or IPv6 address");
        }
        if (start == 0 && end == value.length() && isCanonicalIpv4(value)) {
            return value;
        }
        return ipv4Text(v4);
    }

    private static boolean isCanonicalIpv4(String s) {
        for (int i = 0; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c == '0' && (i == 0 || s.charAt(i - 1) == '.') && s.charAt(i + 1) != '.') {
                return false;
            }
        }
        return true;
    }

    /** Dotted quad to its unsigned 32-bit value; -1 if invalid. */
    private static long parseIpv4(String s, int start, int end) {
        long result = 0;
        int octets = 0;
        int i = start;
        while (i < end) {
            int v = 0;
            int n = 0;
            while (i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                v = v * 10 + (s.charAt(i) - '0');
                i++;
                if (++n > 3) {
                    return -1;
                }
            }
            if (n == 0 || v > 255) {
                return -1;
            }
            result = (result << 8) | v;
            octets++;
            if (i < end) {
                if (s.charAt(i) != '.' || octets == 4 || i == end - 1) {
                    return -1;
                }
                i++;
            }
        }
        return octets == 4 ? result : -1;
    }

    private static String ipv4Text(long v) {
        return ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
    }

    private static String normalizeIpv6(String s, int start, int end) {
        int[] groups = new int[8];
        int dc = s.indexOf("::", start);
        if (dc >= end - 1) {
            dc = -1;
        }
        int count;
        if (dc < 0) {
            count = parseGroups(s, start, end, groups, 0, true);
            if (count != 8) {
                return null;
            }
        } else {
            if (s.indexOf("::", dc + 1) >= 0 && s.indexOf("::", dc + 1) < end - 1) {
                return null; // two '::' (or ':::')
            }
            int[] tail = new int[8];
            int head = parseGroups(s, start, dc, groups, 0, false);
            int tailCount = parseGroups(s, dc + 2, end, tail, 0, true);
            if (head < 0 || tailCount < 0 || head + tailCount > 7) {
                return null;
            }
            System.arraycopy(tail, 0, groups, 8 - tailCount, tailCount);
        }
        if (groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
                && groups[5] == 0xffff) {
            return ipv4Text(((long) groups[6] << 16) | groups[7]);
        }
        return ipv6Text(groups);
    }

    /** Colon-separated hex groups in [from, to), an IPv4 tail allowed if {@code v4Tail}; count or -1. */
    private static int parseGroups(String s, int from, int to, int[] out, int at, boolean v4Tail) {
        if (from == to) {
            return 0;
        }
        int n = at;
        int i = from;
        while (true) {
            int segEnd = i;
            while (segEnd < to && s.charAt(segEnd) != ':') {
                segEnd++;
            }
            if (segEnd == i) {
                return -1; // empty group
            }
            if (segEnd == to && v4Tail && s.indexOf('.', i) >= 0 && s.indexOf('.', i) < to) {
                long v4 = parseIpv4(s, i, to);
                if (v4 < 0 || n + 2 > 8) {
                    return -1;
                }
                out[n++] = (int) (v4 >>> 16) & 0xffff;
                out[n++] = (int) v4 & 0xffff;
                return n;
            }
            if (segEnd - i > 4 || n == 8) {
                return -1;
            }
            int v = 0;
            for (int j = i; j < segEnd; j++) {
                int h = Character.digit(s.charAt(j), 16);
                if (h < 0 || s.charAt(j) > 'f') {
                    return -1;
                }
                v = (v << 4) | h;
            }
            out[n++] = v;
            if (segEnd == to) {
                return n;
            }
            i = segEnd + 1;
            if (i == to) {
                return -1; // trailing single ':'
            }
        }
    }

    private static String ipv6Text(int[] g) {
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
