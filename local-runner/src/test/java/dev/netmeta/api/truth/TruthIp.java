package dev.netmeta.api.truth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The ground truth's reading of an IP address, written from docs/API.md and docs/DATA-CONTRACT.md rather than taken
 * from the api: every address as 16 bytes, an IPv4 one IPv4-mapped ("the engine stores IPv4 addresses IPv4-mapped",
 * so {@code srcIp:"::/0"} matches them too), ordered as unsigned bytes. Only literals are ever parsed (the JDK reads
 * an address literal without a lookup).
 */
public final class TruthIp {

    private TruthIp() {
    }

    /** The 16 bytes of an address literal (IPv4-mapped for IPv4). */
    public static byte[] bytes(String literal) {
        try {
            byte[] raw = InetAddress.getByName(literal).getAddress();
            if (raw.length == 16) {
                return raw;
            }
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(raw, 0, mapped, 12, 4);
            return mapped;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("no address literal: " + literal, e);
        }
    }

    public static boolean isIpv4(String literal) {
        return !literal.contains(":");
    }

    public static int compare(String a, String b) {
        return Arrays.compareUnsigned(bytes(a), bytes(b));
    }

    /** Whether the address is in the block {@code base/prefix} (a prefix of an IPv4 base counts IPv4 bits). */
    public static boolean inBlock(String address, String base, int prefix) {
        byte[] a = bytes(address);
        byte[] b = bytes(base);
        int bits = isIpv4(base) ? 96 + prefix : prefix;
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
