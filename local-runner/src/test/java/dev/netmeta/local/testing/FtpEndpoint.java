package dev.netmeta.local.testing;

import java.nio.file.Path;

/**
 * Where a test finds the FTP server. The server offers plain FTP and explicit FTPS ({@code AUTH TLS}) on the same
 * port; {@code trustStore} (PKCS12) holds its self-signed certificate.
 *
 * @param rootDir the local directory served as {@code /}: a test writes its input files here, in its own
 *                subdirectory, to stay isolated from other tests
 */
public record FtpEndpoint(String host, int port, String user, String password, Path rootDir, Path trustStore,
                          String trustStorePassword) {

    @Override
    public String toString() {
        return "FtpEndpoint[host=" + host + ", port=" + port + ", user=" + user + ", password=***, rootDir=" + rootDir
                + ", trustStore=" + trustStore + "]";
    }
}
