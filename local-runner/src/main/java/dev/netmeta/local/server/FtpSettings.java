package dev.netmeta.local.server;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to start an {@link EmbeddedFtp}.
 *
 * @param rootDir          the directory served as {@code /} (created if missing)
 * @param user             the one account
 * @param password         its password
 * @param ftps             also offer explicit FTPS ({@code AUTH TLS}) with a self-signed certificate generated at start;
 *                         plain FTP keeps working on the same port
 * @param maxLoginsPerUser concurrent sessions allowed for the user, 0 = no limit (a small number makes an
 *                         "unfriendly" server for failure tests: further logins are refused with 421)
 * @param maxIdleSeconds   the server ends a session idle this long, 0 = never (real servers do, e.g. after 300 s)
 */
public record FtpSettings(Path rootDir, String user, String password, boolean ftps, int maxLoginsPerUser, int maxIdleSeconds) {

    public FtpSettings {
        Objects.requireNonNull(rootDir, "rootDir");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (maxLoginsPerUser < 0) {
            throw new IllegalArgumentException("maxLoginsPerUser must be >= 0, was " + maxLoginsPerUser);
        }
        if (maxIdleSeconds < 0) {
            throw new IllegalArgumentException("maxIdleSeconds must be >= 0, was " + maxIdleSeconds);
        }
    }

    /** Plain FTP, no login limit. */
    public static FtpSettings of(Path rootDir, String user, String password) {
        return new FtpSettings(rootDir, user, password, false, 0, 0);
    }

    public FtpSettings withFtps(boolean enabled) {
        return new FtpSettings(rootDir, user, password, enabled, maxLoginsPerUser, maxIdleSeconds);
    }

    public FtpSettings withMaxLoginsPerUser(int max) {
        return new FtpSettings(rootDir, user, password, ftps, max, maxIdleSeconds);
    }

    public FtpSettings withMaxIdleSeconds(int seconds) {
        return new FtpSettings(rootDir, user, password, ftps, maxLoginsPerUser, seconds);
    }

    @Override
    public String toString() {
        return "FtpSettings[rootDir=" + rootDir + ", user=" + user + ", password=***, ftps=" + ftps
                + ", maxLoginsPerUser=" + maxLoginsPerUser + ", maxIdleSeconds=" + maxIdleSeconds + "]";
    }
}
