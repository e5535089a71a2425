package dev.netmeta.local.server;

import dev.netmeta.model.S3Keys;
import java.io.InputStream;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3's limit on object keys, which s3proxy does not enforce: an object whose key is longer than
 * {@value #MAX_KEY_BYTES} UTF-8 bytes is not created (PutObject, CopyObject's target, CreateMultipartUpload), and the
 * client gets S3's answer, 400 {@code KeyTooLongError}. So a function that would write such a key fails here as it
 * would on AWS instead of working only locally.
 */
final class KeyLengthLimit extends ForwardingBlobStore {

    static final int MAX_KEY_BYTES = S3Keys.MAX_BYTES;

    KeyLengthLimit(BlobStore delegate) {
        super(delegate);
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        check(request.key());
        return super.putBlob(request, content);
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        check(request.destinationKey());
        return super.copyBlob(request);
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        check(request.key());
        return super.initiateMultipartUpload(request);
    }

    private static void check(String key) {
        if (key != null && !S3Keys.fits(key)) {
            throw (S3Exception) S3Exception.builder().statusCode(400).message("Your key is too long")
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("KeyTooLongError")
                            .errorMessage("Your key is too long").build())
                    .build();
        }
    }
}
