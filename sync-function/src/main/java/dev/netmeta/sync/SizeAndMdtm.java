package dev.netmeta.sync;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.apache.commons.net.ftp.FTPClient;

/**
 * One file's size and modification time asked with {@code SIZE} and {@code MDTM} (RFC 3659), each only when the
 * server announces it in FEAT: for servers without MLST right before a transfer, for MLSD/MLST entries that lack
 * the {@code size} or {@code modify} fact, and for LIST lines whose size or time could not be read (a missing time
 * of a listed file only when the run would copy it: {@link FtpRemoteFileSource#completeTimes}).
 */
final class SizeAndMdtm {

    private static final DateTimeFormatter MDTM_SECONDS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private SizeAndMdtm() {
    }

    /** The size in bytes, or -1 when SIZE is not announced or refused (550: gone, or not a plain file). */
    static long size(FTPClient client, String absolutePath) throws IOException {
        if (!client.hasFeature("SIZE")) {
            return -1;
        }
        String size = client.getSize(absolutePath);
        if (size == null) {
            return -1;
        }
        try {
            return Long.parseLong(size.trim());
        } catch (NumberFormatException e) {
            throw new IOException("FTP server answered SIZE of '" + absolutePath + "' with '" + size + "'", e);
        }
    }

    /** The modification time, or null when MDTM is not announced, refused or answered in another form. */
    static Instant modified(FTPClient client, String absolutePath, ZoneId zone) throws IOException {
        if (!client.hasFeature("MDTM")) {
            return null;
        }
        return mdtm(client.getModificationTime(absolutePath), zone);
    }

    /**
     * An MDTM answer ({@code yyyyMMddHHmmss[.fff]}): UTC by RFC 3659, but servers without MLST (vsftpd with
     * {@code use_localtime}) answer in the local time their LIST shows — read in FTP_SERVER_TIMEZONE, like LIST.
     */
    static Instant mdtm(String value, ZoneId zone) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        int space = v.lastIndexOf(' ');
        v = space >= 0 ? v.substring(space + 1) : v; // some versions keep the reply code in front
        if (!v.matches("\\d{14}(\\.\\d{1,9})?")) {
            return null;
        }
        LocalDateTime t = LocalDateTime.parse(v.substring(0, 14), MDTM_SECONDS);
        if (v.length() > 15) {
            String fraction = (v.substring(15) + "000000000").substring(0, 9);
            t = t.withNano(Integer.parseInt(fraction));
        }
        return t.atZone(zone).toInstant();
    }
}
