package dev.netmeta.load.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.netmeta.load.LoadReport;
import dev.netmeta.load.OutputKeys;
import dev.netmeta.load.ReportStore;
import java.io.UncheckedIOException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Saves each report as pretty JSON at {@code s3://<bucket>/<REPORTS_PREFIX><key>.json} (the source's bucket), a name
 * {@link OutputKeys} shortens when it would be longer than S3 allows.
 */
public final class S3ReportStore implements ReportStore {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final S3Client s3;
    private final String prefix;

    public S3ReportStore(S3Client s3, String prefix) {
        this.s3 = s3;
        this.prefix = prefix;
    }

    public String objectKey(String key) {
        return OutputKeys.report(prefix, key);
    }

    @Override
    public String save(LoadReport report) {
        String key = objectKey(report.key());
        try {
            byte[] body = JSON.writeValueAsBytes(report);
            s3.putObject(b -> b.bucket(report.bucket()).key(key).contentType("application/json"),
                    RequestBody.fromBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return "s3://" + report.bucket() + "/" + key;
    }
}
