package dev.netmeta.local.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a test finds the FTP server. The server offers plain FTP and explicit FTPS ({@code AUTH TLS}) on the same
 * port; {@code trustStore} (PKCS12) holds its self-signed certificate.
 *
 * @param rootDir the local directory served as {@code /}: a test writes its input files here, in its own
 *                subdirectory, to stay isolated from other tests
 */
public record FtpEndpoint(String host, int port, String user, String password, Path rootDir, Path trustStore,
                          String trustStorePassword) {

    /** The sync function's FTP entries for plain FTP (see docs/CONTRACTS.md); the password given directly. */
    public Map<String, String> env() {
        return Map.of("FTP_HOST", host, "FTP_PORT", Integer.toString(port), "FTP_USER", user, "FTP_PASSWORD", password,
                "FTP_TLS", "none");
    }

    /** As {@link #env()}, with explicit FTPS and this server's trust store. */
    public Map<String, String> ftpsEnv() {
        Map<String, String> env = new HashMap<>(env());
        env.put("FTP_TLS", "explicit");
        env.put("FTP_TRUSTSTORE", trustStore.toString());
        env.put("FTP_TRUSTSTORE_PASSWORD", trustStorePassword);
        return Map.copyOf(env);
    }

    @Override
    public String toString() {
        return "FtpEndpoint[host=" + host + ", port=" + port + ", user=" + user + ", password=***, rootDir=" + rootDir
                + ", trustStore=" + trustStore + "]";
    }
}
