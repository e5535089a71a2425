package dev.netmeta.local.testing;

import java.net.URI;
import java.time.Duration;

import org.opensearch.testcontainers.OpensearchContainer;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The {@code -Pcontainers} back-end ({@code netmeta.it.backend=containers}): OpenSearch and MinIO in Docker via
 * Testcontainers, for machines that have Docker. FTP stays embedded (there is no FTP module worth the image pull).
 */
final class ContainerBackend {

    static final String OPENSEARCH_IMAGE = "opensearchproject/opensearch:2.19.1";
    static final String MINIO_IMAGE = "minio/minio:RELEASE.2023-09-04T19-57-37Z";

    private ContainerBackend() {
    }

    static RunningServer<OpenSearchEndpoint> openSearch() {
        // Security plugin disabled by default in this module: plain HTTP, no credentials, like the embedded node.
        OpensearchContainer<?> container = new OpensearchContainer<>(DockerImageName.parse(OPENSEARCH_IMAGE))
                .withEnv("OPENSEARCH_JAVA_OPTS", "-Xms512m -Xmx512m")
                .withEnv("cluster.routing.allocation.disk.threshold_enabled", "false")
                .withStartupTimeout(Duration.ofMinutes(3));
        container.start();
        return new RunningServer<>(new OpenSearchEndpoint(URI.create(container.getHttpHostAddress())), container::stop);
    }

    static RunningServer<S3Endpoint> s3() {
        MinIOContainer container = new MinIOContainer(DockerImageName.parse(MINIO_IMAGE))
                .withUserName("netmeta-local")
                .withPassword("netmeta-local-secret");
        container.start();
        S3Endpoint endpoint = new S3Endpoint(URI.create(container.getS3URL()), container.getUserName(),
                container.getPassword(), "us-east-1");
        return new RunningServer<>(endpoint, container::stop);
    }
}
